package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.cli.Main;
import simdvae.vae.internal.io.Checkpoint;

/** SIGTERM during training stops at a step boundary with a checkpoint; two runs never share an --out. */
class StopAndLockTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsAtAStepWithACheckpointThatResumesExactly() throws Exception {
        String data = Mnist.dir().toString();
        Path reference = dir.resolve("reference");
        assertEquals(0, Main.run(KillResumeTest.args(new String[] {"train", "--data", data, "--out",
            reference.toString()})));

        Path run = dir.resolve("stopped");
        Path log = dir.resolve("log.txt");
        List<String> cmd = KillResumeTest.command(KillResumeTest.args(new String[] {"train", "--data", data, "--out",
            run.toString(), "--checkpoint-every", "3"}));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path checkpoint = run.resolve("checkpoint.svck");
        for (int i = 0; i < 600 && !Files.exists(checkpoint) && p.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the run ended before the signal: " + Files.readString(log));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop after SIGTERM");
        assertNotEquals(0, p.exitValue());
        List<String> stopped = Files.readAllLines(log).stream().filter(l -> l.startsWith("simdvae: stopped at step"))
                .toList();
        assertEquals(1, stopped.size(), Files.readString(log));
        assertFalse(Files.readString(log).contains("\tat "), Files.readString(log));
        long step = Long.parseLong(stopped.get(0).replaceAll("^simdvae: stopped at step (\\d+).*", "$1"));
        assertEquals(step, Checkpoint.read(checkpoint).position().step(), "the checkpoint is the stopping step's");
        assertFalse(Files.exists(run.resolve("model.svae")), "no model from a stopped run");

        assertEquals(0, Main.run("train", "--resume", run.toString()));
        assertEquals(KillResumeTest.sha(reference), KillResumeTest.sha(run));
    }

    @Test
    void aSecondRunIntoTheSameOutRefusesAtOnce() throws Exception {
        Path out = dir.resolve("busy");
        Files.createDirectories(out);
        // another run holds the lock (here: this JVM, as a second process would)
        try (FileChannel c = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = c.lock()) {
            assertTrue(held.isValid());
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true));
            int code;
            try {
                code = Main.run("train", "--data", Mnist.dir().toString(), "--epochs", "1", "--hidden", "8",
                        "--out", out.toString());
            } finally {
                System.setErr(old);
            }
            assertEquals(1, code);
            assertTrue(err.toString().contains("another simdvae train is writing into " + out), err.toString());
            assertFalse(Files.exists(out.resolve("metrics.json")));
            assertFalse(Files.exists(out.resolve("progress.json")));
        }
        // the lock gone, the same directory trains (its lock file alone is no result)
        assertEquals(0, Main.run("train", "--data", Mnist.dir().toString(), "--epochs", "1", "--hidden", "8",
                "--iw-samples", "0", "--out", out.toString()));
    }
}
