package simdvae.kernels;

import java.lang.invoke.MethodHandles;
import java.util.HashMap;
import java.util.Map;
import simdvae.core.RegisterFile;
import simdvae.core.Simd;
import simdvae.core.Specializer;
import simdvae.core.Width;

/**
 * The kernel set of one width: the scalar references for {@link Width#SCALAR}, otherwise one specialised copy of each
 * vector template, the GEMM's register tile sized for the JIT's vector register file at that width ({@link
 * RegisterFile}: detected, or {@code -Dsimdvae.registers=16|32}, or forced by {@link #of(Width, int)}; the tile never
 * changes a result). Sets are made once per width and register file and shared; they are stateless apart from
 * per-thread scratch, so any thread may use them.
 *
 * <pre>{@code
 *   Kernels k = Kernels.of(Width.AUTO);          // or Kernels.current(): -Dsimdvae.width / Simd.setDefault
 *   k.gemm().gemm(Layout.NN, m, n, kk, a, 0, kk, b, 0, n, c, 0, n, false, bias, 0, true);
 * }</pre>
 */
public final class Kernels {
    private static final Map<String, Kernels> CACHE = new HashMap<>();

    private final Simd.Choice choice;
    private final GemmKernel gemm;
    private final ReluKernel relu;
    private final ExpKernel exp;
    private final LossKernel bernoulliLoss;
    private final GaussianLossKernel gaussianLoss;
    private final MixedLossKernel mixedLoss;
    private final ColumnSumsKernel columnSums;
    private final AdamKernel adam;
    private final SquaredDistancesKernel squaredDistances;

    private Kernels(Simd.Choice choice) {
        this.choice = choice;
        Width w = choice.width();
        if (w == Width.SCALAR) {
            gemm = GemmScalar.INSTANCE;
            relu = ReluScalar.INSTANCE;
            exp = ExpScalar.INSTANCE;
            bernoulliLoss = BernoulliLossScalar.INSTANCE;
            gaussianLoss = GaussianLossScalar.INSTANCE;
            mixedLoss = MixedLossScalar.INSTANCE;
            columnSums = ColumnSumsScalar.INSTANCE;
            adam = AdamScalar.INSTANCE;
            squaredDistances = SquaredDistancesScalar.INSTANCE;
        } else {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            gemm = Specializer.instantiate(lookup, GemmVector.class, GemmKernel.class, w, choice.registers().count());
            relu = Specializer.instantiate(lookup, ReluVector.class, ReluKernel.class, w);
            exp = Specializer.instantiate(lookup, ExpVector.class, ExpKernel.class, w);
            bernoulliLoss = Specializer.instantiate(lookup, BernoulliLossVector.class, LossKernel.class, w, exp);
            gaussianLoss = Specializer.instantiate(lookup, GaussianLossVector.class, GaussianLossKernel.class, w,
                    exp);
            mixedLoss = Specializer.instantiate(lookup, MixedLossVector.class, MixedLossKernel.class, w, exp,
                    gaussianLoss);
            columnSums = Specializer.instantiate(lookup, ColumnSumsVector.class, ColumnSumsKernel.class, w);
            adam = Specializer.instantiate(lookup, AdamVector.class, AdamKernel.class, w);
            squaredDistances = Specializer.instantiate(lookup, SquaredDistancesVector.class,
                    SquaredDistancesKernel.class, w);
        }
    }

    /**
     * The kernels for a width request.
     *
     * @param request a width, or auto
     * @return the kernels of the width it resolves to (one instance per width)
     * @throws simdvae.core.UnsupportedWidthException for a width this JVM or CPU cannot run natively
     */
    public static Kernels of(Width request) {
        return of(Simd.choose(request));
    }

    /**
     * The kernels for a width request with the GEMM tile of a given register file, whatever this JVM has: how tests
     * check every tile's bits, and benchmarks compare tiles, on one machine. (A 32-register tile on 16 registers
     * runs, and spills.)
     *
     * @param request   a width, or auto
     * @param registers 16 or 32
     * @return the kernels of the width it resolves to with that register file's tile (one instance per pair)
     * @throws simdvae.core.UnsupportedWidthException for a width this JVM or CPU cannot run natively
     * @throws IllegalArgumentException for another register count
     */
    public static Kernels of(Width request, int registers) {
        RegisterFile.forced(registers, "Kernels.of"); // validates
        return of(Simd.choose(request).withRegisters(registers, "Kernels.of(" + request + ", " + registers + ")"));
    }

    private static Kernels of(Simd.Choice choice) {
        String key = choice.width() + "/" + choice.registers().count();
        synchronized (CACHE) {
            Kernels kernels = CACHE.get(key);
            if (kernels == null) {
                kernels = new Kernels(choice);
                CACHE.put(key, kernels);
            }
            return kernels;
        }
    }

    /**
     * The kernels for the process-wide default width ({@link Simd#current()}).
     *
     * @return those kernels
     */
    public static Kernels current() {
        return of(Simd.current().width());
    }

    /**
     * The width these kernels run at, and why (as first resolved).
     *
     * @return the choice
     */
    public Simd.Choice choice() {
        return choice;
    }

    /**
     * The vector register file the GEMM's tile is sized for, and why.
     *
     * @return the register file ({@link RegisterFile#NONE} for scalar)
     */
    public RegisterFile registers() {
        return choice.registers();
    }

    /**
     * The GEMM's register tile (for reports and metrics).
     *
     * @return the tile
     */
    public GemmTile gemmTile() {
        return gemm.tile();
    }

    /**
     * The width these kernels run at.
     *
     * @return a fixed width
     */
    public Width width() {
        return choice.width();
    }

    /**
     * Floats per vector.
     *
     * @return the lane count; 1 for scalar
     */
    public int lanes() {
        return choice.lanes();
    }

    /**
     * This width's kernel for the matrix product.
     *
     * @return the kernel
     */
    public GemmKernel gemm() {
        return gemm;
    }

    /**
     * This width's kernel for ReLU forward and backward.
     *
     * @return the kernel
     */
    public ReluKernel relu() {
        return relu;
    }

    /**
     * This width's kernel for exp, sigmoid and its backward.
     *
     * @return the kernel
     */
    public ExpKernel exp() {
        return exp;
    }

    /**
     * This width's kernel for the fused Bernoulli loss.
     *
     * @return the kernel
     */
    public LossKernel bernoulliLoss() {
        return bernoulliLoss;
    }

    /**
     * This width's kernel for the fused Gaussian loss.
     *
     * @return the kernel
     */
    public GaussianLossKernel gaussianLoss() {
        return gaussianLoss;
    }

    /**
     * This width's kernel for the loss of a mixed table (a {@link LossLayout} of Gaussian, Bernoulli and categorical
     * columns, missing targets masked).
     *
     * @return the kernel
     */
    public MixedLossKernel mixedLoss() {
        return mixedLoss;
    }

    /**
     * This width's kernel for column sums (bias gradients).
     *
     * @return the kernel
     */
    public ColumnSumsKernel columnSums() {
        return columnSums;
    }

    /**
     * This width's kernel for the fused Adam update.
     *
     * @return the kernel
     */
    public AdamKernel adam() {
        return adam;
    }

    /**
     * Squared distances from a row to many points (a hybrid score's nearest kept rows).
     *
     * @return the kernel
     */
    public SquaredDistancesKernel squaredDistances() {
        return squaredDistances;
    }

    @Override
    public String toString() {
        return "Kernels[" + choice + ", GEMM tile " + gemm.tile() + "]";
    }
}
