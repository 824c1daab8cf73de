package io.github.poseshift.eval;

import io.github.poseshift.geometry.PoseArray;
import java.util.List;
import java.util.Map;

/**
 * Per-pose, per-joint errors of one set of predictions in millimetres — plain, scale-aligned and
 * Procrustes-aligned — computed once and then summarised any way a report needs: overall, per joint,
 * or grouped by a label per pose (action, subject, camera). Holds three doubles per joint of every pose;
 * a test set too large for that is scored a block of poses at a time into {@link ErrorSums}, which gives
 * the same numbers (the summaries here go through it too).
 */
public final class PoseErrors {

    private final int numPoses;
    private final int numJoints;
    private final double[] plainMm;
    private final double[] scaledMm;
    private final double[] alignedMm;

    private PoseErrors(int numPoses, int numJoints, double[] plainMm, double[] scaledMm, double[] alignedMm) {
        this.numPoses = numPoses;
        this.numJoints = numJoints;
        this.plainMm = plainMm;
        this.scaledMm = scaledMm;
        this.alignedMm = alignedMm;
    }

    /**
     * Computes all three error kinds.
     *
     * @param predicted predictions {@code [N, J, 3]}
     * @param target    ground truth, same shape and unit
     * @param unit      the unit of both arrays
     */
    public static PoseErrors compute(PoseArray predicted, PoseArray target, LengthUnit unit) {
        double mm = unit.toMillimetres();
        return new PoseErrors(predicted.numPoses(), predicted.numJoints(),
                scale(Metrics.jointErrors(predicted, target), mm),
                scale(Metrics.scaledJointErrors(predicted, target), mm),
                scale(Metrics.alignedJointErrors(predicted, target), mm));
    }

    private static double[] scale(double[] values, double factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return values;
    }

    /** Number of poses. */
    public int numPoses() {
        return numPoses;
    }

    /** Joints per pose. */
    public int numJoints() {
        return numJoints;
    }

    /** All metrics over every pose. */
    public MetricSummary summary() {
        return sums(null).summary();
    }

    /**
     * All metrics over the given poses.
     *
     * @throws IllegalArgumentException when there are none
     */
    public MetricSummary summary(int[] poses) {
        if (poses.length == 0) {
            throw new IllegalArgumentException("summary of no poses");
        }
        ErrorSums sums = new ErrorSums(numJoints);
        for (int p : poses) {
            sums.addPose(this, p);
        }
        return sums.summary();
    }

    /**
     * Metrics per distinct label, in order of first appearance.
     *
     * @param labels one label per pose
     */
    public Map<String, MetricSummary> byLabel(List<String> labels) {
        if (labels.size() != numPoses) {
            throw new IllegalArgumentException(labels.size() + " labels for " + numPoses + " poses");
        }
        return sums(PoseGroups.of(labels)).byGroup();
    }

    /**
     * The totals of these errors ({@link ErrorSums}), overall and per group.
     *
     * @param groups the group of each pose, or null for none
     */
    public ErrorSums sums(PoseGroups groups) {
        if (groups != null && groups.numPoses() != numPoses) {
            throw new IllegalArgumentException(groups.numPoses() + " labels for " + numPoses + " poses");
        }
        ErrorSums sums = new ErrorSums(numJoints, groups);
        sums.add(this);
        return sums;
    }

    /** MPJPE of each joint over all poses, in millimetres. */
    public double[] perJointMpjpeMm() {
        return sums(null).perJointMpjpeMm();
    }

    /** PA-MPJPE of each joint over all poses, in millimetres. */
    public double[] perJointPaMpjpeMm() {
        return sums(null).perJointPaMpjpeMm();
    }

    /** Mean plain error of each pose, in millimetres (for finding the worst frames). */
    public double[] perPoseMpjpeMm() {
        double[] out = new double[numPoses];
        for (int p = 0; p < numPoses; p++) {
            double s = 0;
            for (int j = 0; j < numJoints; j++) {
                s += plainMm[p * numJoints + j];
            }
            out[p] = s / numJoints;
        }
        return out;
    }

    /**
     * The 3D-PCK curve of the plain errors: {@code {thresholds, pck}} with the thresholds of the AUC
     * ({@link Metrics#AUC_THRESHOLDS_MM}, 0 to 150 mm) and the percentage of joints closer than each. The AUC
     * is the mean of the second row, PCK@150 its last value. Ready for a line plot.
     */
    public double[][] pckCurveMm() {
        double[] thresholds = Metrics.AUC_THRESHOLDS_MM.clone();
        double[] pck = new double[thresholds.length];
        for (int t = 0; t < thresholds.length; t++) {
            pck[t] = Metrics.pck(plainMm, thresholds[t]);
        }
        return new double[][] {thresholds, pck};
    }

    /**
     * Mean per-pose MPJPE in bins of a per-pose quantity (e.g. the camera's elevation): {@code {centres,
     * mpjpe}} for the non-empty bins {@code [k·width, (k+1)·width)}, in ascending order. Ready for a line plot.
     *
     * @param values one value per pose
     * @param width  the bin width, in the values' unit
     * @throws IllegalArgumentException when the counts differ, the width is not positive, or a value is not
     *                                  finite
     */
    public double[][] mpjpeByBin(double[] values, double width) {
        if (values.length != numPoses) {
            throw new IllegalArgumentException(values.length + " values for " + numPoses + " poses");
        }
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("bin width must be positive and finite, got " + width);
        }
        double[] perPose = perPoseMpjpeMm();
        java.util.TreeMap<Long, double[]> bins = new java.util.TreeMap<>(); // bin → {sum, count}
        for (int p = 0; p < numPoses; p++) {
            if (!Double.isFinite(values[p])) {
                throw new IllegalArgumentException("value of pose " + p + " is " + values[p]);
            }
            double[] bin = bins.computeIfAbsent((long) Math.floor(values[p] / width), k -> new double[2]);
            bin[0] += perPose[p];
            bin[1]++;
        }
        double[][] out = new double[2][bins.size()];
        int i = 0;
        for (Map.Entry<Long, double[]> e : bins.entrySet()) {
            out[0][i] = (e.getKey() + 0.5) * width;
            out[1][i++] = e.getValue()[0] / e.getValue()[1];
        }
        return out;
    }

    /** The plain errors, {@code [N][J]} in millimetres, not a copy (for {@link ErrorSums}). */
    double[] plainMm() {
        return plainMm;
    }

    /** The scale-aligned errors, not a copy. */
    double[] scaledMm() {
        return scaledMm;
    }

    /** The Procrustes-aligned errors, not a copy. */
    double[] alignedMm() {
        return alignedMm;
    }
}
