package simdvae.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import simdvae.kernels.Kernels;
import simdvae.kernels.LossBatch;
import simdvae.kernels.LossKernel;
import simdvae.vae.Encoding;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;
import simdvae.vae.onnx.OnnxExport;

/**
 * Serving beside the anchor a JVM service would otherwise pick: the tutorial's model (784 → 512 → 2 → 512 → 784)
 * run by simdvae, or by ONNX Runtime's Java API on the files {@link OnnxExport} writes for it (every graph
 * optimisation, intra-op threads as {@code threads}, the input tensor over one reused direct buffer). {@code op}
 * {@code encode} is μ and log σ² ({@link Vae#encode}); {@code score} adds the decoder at z = μ and the negative ELBO
 * ({@link Vae#embed}; ONNX Runtime runs encoder.onnx, then decoder.onnx on its μ, and the loss runs in Java on its
 * logits, with our Bernoulli loss kernel). {@code rows} counts rows per second. PyTorch's figures come from
 * {@code bench/pytorch/vae_encode.py}, which {@code ./simdvae bench} runs beside this when python3-torch is there.
 * {@code packed=false} has simdvae read the weights in place in every product instead of packed once per model.
 */
public class ServingBench extends KernelBench {
    @Param({"simdvae", "onnxruntime"})
    public String engine;

    @Param({"encode", "score"})
    public String op;

    @Param({"1", "256", "4096"})
    public int rows;

    /** Threads for the call: simdvae's inference threads, ONNX Runtime's intra-op threads. */
    @Param({"1", "2"})
    public int threads;

    /** simdvae's weights packed once per model (its default), or read in place by every product. */
    @Param({"true"})
    public boolean packed;

    private static final int PIXELS = 784;
    private Vae vae;
    private float[][] x;
    private Dataset data;
    private OrtEnvironment env;
    private OrtSession encoder;
    private OrtSession decoder;
    private FloatBuffer input;
    private float[] flat;
    private float[] head;
    private float[] logits;
    private float[] dLogits;
    private float[] dHead;
    private float[] losses;
    private LossKernel loss;

    /** Counts rows served per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rows {
        public long rows;
    }

    @Setup
    public void setup() throws Exception {
        vae = BenchSupport.withPackedWeights(packed,
                () -> Vae.create(VaeConfig.defaults().withHidden(List.of(512)).withThreads(threads)));
        float[] pixels = BenchSupport.random(11, rows * PIXELS, 0, 1);
        x = new float[rows][PIXELS];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(pixels, i * PIXELS, x[i], 0, PIXELS);
        }
        data = Dataset.of(x);
        if (engine.equals("onnxruntime")) {
            Path dir = Files.createTempDirectory("simdvae-serving");
            List<Path> files = OnnxExport.write(vae, dir);
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            encoder = env.createSession(files.get(0).toString(), options);
            decoder = env.createSession(files.get(1).toString(), options);
            input = ByteBuffer.allocateDirect(rows * PIXELS * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            input.put(pixels, 0, rows * PIXELS).rewind();
            flat = java.util.Arrays.copyOf(pixels, rows * PIXELS);
            head = new float[rows * 4];
            logits = new float[rows * PIXELS];
            dLogits = new float[rows * PIXELS];
            dHead = new float[rows * 4];
            losses = new float[rows];
            loss = Kernels.of(vae.config().runtime().width()).bernoulliLoss();
        }
        // both engines serve the same model: their outputs agree to float rounding
        double[] ours = vae.embed(data).score();
        double[] theirs = serve(new Rows());
        if (op.equals("score") && engine.equals("onnxruntime")) {
            for (int i = 0; i < rows; i++) {
                if (Math.abs(ours[i] - theirs[i]) > 1e-3 * Math.abs(ours[i])) {
                    throw new IllegalStateException("ONNX Runtime's score of row " + i + " is " + theirs[i]
                            + ", ours " + ours[i]);
                }
            }
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (encoder != null) {
            encoder.close();
            decoder.close();
        }
    }

    @Benchmark
    public double[] serve(Rows counter) throws OrtException {
        counter.rows += rows;
        if (engine.equals("simdvae")) {
            if (op.equals("encode")) {
                Encoding e = vae.encode(data);
                return new double[] {e.mu()[rows - 1][0]};
            }
            return vae.embed(data).score();
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, input, new long[] {rows, PIXELS});
             OrtSession.Result encoded = encoder.run(Map.of("x", in))) {
            OnnxTensor mu = (OnnxTensor) encoded.get("mu").orElseThrow();
            FloatBuffer m = mu.getFloatBuffer();
            if (op.equals("encode")) {
                FloatBuffer v = ((OnnxTensor) encoded.get("logvar").orElseThrow()).getFloatBuffer();
                return new double[] {m.get(m.limit() - 2) + v.get(0)};
            }
            FloatBuffer v = ((OnnxTensor) encoded.get("logvar").orElseThrow()).getFloatBuffer();
            for (int i = 0; i < rows; i++) {
                head[4 * i] = m.get(2 * i);
                head[4 * i + 1] = m.get(2 * i + 1);
                head[4 * i + 2] = v.get(2 * i);
                head[4 * i + 3] = v.get(2 * i + 1);
            }
            try (OrtSession.Result decoded = decoder.run(Map.of("z", mu))) {
                ((OnnxTensor) decoded.get("x_logit").orElseThrow()).getFloatBuffer().get(logits);
            }
            loss.lossAndGradient(LossBatch.dense(rows, PIXELS, 2, 1, logits, flat, head, dLogits, dHead, losses),
                    0, rows);
            double[] scores = new double[rows];
            for (int i = 0; i < rows; i++) {
                scores[i] = losses[i];
            }
            return scores;
        }
    }
}
