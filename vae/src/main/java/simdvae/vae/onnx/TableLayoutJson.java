package simdvae.vae.onnx;

import java.util.List;
import simdvae.kernels.LossLayout;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;

/**
 * A table model's layout as JSON, for the exported files' metadata: per column its name and kind, where it enters
 * the encoder ({@code input}; a categorical column's one-hot block starts there, {@code levels} long; {@code
 * missing_input}: its "was missing" input, or −1), how a number is scaled ({@code (x − offset)·factor}, clamped to
 * [0, 1] under min-max; a missing number enters as {@code neutral}), and where the decoder's {@code params} hold its
 * likelihood ({@code mean} and {@code raw_logvar}, with log σ² = 7·tanh(raw/7); or {@code logit}; or {@code logits},
 * one a level).
 */
final class TableLayoutJson {
    private TableLayoutJson() {
    }

    static String of(Vae vae) {
        Features f = vae.features();
        Schema c = f.schema();
        LossLayout layout = c.layout();
        int gaussian = layout.gaussian();
        int numerics = gaussian + layout.bernoulli();
        StringBuilder s = new StringBuilder("{\"input_width\":").append(vae.architecture().input())
                .append(",\"output_width\":").append(vae.architecture().outputWidth())
                .append(",\"scaling\":").append(text(f.scaling().spelling()))
                .append(",\"numeric_likelihood\":").append(text(c.numericLikelihood().spelling()))
                .append(",\"columns\":[");
        List<String> names = f.names();
        for (int j = 0; j < c.count(); j++) {
            boolean categorical = c.kind(j) == Dataset.Kind.CATEGORICAL;
            int g = c.group(j);
            s.append(j == 0 ? "" : ",").append("{\"name\":").append(text(names != null ? names.get(j) : "x" + j))
                    .append(",\"kind\":").append(text(categorical ? "categorical" : "numeric"))
                    .append(",\"input\":").append(c.input(j)).append(",\"missing_input\":").append(c.missingIndicator(j));
            if (categorical) {
                s.append(",\"levels\":[");
                List<String> levels = c.levels(j);
                for (int q = 0; q < levels.size(); q++) {
                    s.append(q == 0 ? "" : ",").append(text(levels.get(q)));
                }
                s.append("],\"logits\":").append(layout.logitStart(g - numerics));
            } else {
                s.append(",\"offset\":").append(f.offset(j)).append(",\"factor\":").append(f.factor(j))
                        .append(",\"neutral\":").append(f.missingInput(j));
                if (gaussian > 0) {
                    s.append(",\"mean\":").append(g).append(",\"raw_logvar\":").append(gaussian + g);
                } else {
                    s.append(",\"logit\":").append(g);
                }
            }
            s.append('}');
        }
        return s.append("]}").toString();
    }

    /** A JSON string. */
    private static String text(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char ch : v.toCharArray()) {
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format("\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
