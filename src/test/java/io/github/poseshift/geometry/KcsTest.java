package io.github.poseshift.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KcsTest {

    /** A three-joint chain: root at the origin, a bone of length 1 along x, then 2 along y. */
    private static final Skeleton CHAIN = new Skeleton("chain", List.of("a", "b", "c"), new int[] {-1, 0, 1}, List.of());

    @Test
    void psiHoldsSquaredLengthsAndDotProducts() {
        Kcs kcs = new Kcs(CHAIN);
        double[] pose = {0, 0, 0, 1, 0, 0, 1, 2, 0};
        assertArrayEquals(new double[] {1, 0, 0, 0, 2, 0}, kcs.boneVectors(pose, 3));
        assertArrayEquals(new double[] {1, 0, 0, 4}, kcs.psi(pose, 3));
        assertArrayEquals(new double[] {1, 2}, kcs.boneLengths(pose, 3));
        assertArrayEquals(new double[] {0, 1}, kcs.boneLengthRatios(pose, 3, new double[] {1, 1}));
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, kcs.limbDirections(pose, 3));
        // The same chain seen as 2D keypoints.
        double[] keypoints = {0, 0, 1, 0, 1, 2};
        assertArrayEquals(new double[] {1, 0, 0, 4}, kcs.psi(keypoints, 2));
    }

    @Test
    void psiEqualsCtXtXC() {
        // Ψ = BᵀB with B = X·C, computed the long way from the incidence matrix.
        Skeleton s = Skeletons.H36M17;
        Kcs kcs = new Kcs(s);
        Random rng = new Random(1);
        double[] pose = new double[51];
        for (int i = 0; i < pose.length; i++) {
            pose[i] = rng.nextGaussian();
        }
        double[] c = kcs.incidenceMatrix();
        int nb = kcs.numBones();
        double[] b = new double[3 * nb];
        for (int a = 0; a < 3; a++) {
            for (int k = 0; k < nb; k++) {
                for (int j = 0; j < 17; j++) {
                    b[a * nb + k] += pose[j * 3 + a] * c[j * nb + k];
                }
            }
        }
        double[] psi = kcs.psi(pose, 3);
        for (int k = 0; k < nb; k++) {
            for (int m = 0; m < nb; m++) {
                double expected = 0;
                for (int a = 0; a < 3; a++) {
                    expected += b[a * nb + k] * b[a * nb + m];
                }
                assertEquals(expected, psi[k * nb + m], 1e-12);
            }
        }
    }

    @Test
    void psiIsInvariantToGlobalRotation() {
        Kcs kcs = new Kcs(Skeletons.H36M17);
        Random rng = new Random(2);
        double[] pose = new double[51];
        for (int i = 0; i < pose.length; i++) {
            pose[i] = rng.nextGaussian();
        }
        double[] rotated = new Procrustes.Similarity(1, ProcrustesTest.randomRotation(rng),
                new double[] {1, 2, 3}).apply(pose);
        assertArrayEquals(kcs.psi(pose, 3), kcs.psi(rotated, 3), 1e-9);
    }

    @Test
    void wrongShapesAreRejected() {
        Kcs kcs = new Kcs(Skeletons.H36M17);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> kcs.psi(new double[50], 3))
                .getMessage().contains("not [17][3]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> kcs.boneLengthRatios(new double[51], 3, new double[16])).getMessage().contains("must be positive"));
    }
}
