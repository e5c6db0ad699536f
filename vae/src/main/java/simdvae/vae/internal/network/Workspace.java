package simdvae.vae.internal.network;

import java.util.List;
import simdvae.kernels.LossBatch;
import simdvae.kernels.LossKernel;
import simdvae.kernels.ParallelKernels;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Dense;
import simdvae.vae.model.Likelihood;

/**
 * The activations of one batch (up to {@code capacity} rows) and, for training, their gradients. Allocated once; a
 * pass allocates nothing. Every buffer has {@link #PAD} spare floats at its end: a masked vector access whose full
 * width would cross the end of its array leaves the Vector API's intrinsic for a Java fallback that allocates.
 */
public final class Workspace {
    public static final int PAD = 16;

    public final Architecture arch;
    public final int capacity;
    public final float[] raw;        // one data row, as the data set gives it (scratch for encoding)
    public final float[] x;          // capacity × input
    public final float[] t;          // capacity × targets: the loss's targets (x itself for a plain model)
    public final float[][] enc;      // encoder activations, capacity × hidden[i]
    public final float[] head;       // capacity × 2·latent  [μ | log σ²]
    public final float[] eps;        // capacity × latent
    public final float[] z;          // capacity × latent
    public final float[][] dec;      // decoder activations, capacity × hidden[last - i]
    public final float[] logits;     // capacity × outputWidth: the decoder's output (logits, or [mean | raw log σ²])
    public final float[] dLogits;    // capacity × outputWidth
    public final float[] dHead;      // capacity × 2·latent
    public final float[] dZ;         // capacity × latent
    public final float[] loss;       // capacity: per-sample loss
    public final float[] gradA;      // capacity × widest: layer gradients, alternating
    public final float[] gradB;
    /** The loss kernels' view of x, head, logits and their gradients; a call sets its row count. */
    private final LossBatch lossBatch;

    public Workspace(Architecture arch, int capacity, int dataColumns) {
        this.arch = arch;
        this.capacity = capacity;
        int latent = arch.latent();
        raw = new float[dataColumns + PAD];
        x = new float[capacity * arch.input() + PAD];
        t = arch.layout() == null ? x : new float[capacity * arch.targets() + PAD];
        enc = activations(arch.encoder(), capacity);
        head = new float[capacity * 2 * latent + PAD];
        eps = new float[capacity * latent + PAD];
        z = new float[capacity * latent + PAD];
        dec = activations(arch.decoder(), capacity);
        logits = new float[capacity * arch.outputWidth() + PAD];
        dLogits = new float[capacity * arch.outputWidth() + PAD];
        dHead = new float[capacity * 2 * latent + PAD];
        dZ = new float[capacity * latent + PAD];
        loss = new float[capacity + PAD];
        gradA = new float[capacity * arch.widest() + PAD];
        gradB = new float[capacity * arch.widest() + PAD];
        lossBatch = new LossBatch().sizes(capacity, arch.targets(), latent)
                .output(logits, 0, arch.outputWidth())
                .targets(t, 0, arch.targets())
                .head(head, 0, 2 * latent)
                .outputGradient(dLogits, 0, arch.outputWidth())
                .headGradient(dHead, 0, 2 * latent)
                .losses(loss, 0);
        if (arch.layout() != null) {
            lossBatch.layout(arch.layout());
        }
    }

    private static float[][] activations(List<Dense> layers, int capacity) {
        float[][] a = new float[layers.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new float[capacity * layers.get(i).out() + PAD];
        }
        return a;
    }

    /** x → head, through the encoder, on the weights as they stand in {@code params} (training). */
    public void encode(ParallelKernels kernels, float[] params, int batch) {
        forward(kernels, params, batch, x, arch.encoder(), enc, arch.head(), head);
    }

    /** z → logits, through the decoder, on the weights as they stand in {@code params} (training). */
    public void decode(ParallelKernels kernels, float[] params, int batch) {
        forward(kernels, params, batch, z, arch.decoder(), dec, arch.output(), logits);
    }

