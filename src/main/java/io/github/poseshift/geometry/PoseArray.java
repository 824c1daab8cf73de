package io.github.poseshift.geometry;

import java.util.Arrays;

/**
 * {@code N} poses of {@code J} joints in 3D, stored as one row-major {@code [N][J][3]} array — the
 * shape of VideoPose3D's position arrays and of every {@code .npy} a lifter writes. Immutable: the
 * factories and the accessors copy. Coordinates are in whatever unit the caller uses (metres inside
 * PoseShift); metrics convert to millimetres.
 *
 * <p>Stored in double precision: this is the array metrics and alignment work on, and evaluation must
 * agree with the reference formulas to 1e-3 mm even for world coordinates given in millimetres, where
 * float32 rounding alone reaches 5e-4 mm. Datasets keep their bulk storage in float32.
 */
public final class PoseArray {

    private final double[] data;
    private final int numPoses;
    private final int numJoints;

    private PoseArray(double[] data, int numPoses, int numJoints) {
        this.data = data;
        this.numPoses = numPoses;
        this.numJoints = numJoints;
    }

    /**
     * Copies {@code data}, laid out {@code [poses][joints][3]}.
     *
     * @throws IllegalArgumentException when the length is not a multiple of {@code numJoints * 3}
     */
    public static PoseArray of(double[] data, int numJoints) {
        return checked(data.clone(), data.length, numJoints);
    }

    /** Copies single-precision {@code data} (exactly widened), laid out {@code [poses][joints][3]}. */
    public static PoseArray of(float[] data, int numJoints) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return checked(d, data.length, numJoints);
    }

    /** Takes ownership of {@code data} without copying: for this package's kernels that just filled it. */
    static PoseArray wrap(double[] data, int numJoints) {
        return checked(data, data.length, numJoints);
    }

    private static PoseArray checked(double[] data, int length, int numJoints) {
        if (numJoints <= 0 || length % (numJoints * 3) != 0) {
            throw new IllegalArgumentException("pose array of length " + length + " is not [N][" + numJoints + "][3]");
        }
        return new PoseArray(data, length / (numJoints * 3), numJoints);
    }

    /** Number of poses {@code N}. */
    public int numPoses() {
        return numPoses;
    }

    /** Joints per pose {@code J}. */
    public int numJoints() {
        return numJoints;
    }

    /** Coordinate {@code axis} (0 x, 1 y, 2 z) of joint {@code joint} in pose {@code pose}. */
    public double get(int pose, int joint, int axis) {
        return data[(pose * numJoints + joint) * 3 + axis];
    }

    /**
     * The stored array itself, not a copy, for this package's bulk kernels ({@link Procrustes}), which
     * would otherwise copy every pose they read. Callers must not write to it.
     */
    double[] data() {
        return data;
    }

    /** A copy of the data, {@code [N][J][3]} row-major. */
    public double[] toDoubles() {
        return data.clone();
    }

    /** The data rounded to float32, {@code [N][J][3]} row-major (for {@code .npy} output and DJL). */
    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    /** One pose as {@code double[J * 3]}. */
    public double[] pose(int pose) {
        int stride = numJoints * 3;
        return Arrays.copyOfRange(data, pose * stride, (pose + 1) * stride);
    }

    /**
     * Index of the first non-finite coordinate as {@code {pose, joint, axis}}, or {@code null} when all
     * are finite. Loaders use it to reject NaN keypoints with a message that points at them.
     */
    public int[] firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                return new int[] {i / (numJoints * 3), (i / 3) % numJoints, i % 3};
            }
        }
        return null;
    }

    /** Every pose translated so that joint {@code root} is at the origin (root-relative 3D). */
    public PoseArray rootRelative(int root) {
        checkJoint(root);
        double[] out = new double[data.length];
        for (int n = 0; n < numPoses; n++) {
            int base = n * numJoints * 3;
            int r = base + root * 3;
            for (int j = 0; j < numJoints; j++) {
                for (int a = 0; a < 3; a++) {
                    out[base + j * 3 + a] = data[base + j * 3 + a] - data[r + a];
                }
            }
        }
        return new PoseArray(out, numPoses, numJoints);
    }

    /** Every coordinate multiplied by {@code factor} (unit conversion). */
    public PoseArray scaled(double factor) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] * factor;
        }
        return new PoseArray(out, numPoses, numJoints);
    }

    /**
     * Every pose moved by the same similarity {@code x ↦ s·R·x + t} (e.g. a whole prediction turned, shrunk
     * or shifted, to see what each metric forgives).
     */
    public PoseArray transformed(Procrustes.Similarity similarity) {
        return new PoseArray(similarity.apply(data), numPoses, numJoints);
    }

    /**
     * Every coordinate plus independent Gaussian noise of standard deviation {@code std} (the array's unit),
     * drawn from {@code rng} in storage order: a stand-in for a lifter's jitter.
     *
     * @throws IllegalArgumentException when {@code std} is negative or not finite
     */
    public PoseArray plusNoise(double std, java.util.Random rng) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("noise std must be >= 0 and finite, got " + std);
        }
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] + std * rng.nextGaussian();
        }
        return new PoseArray(out, numPoses, numJoints);
    }

    /** The given joints of every pose, in the given order (a joint subset or a reordering). */
    public PoseArray selectJoints(int[] joints) {
        for (int j : joints) {
            checkJoint(j);
        }
        double[] out = new double[numPoses * joints.length * 3];
        for (int n = 0; n < numPoses; n++) {
            for (int k = 0; k < joints.length; k++) {
                System.arraycopy(data, (n * numJoints + joints[k]) * 3, out, (n * joints.length + k) * 3, 3);
            }
        }
        return new PoseArray(out, numPoses, joints.length);
    }

    /** The given poses, in the given order. */
    public PoseArray selectPoses(int[] poses) {
        int stride = numJoints * 3;
        double[] out = new double[poses.length * stride];
        for (int k = 0; k < poses.length; k++) {
            if (poses[k] < 0 || poses[k] >= numPoses) {
                throw new IndexOutOfBoundsException("pose " + poses[k] + " outside 0.." + (numPoses - 1));
            }
            System.arraycopy(data, poses[k] * stride, out, k * stride, stride);
        }
        return new PoseArray(out, poses.length, numJoints);
    }

    /** Whether {@code other} has the same number of poses and joints. */
    public boolean sameShape(PoseArray other) {
        return other.numPoses == numPoses && other.numJoints == numJoints;
    }

    private void checkJoint(int j) {
        if (j < 0 || j >= numJoints) {
            throw new IndexOutOfBoundsException("joint " + j + " outside 0.." + (numJoints - 1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoseArray p && p.numJoints == numJoints && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * numJoints + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PoseArray[" + numPoses + " x " + numJoints + " x 3]";
    }
}
