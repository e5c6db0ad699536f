package simdvae.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import simdvae.vae.Vae;

/**
 * Models parsed from broadcast bytes, once per executor JVM and broadcast: the tasks of one transform share one
 * {@link Vae} (and its pooled inference buffers) instead of parsing a model per partition.
 */
final class TaskModels {
    private static final int KEPT = 8;
    private static final Map<Long, Vae> MODELS = new ConcurrentHashMap<>();

    private TaskModels() {
    }

    static Vae get(Broadcast<byte[]> model, String name) {
        Vae vae = MODELS.get(model.id());
        if (vae == null) {
            if (MODELS.size() >= KEPT) {
                // a long-lived executor that saw many transforms: forget the old ones (they are parsed again)
                MODELS.clear();
            }
            vae = MODELS.computeIfAbsent(model.id(), id -> Vae.fromBytes(model.value(), name));
        }
        return vae;
    }
}
