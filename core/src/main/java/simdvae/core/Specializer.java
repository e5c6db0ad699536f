package simdvae.core;

import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gives each vector width its own copy of a kernel class, so C2 sees the species as a constant.
 *
 * <p>A vector kernel is written once, generic over the species, as a <em>template</em> class that reads its species
 * with {@link #species(MethodHandles.Lookup)} into a {@code static final} field. Passing a species as an argument
 * instead costs far more than the 3× one might expect: a large kernel body is compiled on its own, the species is
 * not a constant there, and every vector is boxed (we measured a GEMM at under 0.1 GFLOP/s that way). This class
 * defines the template's bytes again as a hidden class per width, with the species as class data; the JVM folds
 * {@code static final} fields of a hidden class like any other, so each copy compiles to code for one width.
 *
 * <p>Templates must not have nested classes or lambdas: a hidden copy cannot be their nest host.
 */
public final class Specializer {
    private Specializer() {
    }

    /**
     * The species a template copy was made for; in the template class itself (loaded normally), the preferred one.
     *
     * @param lookup the caller's own {@code MethodHandles.lookup()}
     * @return the species every vector of the class uses
     */
    @SuppressWarnings("unchecked")
    public static VectorSpecies<Float> species(MethodHandles.Lookup lookup) {
        try {
            VectorSpecies<Float> s = MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, VectorSpecies.class);
            return s != null ? s : FloatVector.SPECIES_PREFERRED;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("species() needs the template's own lookup", e);
        }
    }

    /**
     * Makes a copy of {@code template} for {@code width} and returns a new instance of it as {@code api}.
     *
     * @param lookup a full-privilege lookup in the template's package (the caller's {@code MethodHandles.lookup()})
     * @param template a class with one public constructor taking {@code args} that implements {@code api}
     * @param api the interface the copy is used through
     * @param width the fixed vector width the copy is made for
     * @param args the constructor's arguments (other kernels the template builds on, for example)
     * @param <T> the interface
     * @return a new instance of the copy
     */
    public static <T> T instantiate(MethodHandles.Lookup lookup, Class<?> template, Class<T> api, Width width,
                                    Object... args) {
        VectorSpecies<Float> species = Species.of(width);
        String resource = template.getName().substring(template.getPackageName().length() + 1) + ".class";
        try (InputStream in = template.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file of " + template.getName() + " not found");
            }
            MethodHandles.Lookup copy = lookup.defineHiddenClassWithClassData(in.readAllBytes(), species, true);
            for (Constructor<?> ctor : copy.lookupClass().getConstructors()) {
                if (ctor.getParameterCount() == args.length) {
                    return api.cast(copy.unreflectConstructor(ctor).invokeWithArguments(args));
                }
            }
            throw new IllegalStateException(template.getName() + " has no public constructor of " + args.length
                    + " arguments");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + template.getName(), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot specialise " + template.getName() + " for " + width, e);
        }
    }
}
