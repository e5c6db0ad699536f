package simdvae.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import simdvae.vae.Vae;

/**
 * {@link VaeModel}'s persistence: a directory with Spark's metadata (uid and params) and the model file
 * ({@value VaeModel#MODEL_FILE}), on any file system Hadoop reaches.
 */
final class VaeModelFiles {
    private VaeModelFiles() {
    }

    /** The writer of {@code model}, whose file's bytes are {@code bytes}. */
    static MLWriter writer(VaeModel model, byte[] bytes) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
                Path file = new Path(path, VaeModel.MODEL_FILE);
                try {
                    FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (OutputStream out = fs.create(file, true)) {
                        out.write(bytes);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** The reader of {@link #writer}'s directories. */
    static MLReader<VaeModel> reader() {
        return new MLReader<>() {
            @Override
            public VaeModel load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path,
                        sparkSession(), VaeModel.class.getName());
                Path file = new Path(path, VaeModel.MODEL_FILE);
                byte[] bytes;
                try {
                    FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (InputStream in = fs.open(file)) {
                        bytes = in.readAllBytes();
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
                }
                VaeModel model = new VaeModel(metadata.uid(), Vae.fromBytes(bytes, file.toString()));
                metadata.getAndSetParams(model, scala.Option.empty());
                return model;
            }
        };
    }
}
