package io.github.poseshift.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairwiseDescriptorTest {

    /** Three joints, worked out by hand from Eq. 1: d(z_i, z_j) = [Δx, Δy, Δz, Δx², Δy², Δz²], Δ = z_i − z_j. */
    @Test
    void aThreeJointPoseGivesTheHandComputedDescriptor() {
        double[] pose = {0, 0, 0, 1, 2, 3, -1, 0.5, 2};
        double[] d = PairwiseDescriptor.of(pose);
        assertEquals(6 * 3 * 3, d.length);
        // Component-major [6][3][3]: Δx of every (i, j), then Δy, Δz, Δx², Δy², Δz².
        double[] expected = {
            // Δx
            0, -1, 1,
            1, 0, 2,
            -1, -2, 0,
            // Δy
            0, -2, -0.5,
            2, 0, 1.5,
            0.5, -1.5, 0,
            // Δz
            0, -3, -2,
            3, 0, 1,
            2, -1, 0,
            // Δx²
            0, 1, 1,
            1, 0, 4,
            1, 4, 0,
            // Δy²
            0, 4, 0.25,
            4, 0, 2.25,
            0.25, 2.25, 0,
            // Δz²
            0, 9, 4,
            9, 0, 1,
            4, 1, 0};
        assertArrayEquals(expected, d, 1e-12);
    }

    @Test
    void aTranslatedPoseHasTheSameDescriptor() {
        double[] pose = {0.1, -0.3, 4.0, 0.4, 0.2, 4.1, -0.2, 0.7, 3.8, 0.9, 0.1, 4.4};
        double[] moved = pose.clone();
        for (int k = 0; k < moved.length; k++) {
            moved[k] += new double[] {2.5, -1.25, 7}[k % 3];
        }
        assertArrayEquals(PairwiseDescriptor.of(pose), PairwiseDescriptor.of(moved), 1e-12);
        assertTrue(PairwiseDescriptor.of(pose)[1] != 0, "not all zero");
    }

    @Test
    void badPosesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PairwiseDescriptor.of(new double[] {1, 2}))
                .getMessage().contains("[P][3]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PairwiseDescriptor.of(new double[] {0, 0, 0, 1, Double.NaN, 0})).getMessage().contains("joint 1"));
    }
}
