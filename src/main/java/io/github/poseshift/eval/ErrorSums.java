package io.github.poseshift.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Running totals of per-joint errors from which every summary of {@link PoseErrors} follows — overall,
 * per group of poses and per joint — without keeping the errors: a test set is scored a block of poses
 * at a time ({@code poseshift eval} on ten million poses) with memory for one block.
 *
 * <p>The numbers are exactly those of the whole set's {@link PoseErrors} at once, to the last bit: each
 * mean is one double-precision sum taken in the same order (pose by pose, joint by joint, as
 * {@link Metrics#mean} sums), divided by the same count, and each PCK value counts the same errors below
 * the same threshold. Poses are added in order, each block after the previous one; a pose's group is
 * looked up by its position in the whole set.
 */
public final class ErrorSums {

    private static final double[] THRESHOLDS = Metrics.AUC_THRESHOLDS_MM;
    /** PCK@150 is read off the AUC thresholds' counts, the last of which is 150 mm. */
    private static final int PCK_INDEX = THRESHOLDS.length - 1;

    static {
        if (THRESHOLDS[PCK_INDEX] != Metrics.PCK_THRESHOLD_MM) {
            throw new AssertionError("the last AUC threshold is not the PCK threshold");
        }
    }

    private final int numJoints;
    private final PoseGroups groups;
    private final Totals overall = new Totals();
    private final Totals[] byGroup;
    private final double[] plainPerJoint;
    private final double[] alignedPerJoint;
    private int poses;

    /** Totals without groups. */
    public ErrorSums(int numJoints) {
        this(numJoints, null);
    }

    /**
     * Totals overall and per group.
     *
     * @param groups the group of every pose that will be added, or null for none
     */
    public ErrorSums(int numJoints, PoseGroups groups) {
        if (numJoints <= 0) {
            throw new IllegalArgumentException(numJoints + " joints");
        }
        this.numJoints = numJoints;
        this.groups = groups;
        this.byGroup = new Totals[groups == null ? 0 : groups.names().size()];
        for (int g = 0; g < byGroup.length; g++) {
            byGroup[g] = new Totals();
        }
        this.plainPerJoint = new double[numJoints];
        this.alignedPerJoint = new double[numJoints];
    }

    /**
     * Adds the errors of the next {@code errors.numPoses()} poses.
     *
     * @throws IllegalArgumentException when the joints differ, or there are more poses than groups
     */
    public void add(PoseErrors errors) {
        for (int p = 0; p < errors.numPoses(); p++) {
            addPose(errors, p);
        }
    }

    /** Adds pose {@code pose} of {@code errors} as the next pose. */
    void addPose(PoseErrors errors, int pose) {
        if (errors.numJoints() != numJoints) {
            throw new IllegalArgumentException("errors of " + errors.numJoints() + " joints added to sums of "
                    + numJoints);
        }
        Totals group = null;
        if (groups != null) {
            if (poses >= groups.numPoses()) {
                throw new IllegalArgumentException("pose " + poses + " added, but only " + groups.numPoses()
                        + " poses have groups");
            }
            group = byGroup[groups.groupOfPose()[poses]];
        }
        double[] plain = errors.plainMm();
        double[] scaled = errors.scaledMm();
        double[] aligned = errors.alignedMm();
        int base = pose * numJoints;
        for (int j = 0; j < numJoints; j++) {
            int i = base + j;
            int bin = thresholdBin(plain[i]);
            overall.add(plain[i], scaled[i], aligned[i], bin);
            if (group != null) {
                group.add(plain[i], scaled[i], aligned[i], bin);
            }
            plainPerJoint[j] += plain[i];
            alignedPerJoint[j] += aligned[i];
        }
        overall.poses++;
        if (group != null) {
            group.poses++;
        }
        poses++;
    }

    /**
     * The index of the first AUC threshold that {@code error} is strictly below ({@code THRESHOLDS.length}
     * when none): the thresholds are 5 mm apart, so a division finds it and two comparisons correct the
     * division's rounding; the comparisons decide, as in {@link Metrics#pck}. NaN is below none.
     */
    private static int thresholdBin(double error) {
        double guess = Math.floor(error / 5.0) + 1;
        int k = guess >= 0 && guess <= THRESHOLDS.length ? (int) guess : THRESHOLDS.length;
        while (k > 0 && error < THRESHOLDS[k - 1]) {
            k--;
        }
        while (k < THRESHOLDS.length && !(error < THRESHOLDS[k])) {
            k++;
        }
        return k;
    }

    /** Whether these sums were made with groups ({@link #byGroup()}). */
    public boolean hasGroups() {
        return groups != null;
    }

    /** Number of poses added. */
    public int numPoses() {
        return poses;
    }

    /**
     * All metrics over every pose added.
     *
     * @throws IllegalStateException when none was
     */
    public MetricSummary summary() {
        return overall.summary();
    }

    /**
     * Metrics per group, in the order of {@link PoseGroups#names()}; groups without poses are left out.
     *
     * @throws IllegalStateException without groups
     */
    public Map<String, MetricSummary> byGroup() {
        if (groups == null) {
            throw new IllegalStateException("these sums have no groups");
        }
        Map<String, MetricSummary> out = new LinkedHashMap<>();
        for (int g = 0; g < byGroup.length; g++) {
            if (byGroup[g].poses > 0) {
                out.put(groups.names().get(g), byGroup[g].summary());
            }
        }
        return out;
    }

    /** MPJPE of each joint over all poses added, in millimetres. */
    public double[] perJointMpjpeMm() {
        return perJointMean(plainPerJoint);
    }

    /** PA-MPJPE of each joint over all poses added, in millimetres. */
    public double[] perJointPaMpjpeMm() {
        return perJointMean(alignedPerJoint);
    }

    /**
     * The per-joint errors as a Tablesaw table: {@code joint,mpjpe_mm,pa_mpjpe_mm}, one row per joint.
     *
     * @param jointNames the name of each joint, in the errors' joint order
     */
    public Table perJointTable(List<String> jointNames) {
        if (jointNames.size() != numJoints) {
            throw new IllegalArgumentException(jointNames.size() + " joint names for " + numJoints + " joints");
        }
        return Table.create("per-joint errors", StringColumn.create("joint", jointNames),
                DoubleColumn.create("mpjpe_mm", perJointMpjpeMm()), DoubleColumn.create("pa_mpjpe_mm", perJointPaMpjpeMm()));
    }

    private double[] perJointMean(double[] sums) {
        if (poses == 0) {
            throw new IllegalStateException("no poses added");
        }
        double[] out = new double[numJoints];
        for (int j = 0; j < numJoints; j++) {
            out[j] = sums[j] / poses;
        }
        return out;
    }

    /** The sums of one set of poses. */
    private static final class Totals {
        double plain;
        double scaled;
        double aligned;
        long errors;
        /** {@code bins[k]}: errors first below threshold {@code k} ({@code k = THRESHOLDS.length}: below none). */
        final long[] bins = new long[THRESHOLDS.length + 1];
        int poses;

        void add(double plainError, double scaledError, double alignedError, int bin) {
            plain += plainError;
            scaled += scaledError;
            aligned += alignedError;
            errors++;
            bins[bin]++;
        }

        MetricSummary summary() {
            if (errors == 0) {
                throw new IllegalStateException("no poses to summarise");
            }
            // As Metrics.pck and Metrics.auc: the percentage below each threshold, then their mean.
            double[] pck = new double[THRESHOLDS.length];
            long below = 0;
            for (int k = 0; k < THRESHOLDS.length; k++) {
                below += bins[k];
                pck[k] = 100.0 * below / errors;
            }
            double aucSum = 0;
            for (double v : pck) {
                aucSum += v;
            }
            return new MetricSummary(poses, plain / errors, scaled / errors, aligned / errors, pck[PCK_INDEX],
                    aucSum / THRESHOLDS.length);
        }
    }
}
