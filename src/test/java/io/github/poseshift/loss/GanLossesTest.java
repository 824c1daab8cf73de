package io.github.poseshift.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class GanLossesTest {

    @Test
    void lsganLossesMatchHandValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray real = m.create(new float[] {1, 0.5f}); // (0² + 0.5²)/2 = 0.125
            NDArray fake = m.create(new float[] {0, 1}); // (0 + 1)/2 = 0.5
            assertEquals(0.5 * (0.125 + 0.5), GanLosses.discriminator(real, fake).getFloat(), 1e-7);
            assertEquals(0.5 * (1 + 0) / 2, GanLosses.generator(fake).getFloat(), 1e-7);
        }
    }

    @Test
    void penaltiesCountOnlyOutsideTheirBand() {
        try (NDManager m = NDManager.newBaseManager()) {
            // The paper's bone-angle band 0.205 ± 0.165: 0.1 and 0.3 inside, 0.0 and 0.5 outside.
            NDArray meanChange = m.create(new float[] {0.1f, 0.3f, 0.0f, 0.5f});
            double expected = (Math.pow(0.205, 2) + Math.pow(0.295, 2)) / 4;
            assertEquals(expected, GanLosses.outsideBand(meanChange, 0.205, 0.165).getFloat(), 1e-6);
            // Bone-length ratios with the 0.1 threshold: only -0.15 and 0.2 count.
            NDArray ratios = m.create(new float[] {0.05f, -0.15f, 0.2f, 0.0f});
            assertEquals((0.0225 + 0.04) / 4, GanLosses.rectifiedSquare(ratios, 0.1).getFloat(), 1e-7);
        }
    }
}
