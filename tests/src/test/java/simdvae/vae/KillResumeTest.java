package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.cli.Main;
import simdvae.vae.internal.io.Checkpoint;

/**
 * Kills training processes with SIGKILL at random moments (checkpoints are written every 3 steps, so some kills land
 * inside a write), resumes each time, and checks that the checkpoint always loads and that the run ends with the
 * same parameters as one never interrupted.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    static final String[] RUN = {"--epochs", "16", "--hidden", "48", "--batch", "40", "--seed", "11"};

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String sha(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject()
                .get("params_sha256").getAsString();
    }

    static String[] args(String[] head, String... tail) {
        return with(with(head, RUN), tail);
    }

    @Test
    void killedAndResumedRunsEndWithTheUninterruptedParameters() throws Exception {
        String data = Mnist.dir().toString();
        killAndResume(args(new String[] {"train", "--data", data}));
    }

    /** The same bar for an ensemble: its members' epochs one after another, killed between them or inside one. */
    @Test
    void killedAndResumedEnsemblesEndWithTheUninterruptedParameters() throws Exception {
        String data = Mnist.dir().toString();
        killAndResume(args(new String[] {"train", "--data", data, "--ensemble", "2", "--iw-samples", "0"}));
    }

    /** The same bar for a warm start: a run that goes on training a saved model, killed and resumed. */
    @Test
    void killedAndResumedWarmStartsEndWithTheUninterruptedParameters() throws Exception {
        String data = Mnist.dir().toString();
        Path base = oneEpoch("base", "--hidden", "48", "--iw-samples", "0");
        killAndResume(new String[] {"train", "--data", data, "--from", base.resolve("model.svae").toString(),
            "--epochs", "16", "--batch", "40", "--seed", "11", "--lr", "0.0005"});
    }

    /** A run stopped before its first checkpoint has nothing to lose: --resume trains it again, to the same end. */
    @Test
    void aRunStoppedBeforeItsFirstCheckpointStartsAgainOnResume() throws Exception {
        Path reference = oneEpoch("reference", "--hidden", "32", "--iw-samples", "0");
        Path run = oneEpoch("early", "--hidden", "32", "--iw-samples", "0", "--checkpoint-every", "1000000");
        Files.delete(run.resolve("metrics.json")); // as if stopped before its end, and no checkpoint was ever written
        CliTest.Run r = CliTest.run("train", "--resume", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("stopped before its first checkpoint"), r.err());
        assertEquals(sha(reference), sha(run));
    }

    /** Runs {@code fresh} to the end once; then kills and resumes it at random moments and compares the ends. */
    private void killAndResume(String[] fresh) throws Exception {
        Path reference = dir.resolve("reference");
        assertEquals(0, Main.run(with(fresh, "--out", reference.toString())));
        String expected = sha(reference);

        Path run = dir.resolve("killed");
        Path checkpoint = run.resolve("checkpoint.svck");
        SplittableRandom random = new SplittableRandom(System.nanoTime());
        long seed = random.nextLong();
        random = new SplittableRandom(seed);
        int kills = 0;
        int resumes = 0;
        for (int attempt = 0; attempt < 12 && kills < 4; attempt++) {
            boolean resume = Files.exists(checkpoint);
            List<String> cmd = resume
                    ? command("train", "--resume", run.toString(), "--threads", String.valueOf(1 + attempt % 2))
                    : command(with(fresh, "--out", run.toString(), "--force", "--checkpoint-every", "3"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
                    ProcessBuilder.Redirect.DISCARD).start();
            long killAfter = 500 + random.nextInt(1500);
            if (p.waitFor(killAfter, TimeUnit.MILLISECONDS)) {
                assertEquals(0, p.exitValue(), "the run finished before its kill; command " + cmd);
                break;
            }
            p.destroyForcibly().waitFor();
            kills++;
            resumes += resume ? 1 : 0;
            if (Files.exists(checkpoint)) {
                Checkpoint c = Checkpoint.read(checkpoint); // always loadable, whenever the kill struck
                long steps = c.members().stream().mapToLong(m -> m.position().step()).sum(); // over every member
                assertTrue(steps > 0 && steps % 3 == 0, "checkpoint at step " + steps);
            }
        }
        assertTrue(kills >= 2, "killed " + kills + " times (seed " + seed + ")");
        if (Files.exists(checkpoint) || Files.exists(run.resolve("progress.json"))) {
            // killed before its first checkpoint, a run starts again from the beginning: to the same end
            assertEquals(0, Main.run("train", "--resume", run.toString()));
        } else {
            assertEquals(0, Main.run(with(fresh, "--out", run.toString(), "--force")));
        }
        assertEquals(expected, sha(run), "after " + kills + " kills and " + resumes + " resumes (seed " + seed + ")");
        System.err.println("kill-and-resume: " + kills + " kills, " + resumes + " of them during resumed runs, same"
                + " parameters as the uninterrupted run");
    }

    /** A run of one epoch on the test digits into {@code dir/name}, with {@code options}; returns its directory. */
    private Path oneEpoch(String name, String... options) {
        Path run = dir.resolve(name);
        assertEquals(0, Main.run(with(new String[] {"train", "--data", Mnist.dir().toString(), "--out", run.toString(),
            "--epochs", "1"}, options)));
        return run;
    }

    private static String[] with(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }

    @Test
    void aHalfWrittenTemporaryFileDoesNotDisturbResume() throws Exception {
        Path run = oneEpoch("r", "--hidden", "16", "--checkpoint-every", "50");
        String expected = sha(run);
        Files.writeString(run.resolve("checkpoint.svck.tmp"), "half a checkpoint, as a kill during a write leaves");
        assertEquals(0, Main.run("train", "--resume", run.toString()));
        assertEquals(expected, sha(run));
    }
}