    /** {@code in} through {@code layers} into {@code acts}, then through {@code last} into {@code out}. */
    private static void forward(ParallelKernels kernels, float[] params, int batch, float[] in, List<Dense> layers,
                                float[][] acts, Dense last, float[] out) {
        for (int i = 0; i < acts.length; i++) {
            layers.get(i).forward(kernels, batch, in, params, acts[i]);
            in = acts[i];
        }
        last.forward(kernels, batch, in, params, out);
    }

    /** x → head, through the encoder, on weights packed by {@code kernels}' width (inference; biases from params). */
    public void encode(ParallelKernels kernels, PackedLayers packed, float[] params, int batch) {
        float[] in = x;
        for (int i = 0; i < enc.length; i++) {
            arch.encoder().get(i).forward(kernels, batch, in, packed.encoder(i), params, enc[i]);
            in = enc[i];
        }
        arch.head().forward(kernels, batch, in, packed.head(), params, head);
    }

    /** z → logits, through the decoder, on weights packed by {@code kernels}' width (inference). */
    public void decode(ParallelKernels kernels, PackedLayers packed, float[] params, int batch) {
        float[] in = z;
        for (int i = 0; i < dec.length; i++) {
            arch.decoder().get(i).forward(kernels, batch, in, packed.decoder(i), params, dec[i]);
            in = dec[i];
        }
        arch.output().forward(kernels, batch, in, packed.output(), params, logits);
    }

    /**
     * Loss and output gradients of the model for the batch in t (x), logits, head: fills dLogits, dHead and loss (per
     * sample, the negative ELBO); returns their sum. {@code beta} weighs the KL gradient; a table's missing cells
     * add nothing (training) or their expected value ({@code expected}: scoring). A table model runs the mixed
     * loss, a plain one its likelihood's.
     */
    public double loss(ParallelKernels kernels, Likelihood likelihood, int batch, float scale, float beta, boolean expected) {
        LossKernel kernel = arch.layout() != null ? kernels.kernels().mixedLoss()
                : likelihood.kernel(kernels.kernels());
        kernels.loss(kernel, lossBatch.rows(batch).weights(scale, beta).missingAtExpectation(expected));
        double sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += loss[i];
        }
        return sum;
    }

    /**
     * {@link #loss} as scores count it (β 1, missing cells at their expected cost), with each row's term per target
     * group into {@code terms} ({@code batch × targets}).
     */
    public void lossWithTerms(ParallelKernels kernels, Likelihood likelihood, int batch, float[] terms) {
        lossBatch.terms(terms, 0, arch.targets());
        try {
            loss(kernels, likelihood, batch, 1f, 1f, true);
        } finally {
            lossBatch.terms(null, 0, 0);
        }
    }

    /** Back from dLogits and dHead (the loss's share) to every parameter gradient, overwriting {@code grads}. */
    public void backward(ParallelKernels kernels, float[] params, float[] grads, int batch) {
        backward(kernels, params, grads, batch, arch.output(), logits, dLogits, arch.decoder(), dec, z, dZ);
        Reparameterization.backward(batch, arch.latent(), head, eps, dZ, dHead);
        backward(kernels, params, grads, batch, arch.head(), head, dHead, arch.encoder(), enc, x, null);
    }

    /**
     * {@link #forward}'s way back: from {@code dOut}, the gradient of {@code last}'s output {@code out}, through
     * {@code layers} (activations {@code acts}, input {@code in}) into {@code dIn} (null: not wanted).
     */
    private void backward(ParallelKernels kernels, float[] params, float[] grads, int batch, Dense last, float[] out,
                          float[] dOut, List<Dense> layers, float[][] acts, float[] in, float[] dIn) {
        float[] dy = gradA;
        float[] spare = gradB;
        last.backward(kernels, batch, acts[acts.length - 1], out, dOut, params, grads, dy);
        for (int i = acts.length - 1; i >= 0; i--) {
            float[] input = i == 0 ? in : acts[i - 1];
            float[] dx = i == 0 ? dIn : spare;
            layers.get(i).backward(kernels, batch, input, acts[i], dy, params, grads, dx);
            spare = dy;
            dy = dx;
        }
    }
}
