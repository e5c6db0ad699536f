package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import java.util.EnumMap;
import java.util.Map;
import simdvae.core.Simd;
import simdvae.core.Specializer;
import simdvae.core.Width;

/**
 * The kernel set of one width: the scalar references for {@link Width#SCALAR}, otherwise one specialised copy of
 * each vector template. Sets are made once per width and shared; they are stateless apart from per-thread scratch,
 * so any thread may use them.
 *
 * <pre>{@code
 *   Kernels k = Kernels.of(Width.AUTO);          // or Kernels.current(): -Dsimdvae.width / Simd.setDefault
 *   k.gemm().gemm(Layout.NN, m, n, kk, a, 0, kk, b, 0, n, c, 0, n, false, bias, 0, true);
 * }</pre>
 */
public final class Kernels {
    private static final Map<Width, Kernels> CACHE = new EnumMap<>(Width.class);

    private final Simd.Choice choice;
    private final GemmKernel gemm;
    private final ReluKernel relu;
    private final ExpKernel exp;
    private final LossKernel loss;
    private final GaussianLossKernel gaussianLoss;
    private final ColumnSumsKernel columnSums;
    private final AdamKernel adam;

    private Kernels(Simd.Choice choice) {
        this.choice = choice;
        Width w = choice.width();
        if (w == Width.SCALAR) {
            gemm = GemmScalar.INSTANCE;
            relu = ReluScalar.INSTANCE;
            exp = ExpScalar.INSTANCE;
            loss = LossScalar.INSTANCE;
            gaussianLoss = GaussianLossScalar.INSTANCE;
            columnSums = ColumnSumsScalar.INSTANCE;
            adam = AdamScalar.INSTANCE;
        } else {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            gemm = Specializer.instantiate(lookup, GemmVector.class, GemmKernel.class, w);
            relu = Specializer.instantiate(lookup, ReluVector.class, ReluKernel.class, w);
            exp = Specializer.instantiate(lookup, ExpVector.class, ExpKernel.class, w);
            loss = Specializer.instantiate(lookup, LossVector.class, LossKernel.class, w, exp);
            gaussianLoss = Specializer.instantiate(lookup, GaussianLossVector.class, GaussianLossKernel.class, w,
                    exp);
            columnSums = Specializer.instantiate(lookup, ColumnSumsVector.class, ColumnSumsKernel.class, w);
            adam = Specializer.instantiate(lookup, AdamVector.class, AdamKernel.class, w);
        }
    }

    /**
     * The kernels for a width request.
     *
     * @throws simdvae.core.UnsupportedWidthException for a width this JVM or CPU cannot run natively
     */
    public static Kernels of(Width request) {
        Simd.Choice choice = Simd.choose(request);
        synchronized (CACHE) {
            Kernels k = CACHE.get(choice.width());
            if (k == null) {
                k = new Kernels(choice);
                CACHE.put(choice.width(), k);
            }
            return k;
        }
    }

    /** The kernels for the process-wide default width ({@link Simd#current()}). */
    public static Kernels current() {
        return of(Simd.current().width());
    }

    /** The width these kernels run at, and why (as first resolved). */
    public Simd.Choice choice() {
        return choice;
    }

    public Width width() {
        return choice.width();
    }

    /** Floats per vector; 1 for scalar. */
    public int lanes() {
        return choice.lanes();
    }

    public GemmKernel gemm() {
        return gemm;
    }

    public ReluKernel relu() {
        return relu;
    }

    public ExpKernel exp() {
        return exp;
    }

    public LossKernel loss() {
        return loss;
    }

    public GaussianLossKernel gaussianLoss() {
        return gaussianLoss;
    }

    public ColumnSumsKernel columnSums() {
        return columnSums;
    }

    public AdamKernel adam() {
        return adam;
    }

    @Override
    public String toString() {
        return "Kernels[" + choice + "]";
    }
}
