package simdvae.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimdTest {
    @AfterEach
    void resetDefault() {
        Simd.setDefault(null);
        System.clearProperty(Simd.WIDTH_PROPERTY);
    }

    @Test
    void parsesEverySpellingAndRejectsOthersWithTheAcceptedList() {
        assertEquals(Width.AUTO, Width.parse("auto"));
        assertEquals(Width.SCALAR, Width.parse("Scalar"));
        assertEquals(Width.W256, Width.parse(" 256 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Width.parse("1024"));
        assertTrue(e.getMessage().contains("auto, scalar, 64, 128, 256 or 512"), e.getMessage());
    }

    @Test
    void autoPicksScalarForASmallJobOnlyAndAnExplicitWidthStands() {
        Simd.Choice small = Simd.chooseFor(Width.AUTO, Simd.SMALL_JOB_FLOPS / 2);
        assertEquals(Width.SCALAR, small.width());
        assertTrue(small.reason().contains("small job (2.00 GFLOP)"), small.reason());
        assertEquals(Simd.choose(Width.AUTO), Simd.chooseFor(Width.AUTO, Simd.SMALL_JOB_FLOPS));
        assertEquals(Width.W128, Simd.chooseFor(Width.W128, 1).width(), "a requested width is kept, however small");
    }

    @Test
    void testsRunWithTheVectorModuleAndC2() {
        assertTrue(Simd.vectorModulePresent(), "the build passes --add-modules jdk.incubator.vector");
        assertTrue(Simd.maxBits() >= 128, "this project's machines have at least 128-bit vectors");
        String reason = Simd.choose(Width.AUTO).reason();
        assertTrue(reason.startsWith("auto: the CPU's preferred species"), "auto fell back, C2 missing? " + reason);
    }

    @Test
    void autoPicksTheWidestNativeWidthAndSaysWhy() {
        Simd.Choice c = Simd.choose(Width.AUTO);
        assertEquals(Simd.maxBits(), c.width().bits);
        assertTrue(c.reason().contains("preferred"), c.reason());
        assertEquals(Simd.maxBits() / 32, c.lanes());
    }

    @Test
    void widthsAboveTheCpuAreRefusedNotEmulated() {
        for (Width w : Width.FIXED) {
            if (w.bits > Simd.maxBits()) {
                UnsupportedWidthException e = assertThrows(UnsupportedWidthException.class, () -> Simd.choose(w));
                assertTrue(e.getMessage().contains("not supported by this CPU"), e.getMessage());
            } else {
                assertEquals(w, Simd.choose(w).width());
            }
        }
    }

    @Test
    void defaultComesFromTheApiThenThePropertyThenAuto() {
        assertEquals(Simd.choose(Width.AUTO).width(), Simd.current().width());
        System.setProperty(Simd.WIDTH_PROPERTY, "128");
        assertEquals(Width.W128, Simd.current().width());
        Simd.setDefault(Width.SCALAR);
        assertEquals(Width.SCALAR, Simd.current().width());
        System.setProperty(Simd.WIDTH_PROPERTY, "banana");
        Simd.setDefault(null);
        assertThrows(IllegalArgumentException.class, Simd::current);
    }

    @Test
    void supportedWidthsStartWithScalarAndStopAtTheCpu() {
        assertEquals(Width.SCALAR, Simd.supportedWidths().get(0));
        for (Width w : Simd.supportedWidths()) {
            assertTrue(w.bits <= Simd.maxBits());
        }
    }
}
