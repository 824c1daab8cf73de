package io.github.poseshift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.geometry.Procrustes;
import io.github.poseshift.geometry.Quaternion;
import io.github.poseshift.geometry.Rotation;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

    static double[] randomPoses(Random rng, int n, int joints, double spread) {
        double[] p = new double[n * joints * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextGaussian() * spread;
        }
        return p;
    }

    static double[] transformEach(double[] poses, int joints, Random rng) {
        double[] out = new double[poses.length];
        int stride = joints * 3;
        for (int i = 0; i < poses.length / stride; i++) {
            Rotation r = Rotation.fromQuaternion(new Quaternion(rng.nextGaussian(), rng.nextGaussian(),
                    rng.nextGaussian(), rng.nextGaussian()));
            double[] pose = java.util.Arrays.copyOfRange(poses, i * stride, (i + 1) * stride);
            double[] moved = new Procrustes.Similarity(0.2 + 3 * rng.nextDouble(), r,
                    new double[] {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()}).apply(pose);
            System.arraycopy(moved, 0, out, i * stride, stride);
        }
        return out;
    }

    @Test
    void aConstantOffsetGivesItsLengthAndNothingAfterAlignment() {
        // 2 mm, between two AUC thresholds, so rounding cannot move an error across one.
        double[] gt = randomPoses(new Random(1), 10, 17, 300);
        double[] pred = gt.clone();
        for (int i = 0; i < pred.length; i += 3) {
            pred[i] += 1.2;
            pred[i + 1] += 1.6;
        }
        PoseErrors e = PoseErrors.compute(PoseArray.of(pred, 17), PoseArray.of(gt, 17), LengthUnit.MILLIMETRES);
        MetricSummary m = e.summary();
        assertEquals(2.0, m.mpjpeMm(), 1e-9);
        assertEquals(0.0, m.paMpjpeMm(), 1e-6);
        assertEquals(100.0, m.pck150(), 0);
        // Errors of 2 mm pass the thresholds 5, 10, ..., 150: 30 of the 31.
        assertEquals(100.0 * 30 / 31, m.auc(), 1e-9);
        assertEquals(10, m.poses());
    }

    @Test
    void metresAreReportedInMillimetres() {
        double[] gt = new double[51];
        double[] pred = new double[51];
        pred[0] = 0.2;     // one joint 200 mm off, 16 exact
        MetricSummary m = PoseErrors.compute(PoseArray.of(pred, 17), PoseArray.of(gt, 17), LengthUnit.METRES).summary();
        assertEquals(200.0 / 17, m.mpjpeMm(), 1e-9);
        assertEquals(100.0 * 16 / 17, m.pck150(), 1e-9);
        // AUC: the 16 exact joints pass every threshold but 0; the 200 mm one passes none.
        assertEquals(100.0 * (30.0 * 16 / 17) / 31, m.auc(), 1e-9);
    }

    @Test
    void pckCountsErrorsStrictlyBelowTheThreshold() {
        assertEquals(50.0, Metrics.pck(new double[] {149.999, 150.0}, 150), 0);
        assertEquals(0.0, Metrics.pck(new double[] {0.0}, 0), 0);
        assertEquals(31, Metrics.AUC_THRESHOLDS_MM.length);
        assertEquals(150.0, Metrics.AUC_THRESHOLDS_MM[30], 0);
    }

    @Test
    void nMpjpeUndoesAGlobalScale() {
        Random rng = new Random(2);
        double[] gt = randomPoses(rng, 20, 17, 0.3);
        double[] pred = gt.clone();
        for (int i = 0; i < pred.length; i++) {
            pred[i] *= 1.8;
        }
        assertEquals(0.0, Metrics.nMpjpe(PoseArray.of(pred, 17), PoseArray.of(gt, 17)), 1e-12);
        assertTrue(Metrics.mpjpe(PoseArray.of(pred, 17), PoseArray.of(gt, 17)) > 0.1);
    }

    @Test
    void orderingPaAtMostNAtMostPlain() {
        // The optimal similarity includes the optimal pure scale, which includes scale 1, so the squared
        // errors are ordered; the mean distances are too on realistic data (fixed seeds here).
        Random rng = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            PoseArray gt = PoseArray.of(randomPoses(rng, 30, 17, 0.3), 17);
            PoseArray pred = PoseArray.of(randomPoses(rng, 30, 17, 0.3), 17);
            double plain = Metrics.mpjpe(pred, gt);
            double n = Metrics.nMpjpe(pred, gt);
            double pa = Metrics.paMpjpe(pred, gt);
            assertTrue(n <= plain + 1e-12, n + " > " + plain);
            assertTrue(rms(Metrics.scaledJointErrors(pred, gt)) <= rms(Metrics.jointErrors(pred, gt)) + 1e-12);
            // PA minimises the squared error, not the mean distance, so compare root-mean-square errors.
            assertTrue(rms(Metrics.alignedJointErrors(pred, gt)) <= rms(Metrics.scaledJointErrors(pred, gt)) + 1e-12);
            assertTrue(pa > 0);
        }
    }

    @Test
    void paMpjpeIsUnchangedBySimilarityTransformsOfThePrediction() {
        Random rng = new Random(4);
        double[] gt = randomPoses(rng, 40, 17, 0.3);
        double[] pred = gt.clone();
        for (int i = 0; i < pred.length; i++) {
            pred[i] += rng.nextGaussian() * 0.04;
        }
        double before = Metrics.paMpjpe(PoseArray.of(pred, 17), PoseArray.of(gt, 17));
        double after = Metrics.paMpjpe(PoseArray.of(transformEach(pred, 17, rng), 17), PoseArray.of(gt, 17));
        assertEquals(before, after, 1e-9);
        assertTrue(before > 0.01);
    }

    @Test
    void aMirroredPredictionIsNotForgivenByAlignment() {
        Random rng = new Random(6);
        double[] gt = randomPoses(rng, 10, 17, 0.3);
        double[] mirrored = gt.clone();
        for (int i = 0; i < mirrored.length; i += 3) {
            mirrored[i] = -mirrored[i];
        }
        // A reflection would align it perfectly; a proper rotation cannot.
        assertTrue(Metrics.paMpjpe(PoseArray.of(mirrored, 17), PoseArray.of(gt, 17)) > 0.01);
    }

    @Test
    void perJointAndPerLabelSummaries() {
        double[] gt = new double[3 * 2 * 3];
        double[] pred = gt.clone();
        pred[0] = 10;           // pose 0 joint 0: 10 mm
        pred[2 * 6 + 3 + 1] = 40;  // pose 2 joint 1: 40 mm
        PoseErrors e = PoseErrors.compute(PoseArray.of(pred, 2), PoseArray.of(gt, 2), LengthUnit.MILLIMETRES);
        assertEquals(10.0 / 3, e.perJointMpjpeMm()[0], 1e-12);
        assertEquals(40.0 / 3, e.perJointMpjpeMm()[1], 1e-12);
        assertEquals(5.0, e.perPoseMpjpeMm()[0], 1e-12);
        var byLabel = e.byLabel(java.util.List.of("walk", "sit", "sit"));
        assertEquals(java.util.List.of("walk", "sit"), java.util.List.copyOf(byLabel.keySet()));
        assertEquals(5.0, byLabel.get("walk").mpjpeMm(), 1e-12);
        assertEquals(10.0, byLabel.get("sit").mpjpeMm(), 1e-12);
        assertEquals(2, byLabel.get("sit").poses());
        assertThrows(IllegalArgumentException.class, () -> e.byLabel(java.util.List.of("a")));
    }

    @Test
    void shapeMismatchIsRejected() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Metrics.mpjpe(PoseArray.of(new double[51], 17), PoseArray.of(new double[102], 17)));
        assertTrue(ex.getMessage().contains("differ in shape"), ex.getMessage());
    }

    private static double rms(double[] errors) {
        double s = 0;
        for (double e : errors) {
            s += e * e;
        }
        return Math.sqrt(s / errors.length);
    }
}
