package io.github.poseshift.eval;

import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.geometry.Procrustes;

/**
 * The 3D pose metrics of the papers PoseShift reimplements, on {@link PoseArray}s of shape
 * {@code [N, J, 3]}. Each error function returns the per-pose, per-joint Euclidean errors
 * ({@code [N][J]} row-major, in the input's unit); the means of those are the papers' numbers:
 * <ul>
 *   <li>MPJPE — mean per-joint position error (VideoPose3D {@code mpjpe}, protocol #1);</li>
 *   <li>N-MPJPE — after scaling each predicted pose by the least-squares optimal factor
 *       (VideoPose3D {@code n_mpjpe});</li>
 *   <li>PA-MPJPE — after the optimal similarity (rotation, scale, translation) per pose, protocol #2
 *       (VideoPose3D {@code p_mpjpe}, see {@link Procrustes});</li>
 *   <li>3D-PCK — percentage of joints closer than 150 mm, and AUC — its mean over the thresholds
 *       0, 5, …, 150 mm (Mehta et al. 2017, MPI-INF-3DHP), both on the unaligned errors.</li>
 * </ul>
 * Root-relative evaluation is the caller's choice ({@link PoseArray#rootRelative(int)}); VideoPose3D's
 * formulas take the arrays as given, and so does this class.
 */
public final class Metrics {

    /** The 3D-PCK threshold of MPI-INF-3DHP, in millimetres. */
    public static final double PCK_THRESHOLD_MM = 150.0;

    /** Thresholds of the AUC, 0 to 150 mm in steps of 5 (31 values), as in the 3DHP evaluation. */
    public static final double[] AUC_THRESHOLDS_MM = thresholds();

    private Metrics() {}

    private static double[] thresholds() {
        double[] t = new double[31];
        for (int i = 0; i < t.length; i++) {
            t[i] = 5.0 * i;
        }
        return t;
    }

    /** Euclidean error of every joint of every pose, {@code [N][J]}. */
    public static double[] jointErrors(PoseArray predicted, PoseArray target) {
        checkShapes(predicted, target);
        int n = predicted.numPoses();
        int j = predicted.numJoints();
        double[] errors = new double[n * j];
        for (int p = 0; p < n; p++) {
            for (int k = 0; k < j; k++) {
                errors[p * j + k] = distance(predicted, target, p, k, 1.0);
            }
        }
        return errors;
    }

    /**
     * Joint errors after scaling each predicted pose by {@code s = Σ⟨p_j, g_j⟩ / Σ|p_j|²}, the scale
     * that minimises the squared error to the target (VideoPose3D {@code n_mpjpe}). A prediction that
     * is all zeros keeps scale 0 instead of dividing by zero.
     */
    public static double[] scaledJointErrors(PoseArray predicted, PoseArray target) {
        checkShapes(predicted, target);
        int n = predicted.numPoses();
        int j = predicted.numJoints();
        double[] errors = new double[n * j];
        for (int p = 0; p < n; p++) {
            double dot = 0;
            double norm = 0;
            for (int k = 0; k < j; k++) {
                for (int a = 0; a < 3; a++) {
                    double pv = predicted.get(p, k, a);
                    dot += pv * target.get(p, k, a);
                    norm += pv * pv;
                }
            }
            double scale = norm > 0 ? dot / norm : 0;
            for (int k = 0; k < j; k++) {
                errors[p * j + k] = distance(predicted, target, p, k, scale);
            }
        }
        return errors;
    }

    /**
     * Joint errors after the per-pose optimal similarity alignment (Procrustes, PA-MPJPE). Each pose is
     * scored as soon as it is aligned, so no aligned copy of the whole prediction is ever held; poses
     * are spread over the cores, and every error is the same whatever their number.
     */
    public static double[] alignedJointErrors(PoseArray predicted, PoseArray target) {
        checkShapes(predicted, target);
        int j = predicted.numJoints();
        double[] errors = new double[predicted.numPoses() * j];
        Procrustes.alignEach(predicted, target, (pose, aligned) -> {
            for (int k = 0; k < j; k++) {
                double dx = aligned[3 * k] - target.get(pose, k, 0);
                double dy = aligned[3 * k + 1] - target.get(pose, k, 1);
                double dz = aligned[3 * k + 2] - target.get(pose, k, 2);
                errors[pose * j + k] = Math.sqrt(dx * dx + dy * dy + dz * dz);
            }
        });
        return errors;
    }

    /** MPJPE in the input's unit. */
    public static double mpjpe(PoseArray predicted, PoseArray target) {
        return mean(jointErrors(predicted, target));
    }

    /** N-MPJPE in the input's unit. */
    public static double nMpjpe(PoseArray predicted, PoseArray target) {
        return mean(scaledJointErrors(predicted, target));
    }

    /** PA-MPJPE in the input's unit. */
    public static double paMpjpe(PoseArray predicted, PoseArray target) {
        return mean(alignedJointErrors(predicted, target));
    }

    /** Percentage of errors strictly below {@code threshold} (same unit as the errors). */
    public static double pck(double[] errors, double threshold) {
        if (errors.length == 0) {
            throw new IllegalArgumentException("PCK of no errors");
        }
        long hits = 0;
        for (double e : errors) {
            if (e < threshold) {
                hits++;
            }
        }
        return 100.0 * hits / errors.length;
    }

    /** 3D-PCK at 150 mm, in percent, of errors given in millimetres. */
    public static double pck150(double[] errorsMm) {
        return pck(errorsMm, PCK_THRESHOLD_MM);
    }

    /** Area under the PCK curve over {@link #AUC_THRESHOLDS_MM}, in percent, of errors in millimetres. */
    public static double auc(double[] errorsMm) {
        double sum = 0;
        for (double t : AUC_THRESHOLDS_MM) {
            sum += pck(errorsMm, t);
        }
        return sum / AUC_THRESHOLDS_MM.length;
    }

    /** Arithmetic mean. */
    public static double mean(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("mean of no values");
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    private static double distance(PoseArray predicted, PoseArray target, int pose, int joint, double scale) {
        double dx = scale * predicted.get(pose, joint, 0) - target.get(pose, joint, 0);
        double dy = scale * predicted.get(pose, joint, 1) - target.get(pose, joint, 1);
        double dz = scale * predicted.get(pose, joint, 2) - target.get(pose, joint, 2);
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    private static void checkShapes(PoseArray predicted, PoseArray target) {
        if (!predicted.sameShape(target)) {
            throw new IllegalArgumentException("prediction " + predicted + " and target " + target
                    + " differ in shape");
        }
        if (predicted.numPoses() == 0) {
            throw new IllegalArgumentException("no poses to evaluate");
        }
    }
}
