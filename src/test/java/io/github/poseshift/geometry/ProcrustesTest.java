package io.github.poseshift.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ProcrustesTest {

    static Rotation randomRotation(Random rng) {
        return Rotation.fromQuaternion(new Quaternion(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(),
                rng.nextGaussian()));
    }

    static double[] randomPoints(Random rng, int n) {
        double[] p = new double[3 * n];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextGaussian() * 0.4;
        }
        return p;
    }

    @Test
    void recoversAKnownSimilarity() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            double[] source = randomPoints(rng, 17);
            Rotation r = randomRotation(rng);
            double scale = 0.3 + 2 * rng.nextDouble();
            double[] t = {rng.nextGaussian(), rng.nextGaussian(), 3 + rng.nextGaussian()};
            double[] target = new Procrustes.Similarity(scale, r, t).apply(source);

            Procrustes.Similarity fit = Procrustes.fit(source, target);
            assertEquals(scale, fit.scale(), 1e-9);
            assertTrue(fit.rotation().approxEquals(r, 1e-9), () -> fit.rotation() + " vs " + r);
            assertArrayEquals(t, fit.translation(), 1e-9);
            assertArrayEquals(target, fit.apply(source), 1e-9);
        }
    }

    @Test
    void aMirrorImageIsAlignedWithARotationNotAReflection() {
        Random rng = new Random(11);
        double[] source = randomPoints(rng, 17);
        double[] mirrored = source.clone();
        for (int i = 0; i < mirrored.length; i += 3) {
            mirrored[i] = -mirrored[i];
        }
        Procrustes.Similarity fit = Procrustes.fit(source, mirrored);
        double[] m = fit.rotation().toMatrix();
        double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
        assertEquals(1.0, det, 1e-12);
        // A reflection cannot be undone by a rotation, so some error remains, but the fit still beats
        // leaving the points where they are.
        double residual = sumSquares(fit.apply(source), mirrored);
        assertTrue(residual > 1e-3, "residual " + residual);
        assertTrue(residual < sumSquares(source, mirrored));
    }

    @Test
    void collapsedPredictionMapsToTheTargetCentroid() {
        double[] source = new double[3 * 5];
        double[] target = randomPoints(new Random(3), 5);
        Procrustes.Similarity fit = Procrustes.fit(source, target);
        assertEquals(0.0, fit.scale());
        double[] aligned = fit.apply(source);
        for (int a = 0; a < 3; a++) {
            double mean = 0;
            for (int i = 0; i < 5; i++) {
                mean += target[3 * i + a] / 5;
            }
            assertEquals(mean, aligned[a], 1e-12);
        }
    }

    @Test
    void alignAllAlignsEachPoseOnItsOwn() {
        Random rng = new Random(5);
        int n = 50;
        double[] pred = new double[n * 17 * 3];
        double[] gt = new double[n * 17 * 3];
        for (int i = 0; i < n; i++) {
            double[] p = randomPoints(rng, 17);
            double[] g = new Procrustes.Similarity(1 + rng.nextDouble(), randomRotation(rng),
                    new double[] {i, -i, 2}).apply(p);
            System.arraycopy(p, 0, pred, i * 51, 51);
            System.arraycopy(g, 0, gt, i * 51, 51);
        }
        PoseArray aligned = Procrustes.alignAll(PoseArray.of(pred, 17), PoseArray.of(gt, 17));
        assertArrayEquals(gt, aligned.toDoubles(), 1e-9);
    }

    private static double sumSquares(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
