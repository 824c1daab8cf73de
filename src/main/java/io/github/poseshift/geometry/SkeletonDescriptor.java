package io.github.poseshift.geometry;

import io.github.poseshift.skeleton.Skeleton;

/**
 * The skeleton descriptor of AHuP's skeletal pose adaptation (Liu, Sehgal &amp; Ostadabbas, "Adapted Human Pose:
 * Monocular 3D Human Pose Estimation with Zero Real 3D Pose Data", section "Skeletal pose adaptation"): every
 * bone's length divided by the shoulder width, the distance between the left and right shoulder joints. It
 * describes a body's proportions whatever its size, so one mean descriptor characterises a whole domain's
 * bodies. For H36M-17 it has 16 entries, in {@link Skeleton#bones()} order (each bone named by its child joint).
 *
 * <p>Plain arrays here; {@code loss.SkeletonDescriptorLoss} is the differentiable twin on {@code NDArray}s.
 */
public final class SkeletonDescriptor {

    /** The joint names whose distance is the shoulder width. */
    public static final String LEFT_SHOULDER = "LShoulder";
    /** See {@link #LEFT_SHOULDER}. */
    public static final String RIGHT_SHOULDER = "RShoulder";

    private final Kcs kcs;
    private final int leftShoulder;
    private final int rightShoulder;

    /**
     * The descriptor of {@code skeleton}'s bones.
     *
     * @throws IllegalArgumentException naming the skeleton and the joint when it has no {@value #LEFT_SHOULDER}
     *                                  or {@value #RIGHT_SHOULDER}
     */
    public SkeletonDescriptor(Skeleton skeleton) {
        this.kcs = new Kcs(skeleton);
        this.leftShoulder = shoulder(skeleton, LEFT_SHOULDER);
        this.rightShoulder = shoulder(skeleton, RIGHT_SHOULDER);
    }

    private static int shoulder(Skeleton skeleton, String joint) {
        if (!skeleton.hasJoint(joint)) {
            throw new IllegalArgumentException("skeleton '" + skeleton.name() + "' has no joint '" + joint
                    + "', which the skeleton descriptor needs for the shoulder width; its joints are "
                    + skeleton.jointNames());
        }
        return skeleton.indexOf(joint);
    }

    /** The skeleton. */
    public Skeleton skeleton() {
        return kcs.skeleton();
    }

    /** The descriptor's length: the number of bones. */
    public int size() {
        return kcs.numBones();
    }

    /** The index of the left shoulder joint. */
    public int leftShoulder() {
        return leftShoulder;
    }

    /** The index of the right shoulder joint. */
    public int rightShoulder() {
        return rightShoulder;
    }

    /** The shoulder width of one pose {@code [J][3]}: the distance between the two shoulder joints. */
    public double shoulderWidth(double[] pose) {
        double s = 0;
        for (int d = 0; d < 3; d++) {
            double diff = pose[leftShoulder * 3 + d] - pose[rightShoulder * 3 + d];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    /**
     * The descriptor of one pose {@code [J][3]} (row-major): bone lengths over the shoulder width, {@code [B]}.
     *
     * @throws IllegalArgumentException when the pose has the wrong length or its shoulders coincide
     */
    public double[] of(double[] pose) {
        double[] lengths = kcs.boneLengths(pose, 3);
        double width = shoulderWidth(pose);
        if (!(width > 0)) {
            throw new IllegalArgumentException("the pose's shoulders coincide (width " + width
                    + "), so it has no skeleton descriptor");
        }
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] /= width;
        }
        return lengths;
    }

    /** The descriptor of every pose, {@code [N][B]}. */
    public double[][] of(PoseArray poses) {
        checkJoints(poses);
        double[][] out = new double[poses.numPoses()][];
        for (int n = 0; n < out.length; n++) {
            out[n] = of(poses.pose(n));
        }
        return out;
    }

    /**
     * The mean descriptor of {@code poses}, {@code [B]}: AHuP's d̄ of a domain when the poses are its
     * (training) poses.
     *
     * @throws IllegalArgumentException when there are no poses
     */
    public double[] mean(PoseArray poses) {
        checkJoints(poses);
        if (poses.numPoses() == 0) {
            throw new IllegalArgumentException("no poses to average the skeleton descriptor over");
        }
        double[] sum = new double[size()];
        for (int n = 0; n < poses.numPoses(); n++) {
            double[] d = of(poses.pose(n));
            for (int b = 0; b < sum.length; b++) {
                sum[b] += d[b];
            }
        }
        for (int b = 0; b < sum.length; b++) {
            sum[b] /= poses.numPoses();
        }
        return sum;
    }

    /**
     * The mean over {@code poses} of ‖d(P) − {@code reference}‖²: the value of AHuP's descriptor term (unweighted)
     * for these poses, the plain-array twin of {@code loss.SkeletonDescriptorLoss#loss}.
     *
     * @throws IllegalArgumentException when there are no poses or {@code reference} has the wrong length
     */
    public double meanSquaredDistance(PoseArray poses, double[] reference) {
        checkJoints(poses);
        if (poses.numPoses() == 0) {
            throw new IllegalArgumentException("no poses to compare with the reference descriptor");
        }
        double sum = 0;
        for (int n = 0; n < poses.numPoses(); n++) {
            double d = distance(of(poses.pose(n)), reference);
            sum += d * d;
        }
        return sum / poses.numPoses();
    }

    /** The Euclidean distance between two descriptors, ‖a − b‖ (e.g. a domain's mean from another's). */
    public static double distance(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("descriptors of " + a.length + " and " + b.length + " bones");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private void checkJoints(PoseArray poses) {
        if (poses.numJoints() != skeleton().numJoints()) {
            throw new IllegalArgumentException("poses of " + poses.numJoints() + " joints for skeleton '"
                    + skeleton().name() + "' of " + skeleton().numJoints());
        }
    }
}
