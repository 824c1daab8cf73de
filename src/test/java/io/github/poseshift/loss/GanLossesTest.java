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

    /** −(y·log σ(x) + (1 − y)·log(1 − σ(x))), Yang et al.'s L_cls, on logits; finite where σ saturates in float. */
    @Test
    void binaryCrossEntropyMatchesItsDefinitionAndStaysFiniteWhenSaturated() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] logits = {-2f, 0f, 0.7f, 3f};
            for (float y : new float[] {0f, 1f, 0.5f}) {
                double expected = 0;
                for (float x : logits) {
                    double p = 1 / (1 + Math.exp(-x));
                    expected -= (y * Math.log(p) + (1 - y) * Math.log(1 - p)) / logits.length;
                }
                assertEquals(expected, GanLosses.binaryCrossEntropy(m.create(logits), y).getFloat(), 1e-6, "label " + y);
            }
            // σ(−200) underflows to 0 in float; the loss is still −log σ(−200) = 200.
            assertEquals(200, GanLosses.binaryCrossEntropy(m.create(new float[] {-200f}), 1f).getFloat(), 1e-3);
            assertEquals(0, GanLosses.binaryCrossEntropy(m.create(new float[] {-200f}), 0f).getFloat(), 1e-6);
            NDArray real = m.create(new float[] {0f});
            NDArray fake = m.create(new float[] {0f});
            assertEquals(2 * Math.log(2), GanLosses.discriminatorCrossEntropy(real, fake).getFloat(), 1e-6);
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
