package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.core.Simd;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.UnseenLevels;

/**
 * Ensembles ({@link VaeConfig#withEnsemble}): one {@link Vae} whose numbers are its members' mean, each member the
 * bits of that member trained alone, the same at every width and thread count, through a file and a checkpoint.
 */
class EnsembleTest {
    @TempDir
    Path dir;

    static final Dataset TABLE = MixedRows.dataset(MixedRows.make(400, 0, 3));
    static final Dataset ROWS = MixedRows.dataset(MixedRows.make(60, 6, 4));

    static VaeConfig tableConfig(int members) {
        return VaeConfig.defaults().withHidden(List.of(16)).withLatent(2).withBatch(40).withEpochs(2).withSeed(9)
                .withLikelihood(Likelihood.GAUSSIAN).withEnsemble(members);
    }

    /** Member {@code k} of {@code ensemble} rebuilt as a model of its own from its parameters. */
    static Vae alone(Vae ensemble, int k) {
        VaeConfig c = ensemble.config().withSeed(RngStreams.memberSeed(ensemble.config().training().seed(), k))
                .withEnsemble(1);
        return Vae.of(c, ensemble.member(k).parameters(), ensemble.features());
    }

    /** The members' mean as the contract states it: summed in member order in double from member 0's, divided. */
    static double[] mean(List<double[]> members) {
        double[] sum = members.get(0).clone();
        for (int k = 1; k < members.size(); k++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += members.get(k)[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= members.size();
        }
        return sum;
    }

    @Test
    void anEnsemblesScoresAreExactlyItsMembersMean() {
        Vae ensemble = Models.trained(Vae.create(tableConfig(3), TABLE), TABLE).withUnseenLevels(UnseenLevels.OTHER);
        assertEquals(3, ensemble.members());
        List<Vae> members = List.of(alone(ensemble, 0), alone(ensemble, 1), alone(ensemble, 2));
        List<Scores> each = members.stream().map(m -> m.withUnseenLevels(UnseenLevels.OTHER).score(ROWS, true))
                .toList();
        Scores s = ensemble.score(ROWS, true);
        assertArrayEquals(mean(each.stream().map(Scores::score).toList()), s.score());
        assertArrayEquals(mean(each.stream().map(Scores::negativeElbo).toList()), s.negativeElbo());
        assertArrayEquals(mean(each.stream().map(Scores::reconstruction).toList()), s.reconstruction());
        assertArrayEquals(mean(each.stream().map(Scores::kl).toList()), s.kl());
        for (int i = 0; i < ROWS.size(); i++) {
            final int row = i;
            double[] cells = mean(each.stream().map(e -> toDouble(e.perColumn()[row])).toList());
            float[] expected = new float[cells.length];
            for (int j = 0; j < cells.length; j++) {
                expected[j] = (float) cells[j];
            }
            assertArrayEquals(expected, s.perColumn()[i]);
            assertEquals(ensemble.reference().scores().percentile(s.score()[i]), s.percentile(i));
        }
        assertNotEquals(each.get(0).score()[0], each.get(1).score()[0], "members of other seeds differ");
        // evaluate, logLikelihood and the embedding's score: the members' mean too
        List<Evaluation> evals = members.stream().map(m -> m.withUnseenLevels(UnseenLevels.OTHER).evaluate(ROWS))
                .toList();
        Evaluation ev = ensemble.evaluate(ROWS);
        assertEquals(mean(evals.stream().map(e -> new double[] {e.sampled(), e.atMean()}).toList())[0], ev.sampled());
        assertEquals(mean(evals.stream().map(e -> new double[] {e.sampled(), e.atMean()}).toList())[1], ev.atMean());
        assertArrayEquals(mean(members.stream().map(m -> m.withUnseenLevels(UnseenLevels.OTHER)
                .logLikelihood(ROWS, 3)).toList()), ensemble.logLikelihood(ROWS, 3));
        Embedding e = ensemble.embed(ROWS, true);
        assertArrayEquals(s.score(), e.score());
        assertArrayEquals(members.get(0).withUnseenLevels(UnseenLevels.OTHER).embed(ROWS).mu()[5], e.mu()[5],
                "the latents are member 0's");
        assertArrayEquals(members.get(0).withUnseenLevels(UnseenLevels.OTHER).reconstruct(ROWS)[7],
                ensemble.reconstruct(ROWS)[7]);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Each member ends with the bits of that member trained alone: member 0 with the run's seed, as one model. */
    @Test
    void eachMemberIsTheModelOfItsSeedTrainedAlone() {
        Vae ensemble = Models.trained(Vae.create(tableConfig(3), TABLE), TABLE);
        for (int k = 0; k < 3; k++) {
            long seed = RngStreams.memberSeed(9, k);
            Vae one = Models.trained(Vae.create(tableConfig(1).withSeed(seed), TABLE), TABLE);
            assertEquals(one.parametersSha256(), ensemble.member(k).parametersSha256(), "member " + k);
        }
        assertEquals(9, RngStreams.memberSeed(9, 0));
        assertNotEquals(RngStreams.memberSeed(9, 1), RngStreams.shardSeed(9, 1), "a member's seed is no shard's");
    }

    /** Plain MNIST models at every width and thread count: the same parameters and scores, to the bit. */
    @Test
    void sameBitsAtEveryWidthAndThreadCount() {
        Dataset data = Mnist.train().head(300);
        Dataset test = Mnist.test().head(40);
        Map<String, String> seen = new LinkedHashMap<>();
        for (Width w : Simd.supportedWidths()) {
            for (int threads = 1; threads <= 2; threads++) {
                Vae v = Models.trained(Vae.create(VaeConfig.defaults().withHidden(List.of(24)).withLatent(2)
                        .withBatch(32).withEpochs(2).withSeed(5).withEnsemble(2).withWidth(w).withThreads(threads)),
                        data);
                Scores s = v.score(test, true);
                seen.put(w + "/" + threads, v.parametersSha256() + " " + java.util.Arrays.hashCode(s.score()) + " "
                        + java.util.Arrays.hashCode(s.negativeElbo()) + " "
                        + java.util.Arrays.deepHashCode(s.perColumn()) + " "
                        + java.util.Arrays.hashCode(s.percentiles()));
            }
        }
        assertEquals(1, seen.values().stream().distinct().count(), seen.toString());
    }

    /** One member is today's model: the parameter and score bits of the single model before ensembles existed. */
    @Test
    void oneMemberIsTheSingleModelBitForBit() throws Exception {
        Vae v = Models.trained(Vae.create(VaeConfig.defaults().withHidden(List.of(24)).withLatent(2).withBatch(32)
                .withEpochs(2).withSeed(5)), Mnist.train().head(300));
        assertEquals(1, v.members());
        Scores s = v.score(Mnist.test().head(50));
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < s.score().length; i++) {
            md.update(Double.toHexString(s.score()[i]).getBytes());
            md.update(Double.toHexString(s.negativeElbo()[i]).getBytes());
            md.update(Double.toHexString(s.percentiles()[i]).getBytes());
        }
        assertEquals(PINNED_PARAMS, v.parametersSha256());
        assertEquals(PINNED_SCORES, java.util.HexFormat.of().formatHex(md.digest()));
    }

    /** What the single model of {@link #oneMemberIsTheSingleModelBitForBit} was before ensembles (main's bits). */
    static final String PINNED_PARAMS = "c92268189af0308561858ef56a5a11694be5131c594808b1bf287adb8125798e";
    static final String PINNED_SCORES = "2d55e0feff84116ec8e5d0063d397c1fe5b836d54461d9905f377c7755ed98a4";

    @Test
    void anEnsembleSurvivesItsFileToTheBit() {
        Vae ensemble = Models.trained(Vae.create(tableConfig(2), TABLE), TABLE);
        Path f = dir.resolve("e.svae");
        ensemble.save(f);
        Vae back = Vae.load(f);
        assertEquals(2, back.members());
        assertEquals(2, back.config().training().ensemble());
        assertEquals(ensemble.parametersSha256(), back.parametersSha256());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(ensemble.member(k).parameters(), back.member(k).parameters());
        }
        Scores a = ensemble.withUnseenLevels(UnseenLevels.OTHER).score(ROWS);
        Scores b = back.withUnseenLevels(UnseenLevels.OTHER).score(ROWS);
        assertArrayEquals(a.score(), b.score());
        assertArrayEquals(a.negativeElbo(), b.negativeElbo());
        assertArrayEquals(a.percentiles(), b.percentiles());
        assertEquals(ensemble.parametersSha256(), Vae.fromBytes(ensemble.toBytes(), "bytes").parametersSha256());
        assertNotEquals(ensemble.parametersSha256(), ensemble.member(0).parametersSha256(), "the hash covers all");
    }

