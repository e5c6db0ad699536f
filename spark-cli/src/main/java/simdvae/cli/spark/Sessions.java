package simdvae.cli.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the master checked first, so a wrong one costs a line, not a minute. */
final class Sessions {
    private Sessions() {
    }

    static SparkSession start(String master) {
        if (master.startsWith("spark://")) {
            for (String hostPort : master.substring("spark://".length()).split(",")) {
                URI uri = URI.create("spark://" + hostPort);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("the master URL " + master + " is not spark://HOST:PORT");
                }
                int port = uri.getPort() < 0 ? 7077 : uri.getPort();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(uri.getHost(), port), 5000);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot reach the Spark master at " + uri.getHost() + ":"
                            + port + " (" + e.getMessage() + ")");
                }
            }
        } else if (!master.startsWith("local") && !master.equals("yarn") && !master.startsWith("k8s://")) {
            throw new IllegalArgumentException("unknown master " + master + ": use local[N], local[*],"
                    + " spark://HOST:PORT, yarn or k8s://...");
        }
        SparkSession spark = SparkSession.builder().master(master).appName("simdvae")
                .config("spark.ui.showConsoleProgress", "false")
                // a shard's round result (parameters and Adam's moments: 9.7 MB for the tutorial's model) goes back
                // directly, not through the block manager (measured: 0.118 -> 0.079 s a round of driver and Spark
                // time at K = 10); below spark.rpc.message.maxSize (128 MB), which direct results must fit
                .config("spark.task.maxDirectResultSize", "64m")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
