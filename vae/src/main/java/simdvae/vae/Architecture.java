package simdvae.vae;

import java.util.ArrayList;
import java.util.List;

/**
 * The VAE's layers and where their parameters live in the one buffer:
 * <pre>
 *   encoder  input → hidden[0] → … → hidden[last]          Dense + ReLU
 *   head     hidden[last] → 2·latent  [μ | log σ²]          Dense (both heads fused)
 *   decoder  latent → hidden[last] → … → hidden[0]          Dense + ReLU
 *   output   hidden[0] → outputs·input                      Dense; the likelihood's parameters: logits (Bernoulli;
 *                                                           the sigmoid lives in the loss) or [mean | log σ²]
 * </pre>
 *
 * @param input          features a row
 * @param hidden         the encoder's hidden sizes, first to last (the decoder mirrors them)
 * @param latent         the latent size
 * @param outputs        decoder outputs per input feature: {@link Likelihood#outputsPerFeature()}
 * @param encoder        the encoder's hidden layers
 * @param head           the fused μ and log σ² layer
 * @param decoder        the decoder's hidden layers
 * @param output         the decoder's output layer
 * @param parameterCount the length of the parameter buffer
 */
public record Architecture(int input, List<Integer> hidden, int latent, int outputs, List<Dense> encoder, Dense head,
                           List<Dense> decoder, Dense output, int parameterCount) {
    /**
     * The layers and their places in the parameter buffer.
     *
     * @param input   features a row
     * @param hidden  the encoder's hidden sizes
     * @param latent  the latent size
     * @param outputs decoder outputs per feature
     * @return the architecture
     */
    public static Architecture of(int input, List<Integer> hidden, int latent, int outputs) {
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
        Dense output = new Dense(in, outputs * input, offset, false);
        offset += output.size();
        return new Architecture(input, List.copyOf(hidden), latent, outputs, List.copyOf(encoder), head,
                List.copyOf(decoder), output, offset);
    }

    /**
     * The architecture a configuration describes.
     *
     * @param c the configuration
     * @return its architecture
     */
    public static Architecture of(VaeConfig c) {
        return of(c.input(), c.hidden(), c.latent(), c.likelihood().outputsPerFeature());
    }

    /**
     * Decoder outputs per row.
     *
     * @return {@code outputs · input}
     */
    public int outputWidth() {
        return outputs * input;
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
        int w = Math.max(outputs * input, 2 * latent);
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
        s.append('-').append(input);
        return (outputs == 1 ? s : s.append("(x").append(outputs).append(')')).toString();
    }
}
