package io.github.poseshift.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
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

    @Test
    void theDedicatedSvdAgreesWithAGeneralOneOnHardPoses() {
        // Random, nearly planar, exactly planar, collinear and mirrored poses: the 3x3 Jacobi SVD must
        // give the rotation and scale of EJML's general SVD with the same reflection fix.
        Random rng = new Random(13);
        for (int trial = 0; trial < 500; trial++) {
            double[] target = randomPoints(rng, 17);
            double[] source = randomPoints(rng, 17);
            int kind = trial % 5;
            for (int i = 0; i < source.length; i += 3) {
                switch (kind) {
                    case 1 -> source[i + 2] *= 1e-7;
                    case 2 -> target[i + 1] = 0.5 * target[i] - 0.25 * target[i + 2];
                    case 3 -> {
                        source[i + 1] = 2 * source[i];
                        source[i + 2] = -source[i];
                    }
                    case 4 -> source[i] = -target[i] + 0.01 * source[i];
                    default -> { }
                }
            }
            if (kind == 4) {
                for (int i = 0; i < source.length; i++) {
                    if (i % 3 != 0) {
                        source[i] = target[i] + 0.01 * source[i];
                    }
                }
            }
            double[] expected = referenceAlign(source, target);
            double[] aligned = Procrustes.fit(source, target).apply(source);
            assertArrayEquals(expected, aligned, 1e-11, "pose kind " + kind + ", trial " + trial);
        }
    }

    @Test
    void alignAllDoesNotDependOnHowPosesAreSplitOverCores() {
        Random rng = new Random(17);
        int n = 5000;
        double[] pred = randomPoints(rng, n * 17);
        double[] gt = randomPoints(rng, n * 17);
        PoseArray p = PoseArray.of(pred, 17);
        PoseArray g = PoseArray.of(gt, 17);
        PoseArray all = Procrustes.alignAll(p, g);
        // A subset starting mid-chunk puts every pose in another task and at another offset.
        int[] tail = java.util.stream.IntStream.range(1234, n).toArray();
        PoseArray part = Procrustes.alignAll(p.selectPoses(tail), g.selectPoses(tail));
        assertArrayEquals(all.selectPoses(tail).toDoubles(), part.toDoubles(), 0.0);
        for (int i = 0; i < n; i += 499) {
            assertArrayEquals(Procrustes.fit(p.pose(i), g.pose(i)).apply(p.pose(i)), all.pose(i), 1e-12);
        }
    }

    /** The textbook computation with EJML's general SVD: VideoPose3D's p_mpjpe alignment. */
    private static double[] referenceAlign(double[] source, double[] target) {
        int n = source.length / 3;
        double[] muS = new double[3];
        double[] muT = new double[3];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                muS[a] += source[3 * i + a] / n;
                muT[a] += target[3 * i + a] / n;
            }
        }
        DMatrixRMaj h = new DMatrixRMaj(3, 3);
        double spread = 0;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double sa = source[3 * i + a] - muS[a];
                spread += sa * sa;
                for (int b = 0; b < 3; b++) {
                    h.add(b, a, (target[3 * i + b] - muT[b]) * sa);
                }
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        assertTrue(svd.decompose(h));
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        DMatrixRMaj w = svd.getW(null);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        DMatrixRMaj uvt = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransB(u, v, uvt);
        double d = CommonOps_DDRM.det(uvt) < 0 ? -1 : 1;
        for (int row = 0; row < 3; row++) {
            u.set(row, 2, u.get(row, 2) * d);
        }
        DMatrixRMaj r = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransB(u, v, r);
        double scale = (w.get(0, 0) + w.get(1, 1) + d * w.get(2, 2)) / spread;
        double[] out = new double[source.length];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double sum = 0;
                for (int b = 0; b < 3; b++) {
                    sum += r.get(a, b) * (source[3 * i + b] - muS[b]);
                }
                out[3 * i + a] = muT[a] + scale * sum;
            }
        }
        return out;
    }

    private static double sumSquares(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
