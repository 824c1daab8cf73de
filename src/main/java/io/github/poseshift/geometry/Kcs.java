package io.github.poseshift.geometry;

import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeleton.Bone;
import java.util.List;

/**
 * The kinematic chain space of Wandt &amp; Rosenhahn (RepNet, CVPR 2019), used by AdaptPose's 2D and 3D
 * discriminators: with the joints of one pose as the columns of {@code X} (3×J) and the incidence
 * matrix {@code C} (J×B, {@code +1} at a bone's child joint, {@code −1} at its parent), the bone
 * matrix is {@code B = X·C} (3×B, each column a bone vector pointing away from the root) and
 * {@code Ψ = BᵀB} (B×B). Ψ's diagonal holds the squared bone lengths and its off-diagonal entries the
 * dot products between bones, i.e. their relative angles: a representation that is invariant to
 * global rotation, which is why a discriminator on Ψ judges the body, not the viewpoint.
 *
 * <p>Also the plain skeletal measures built on bone vectors: lengths, length ratios and unit directions.
 * Works for any dimension of point ({@code dims} = 2 for image keypoints, 3 for 3D).
 */
public final class Kcs {

    private final Skeleton skeleton;
    private final int[] parentOfBone;
    private final int[] childOfBone;

    /** The KCS of {@code skeleton}'s bones, in {@link Skeleton#bones()} order. */
    public Kcs(Skeleton skeleton) {
        this.skeleton = skeleton;
        List<Bone> bones = skeleton.bones();
        this.parentOfBone = bones.stream().mapToInt(Bone::parent).toArray();
        this.childOfBone = bones.stream().mapToInt(Bone::child).toArray();
    }

    /** The skeleton. */
    public Skeleton skeleton() {
        return skeleton;
    }

    /** Number of bones {@code B}. */
    public int numBones() {
        return childOfBone.length;
    }

    /** The incidence matrix {@code C}, J×B row-major: {@code B = X·C} gives the bone vectors. */
    public double[] incidenceMatrix() {
        int j = skeleton.numJoints();
        int b = numBones();
        double[] c = new double[j * b];
        for (int k = 0; k < b; k++) {
            c[childOfBone[k] * b + k] = 1;
            c[parentOfBone[k] * b + k] = -1;
        }
        return c;
    }

    /**
     * Bone vectors (child − parent) of one pose.
     *
     * @param pose {@code [J][dims]} row-major
     * @return {@code [B][dims]} row-major
     */
    public double[] boneVectors(double[] pose, int dims) {
        checkPose(pose, dims);
        double[] bones = new double[numBones() * dims];
        for (int k = 0; k < numBones(); k++) {
            for (int d = 0; d < dims; d++) {
                bones[k * dims + d] = pose[childOfBone[k] * dims + d] - pose[parentOfBone[k] * dims + d];
            }
        }
        return bones;
    }

    /**
     * The KCS matrix {@code Ψ = BᵀB} of one pose: {@code Ψ[a][b]} is the dot product of bones a and b.
     *
     * @param pose {@code [J][dims]} row-major
     * @return {@code [B][B]} row-major, symmetric
     */
    public double[] psi(double[] pose, int dims) {
        double[] bones = boneVectors(pose, dims);
        int nb = numBones();
        double[] psi = new double[nb * nb];
        for (int a = 0; a < nb; a++) {
            for (int b = a; b < nb; b++) {
                double dot = 0;
                for (int d = 0; d < dims; d++) {
                    dot += bones[a * dims + d] * bones[b * dims + d];
                }
                psi[a * nb + b] = dot;
                psi[b * nb + a] = dot;
            }
        }
        return psi;
    }

    /** Bone lengths of one pose {@code [J][dims]}: the square roots of Ψ's diagonal. */
    public double[] boneLengths(double[] pose, int dims) {
        double[] bones = boneVectors(pose, dims);
        double[] lengths = new double[numBones()];
        for (int k = 0; k < lengths.length; k++) {
            double s = 0;
            for (int d = 0; d < dims; d++) {
                s += bones[k * dims + d] * bones[k * dims + d];
            }
            lengths[k] = Math.sqrt(s);
        }
        return lengths;
    }

    /** Bone lengths of every pose: {@code [N][B]} row-major. */
    public double[] boneLengths(PoseArray poses) {
        int nb = numBones();
        double[] out = new double[poses.numPoses() * nb];
        for (int n = 0; n < poses.numPoses(); n++) {
            System.arraycopy(boneLengths(poses.pose(n), 3), 0, out, n * nb, nb);
        }
        return out;
    }

    /**
     * Bone-length ratios {@code length / reference − 1} of one pose: 0 for a bone as long as the
     * reference, +0.1 for 10% longer. The form of AdaptPose's bone-length change {@code r}.
     *
     * @param reference reference length per bone, all positive
     */
    public double[] boneLengthRatios(double[] pose, int dims, double[] reference) {
        if (reference.length != numBones()) {
            throw new IllegalArgumentException("reference has " + reference.length + " lengths, skeleton '"
                    + skeleton.name() + "' has " + numBones() + " bones");
        }
        double[] lengths = boneLengths(pose, dims);
        for (int k = 0; k < lengths.length; k++) {
            if (!(reference[k] > 0)) {
                throw new IllegalArgumentException("reference length of bone " + k + " (to joint '"
                        + skeleton.jointName(childOfBone[k]) + "') must be positive, got " + reference[k]);
            }
            lengths[k] = lengths[k] / reference[k] - 1;
        }
        return lengths;
    }

    /**
     * Unit direction of every bone of one pose, {@code [B][dims]}; a zero-length bone has direction
     * zero rather than NaN so that degenerate input stays visible as zero, not poison.
     */
    public double[] limbDirections(double[] pose, int dims) {
        double[] bones = boneVectors(pose, dims);
        for (int k = 0; k < numBones(); k++) {
            double s = 0;
            for (int d = 0; d < dims; d++) {
                s += bones[k * dims + d] * bones[k * dims + d];
            }
            double len = Math.sqrt(s);
            for (int d = 0; d < dims; d++) {
                bones[k * dims + d] = len > 0 ? bones[k * dims + d] / len : 0;
            }
        }
        return bones;
    }

    private void checkPose(double[] pose, int dims) {
        if (dims < 1 || pose.length != skeleton.numJoints() * dims) {
            throw new IllegalArgumentException("pose of length " + pose.length + " is not [" + skeleton.numJoints()
                    + "][" + dims + "] for skeleton '" + skeleton.name() + "'");
        }
    }
}
