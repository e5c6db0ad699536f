package simdvae.kernels;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.quicktheories.api.QuadConsumer;
import org.quicktheories.api.TriConsumer;
import org.quicktheories.core.Gen;

/**
 * Properties over random cases whose data come from a {@link SplittableRandom}: QuickTheories draws each case's
 * sizes and a seed (and names them when a case fails), the property gets the random source of that seed. The idiom
 * the property tests of every module share. (Test code: that its signatures name QuickTheories' types, which the
 * kernels module does not export, is meant, hence "exports" is not a warning here.)
 */
@SuppressWarnings("exports")
public final class SeededCases {
    private SeededCases() {
    }

    /**
     * Checks {@code property} on {@code examples} cases of one drawn value and a seeded random source.
     *
     * @param examples how many cases
     * @param a        the drawn value's generator
     * @param property the assertions of one case
     * @param <A>      the drawn value
     */
    public static <A> void check(int examples, Gen<A> a, BiConsumer<A, SplittableRandom> property) {
        qt().withExamples(examples).forAll(a, longs().all())
                .checkAssert((x, seed) -> property.accept(x, new SplittableRandom(seed)));
    }

    /**
     * Checks {@code property} on {@code examples} cases of two drawn values and a seeded random source.
     *
     * @param examples how many cases
     * @param a        the first value's generator
     * @param b        the second's
     * @param property the assertions of one case
     * @param <A>      the first value
     * @param <B>      the second
     */
    public static <A, B> void check(int examples, Gen<A> a, Gen<B> b, TriConsumer<A, B, SplittableRandom> property) {
        qt().withExamples(examples).forAll(a, b, longs().all())
                .checkAssert((x, y, seed) -> property.accept(x, y, new SplittableRandom(seed)));
    }

    /**
     * Checks {@code property} on {@code examples} cases of three drawn values and a seeded random source.
     *
     * @param examples how many cases
     * @param a        the first value's generator
     * @param b        the second's
     * @param c        the third's
     * @param property the assertions of one case
     * @param <A>      the first value
     * @param <B>      the second
     * @param <C>      the third
     */
    public static <A, B, C> void check(int examples, Gen<A> a, Gen<B> b, Gen<C> c,
                                       QuadConsumer<A, B, C, SplittableRandom> property) {
        qt().withExamples(examples).forAll(a, b, c, longs().all())
                .checkAssert((x, y, z, seed) -> property.accept(x, y, z, new SplittableRandom(seed)));
    }
}
