package simdvae.vae.model;

import java.util.ArrayList;
import java.util.List;
import simdvae.kernels.LossLayout;

/**
 * The VAE's layers and where their parameters live in the one buffer:
 * <pre>
 *   encoder  input → hidden[0] → … → hidden[last]          Dense + ReLU
 *   head     hidden[last] → 2·latent  [μ | log σ²]          Dense (both heads fused)
 *   decoder  latent → hidden[last] → … → hidden[0]          Dense + ReLU
 *   output   hidden[0] → outputWidth                        Dense; the likelihood's parameters: logits (Bernoulli;
 *                                                           the sigmoid lives in the loss), [mean | log σ²], or a
 *                                                           table's layout of groups
 * </pre>
 *
 * @param input          the encoder's inputs a row (a table's encoded columns)
 * @param hidden         the encoder's hidden sizes, first to last (the decoder mirrors them)
 * @param latent         the latent size
 * @param outputWidth    the decoder's outputs a row
 * @param layout         a table model's loss layout (its groups), or null for plain rows
 * @param encoder        the encoder's hidden layers
 * @param head           the fused μ and log σ² layer
 * @param decoder        the decoder's hidden layers
 * @param output         the decoder's output layer
 * @param parameterCount the length of the parameter buffer
 */
public record Architecture(int input, List<Integer> hidden, int latent, int outputWidth, LossLayout layout,
                           List<Dense> encoder, Dense head, List<Dense> decoder, Dense output, int parameterCount) {
    /**
     * The layers and their places in the parameter buffer.
     *
     * @param input       the encoder's inputs a row
     * @param hidden      the encoder's hidden sizes
     * @param latent      the latent size
     * @param outputWidth the decoder's outputs a row
     * @param layout      a table model's loss layout, or null
     * @return the architecture
     */
    public static Architecture of(int input, List<Integer> hidden, int latent, int outputWidth, LossLayout layout) {
        List<Dense> encoder = new ArrayList<>();
        int offset = 0;
        int in = input;
        for (int h : hidden) {
            Dense d = new Dense(in, h, offset, true);
            encoder.add(d);
            offset += d.size();
            in = h;
        }
        Dense head = new Dense(in, 2 * latent, offset, false);
        offset += head.size();
        List<Dense> decoder = new ArrayList<>();
        in = latent;
        for (int i = hidden.size() - 1; i >= 0; i--) {
            Dense d = new Dense(in, hidden.get(i), offset, true);
            decoder.add(d);
            offset += d.size();
            in = hidden.get(i);
        }
        Dense output = new Dense(in, outputWidth, offset, false);
        offset += output.size();
        return new Architecture(input, List.copyOf(hidden), latent, outputWidth, layout, List.copyOf(encoder), head,
                List.copyOf(decoder), output, offset);
    }

    /**
     * The architecture of a model of {@code m}: a table model's output is its loss layout's ({@code layout}), a plain
     * model's is {@link Likelihood#outputsPerFeature()} values an input.
     *
     * @param m      the model (its input is a table's encoded width for a table model)
     * @param layout a table's loss layout, or null for a plain model
     * @return its architecture
     */
    public static Architecture of(ModelConfig m, LossLayout layout) {
        int outputs = layout == null ? m.likelihood().outputsPerFeature() * m.input() : layout.outputColumns();
        return of(m.input(), m.hidden(), m.latent(), outputs, layout);
    }

    /**
     * The loss's targets a row: a table's columns, else the inputs.
     *
     * @return the target width
     */
    public int targets() {
        return layout != null ? layout.groups() : input;
    }

    /**
     * Every layer in parameter-buffer order.
     *
     * @return encoder, head, decoder, output
     */
    public List<Dense> layers() {
        List<Dense> all = new ArrayList<>(encoder);
        all.add(head);
        all.addAll(decoder);
        all.add(output);
        return all;
    }

    /**
     * The widest activation, for sizing scratch buffers.
     *
     * @return its width
     */
    public int widest() {
        int w = Math.max(outputWidth, 2 * latent);
        for (int h : hidden) {
            w = Math.max(w, h);
        }
        return w;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(input);
        for (int h : hidden) {
            s.append('-').append(h);
        }
        s.append('-').append(latent).append("(x2)");
        for (int i = hidden.size() - 1; i >= 0; i--) {
            s.append('-').append(hidden.get(i));
        }
        if (layout != null) {
            return s.append('-').append(outputWidth).append(" (a table of ").append(layout.groups())
                    .append(" columns)").toString();
        }
        s.append('-').append(input);
        return (outputWidth == input ? s : s.append("(x").append(outputWidth / input).append(')')).toString();
    }
}
