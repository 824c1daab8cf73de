package io.github.poseshift.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.poseshift.geometry.PoseArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorSums}: a test set added block by block gives the numbers of the whole set at once to the
 * last bit, and its PCK counts agree with {@link Metrics#pck} on every edge.
 */
class ErrorSumsTest {

    private static PoseArray poses(Random rng, int n, double spread) {
        double[] p = new double[n * 17 * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextGaussian() * spread;
        }
        return PoseArray.of(p, 17);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        Arrays.setAll(r, i -> from + i);
        return r;
    }

    @Test
    void blockByBlockIsTheWholeSetToTheLastBit() {
        Random rng = new Random(7);
        int n = 1000;
        PoseArray truth = poses(rng, n, 0.3);
        PoseArray predicted = truth.plusNoise(0.07, rng);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(List.of("walk", "sit", "eat").get((i / 37 + i % 5) % 3));
        }
        PoseErrors whole = PoseErrors.compute(predicted, truth, LengthUnit.METRES);
        // The reference: the per-joint errors of the whole set averaged by Metrics, as before ErrorSums.
        double[] plain = Metrics.jointErrors(predicted, truth);
        double[] aligned = Metrics.alignedJointErrors(predicted, truth);
        for (int i = 0; i < plain.length; i++) {
            plain[i] *= 1000;
            aligned[i] *= 1000;
        }
        assertEquals(Metrics.mean(plain), whole.summary().mpjpeMm(), 0);
        assertEquals(Metrics.mean(aligned), whole.summary().paMpjpeMm(), 0);
        assertEquals(Metrics.pck150(plain), whole.summary().pck150(), 0);
        assertEquals(Metrics.auc(plain), whole.summary().auc(), 0);

        ErrorSums blocks = new ErrorSums(17, PoseGroups.of(labels));
        int[] cuts = {0, 1, 300, 301, 777, 1000};
        for (int b = 0; b + 1 < cuts.length; b++) {
            int[] idx = range(cuts[b], cuts[b + 1]);
            blocks.add(PoseErrors.compute(predicted.selectPoses(idx), truth.selectPoses(idx), LengthUnit.METRES));
        }
        assertEquals(n, blocks.numPoses());
        assertEquals(whole.summary(), blocks.summary());
        assertEquals(whole.byLabel(labels), blocks.byGroup());
        assertEquals(List.of("walk", "sit", "eat"), List.copyOf(blocks.byGroup().keySet()));
        assertArrayEquals(whole.perJointMpjpeMm(), blocks.perJointMpjpeMm(), 0);
        assertArrayEquals(whole.perJointPaMpjpeMm(), blocks.perJointPaMpjpeMm(), 0);
        // A group's numbers are those of its poses gathered.
        int[] sit = range(0, n);
        sit = Arrays.stream(sit).filter(i -> labels.get(i).equals("sit")).toArray();
        assertEquals(whole.summary(sit), blocks.byGroup().get("sit"));
        assertEquals(ErrorTable.byGroup("action", whole, labels).rows(), ErrorTable.byGroup("action", blocks).rows());
    }

    @Test
    void pckCountsAgreeWithMetricsOnThresholdsNanAndInfinity() {
        // One joint per pose, off along x by each error: exactly on thresholds, a hair either side, none left.
        double[] offsets = {0, 5, Math.nextDown(5.0), Math.nextUp(5.0), 147.5, 150, Math.nextDown(150.0),
            Math.nextUp(150.0), 1e9, 1e300, Double.NaN, 2.5, 74.99999999999999, 75};
        double[] pred = new double[offsets.length * 3];
        for (int i = 0; i < offsets.length; i++) {
            pred[3 * i] = offsets[i];
        }
        PoseArray p = PoseArray.of(pred, 1);
        PoseArray g = PoseArray.of(new double[pred.length], 1);
        double[] errors = Metrics.jointErrors(p, g);
        assertEquals(Double.POSITIVE_INFINITY, errors[9], "1e300 squared overflows");
        MetricSummary m = PoseErrors.compute(p, g, LengthUnit.MILLIMETRES).summary();
        assertEquals(Metrics.pck150(errors), m.pck150(), 0);
        assertEquals(Metrics.auc(errors), m.auc(), 0);
        // Each error alone: its AUC says how many thresholds it is below, which Metrics counts one by one.
        for (int i = 0; i < offsets.length; i++) {
            PoseArray one = PoseArray.of(Arrays.copyOfRange(pred, 3 * i, 3 * i + 3), 1);
            MetricSummary single = PoseErrors.compute(one, PoseArray.of(new double[3], 1), LengthUnit.MILLIMETRES)
                    .summary();
            double[] e = {errors[i]};
            assertEquals(Metrics.auc(e), single.auc(), 0, "error " + errors[i]);
            assertEquals(Metrics.pck150(e), single.pck150(), 0, "error " + errors[i]);
        }
    }

    @Test
    void misuseIsRefused() {
        Random rng = new Random(8);
        PoseArray a = poses(rng, 3, 0.3);
        PoseErrors e = PoseErrors.compute(a, a.plusNoise(0.01, rng), LengthUnit.METRES);
        ErrorSums twoPoses = new ErrorSums(17, PoseGroups.of(List.of("x", "y")));
        assertThrows(IllegalArgumentException.class, () -> twoPoses.add(e));
        assertThrows(IllegalArgumentException.class, () -> new ErrorSums(3).add(e));
        assertThrows(IllegalStateException.class, () -> new ErrorSums(17).summary());
        assertThrows(IllegalStateException.class, () -> new ErrorSums(17).byGroup());
        assertThrows(IllegalArgumentException.class, () -> e.summary(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new PoseGroups(List.of("a"), new int[] {0, 1}));
        PoseGroups groups = PoseGroups.of(List.of("b", "a", "b"));
        assertEquals(List.of("b", "a"), groups.names());
        assertArrayEquals(new int[] {0, 1, 0}, groups.groupOfPose());
        Map<String, MetricSummary> onlyFirst = new ErrorSums(17, PoseGroups.of(List.of("x", "y", "y", "z"))).byGroup();
        assertEquals(Map.of(), onlyFirst, "groups without poses are left out");
    }
}