    /** A warm start goes on training every member, each as that member's own warm start would. */
    @Test
    void aWarmStartContinuesEachMember() {
        Vae ensemble = Models.trained(Vae.create(tableConfig(2), TABLE), TABLE);
        Vae more;
        try (Trainer t = Trainer.warmStart(ensemble, ensemble.config().withEpochs(1))) {
            t.train(TABLE);
            more = t.model();
        }
        assertEquals(2, more.members());
        for (int k = 0; k < 2; k++) {
            Vae member = ensemble.member(k);
            try (Trainer t = Trainer.warmStart(member, member.config().withEpochs(1))) {
                t.train(TABLE);
                assertEquals(t.model().parametersSha256(), more.member(k).parametersSha256(), "member " + k);
            }
        }
        SimdvaeException e = assertThrows(SimdvaeException.class,
                () -> Trainer.warmStart(ensemble, ensemble.config().withEnsemble(3)));
        assertTrue(e.getMessage().contains("ensemble of 3 members"), e.getMessage());
    }

    @Test
    void badSizesAreRefused() {
        qt().forAll(integers().between(-5, 0)).checkAssert(n -> {
            SimdvaeException e = assertThrows(SimdvaeException.class, () -> VaeConfig.defaults().withEnsemble(n));
            assertEquals("an ensemble must have 1 to 1000 members, got " + n, e.getMessage());
        });
        Vae ensemble = Vae.create(VaeConfig.defaults().withInput(5).withHidden(List.of(4)).withEnsemble(2));
        assertThrows(SimdvaeException.class, () -> ensemble.member(2));
        try (Trainer t = new Trainer(ensemble)) {
            SimdvaeException e = assertThrows(SimdvaeException.class, t::state);
            assertTrue(e.getMessage().contains("ensemble of 2"), e.getMessage());
        }
    }
}
