package simdvae.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import simdvae.vae.Vae;

/**
 * Models parsed from broadcast bytes, once per executor JVM and broadcast: the tasks of one transform share one
 * {@link Vae} (and its pooled inference buffers) instead of parsing a model per partition.
 */
final class TaskModels {
    private static final int KEPT = 8;
    private static final Map<String, Vae> MODELS = new ConcurrentHashMap<>();

    private TaskModels() {
    }

    /**
     * A model file's bytes broadcast for one transform or drift, under a key of its own. Not the broadcast's id:
     * ids start again at 0 in every SparkContext, so a JVM that has run several contexts one after another (local
     * mode, tests) would find another context's model under the same id.
     *
     * @param bytes the model file's bytes, broadcast
     * @param key   a random key, unique to this broadcast
     * @param name  what to call the model in messages
     */
    record Shipped(Broadcast<byte[]> bytes, String key, String name) implements Serializable {
    }

    /** Broadcasts a model file's bytes on {@code sc}. */
    static Shipped ship(SparkContext sc, byte[] bytes, String name) {
        return new Shipped(sc.broadcast(bytes, scala.reflect.ClassTag$.MODULE$.apply(byte[].class)),
                UUID.randomUUID().toString(), name);
    }

    /** The shipped model, parsed once in this JVM. */
    static Vae get(Shipped model) {
        Vae vae = MODELS.get(model.key());
        if (vae == null) {
            if (MODELS.size() >= KEPT) {
                // a long-lived executor that saw many transforms: forget the old ones (they are parsed again)
                MODELS.clear();
            }
            vae = MODELS.computeIfAbsent(model.key(), k -> Vae.fromBytes(model.bytes().value(), model.name()));
        }
        return vae;
    }
}
