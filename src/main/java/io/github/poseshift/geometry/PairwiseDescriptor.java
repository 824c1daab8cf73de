package io.github.poseshift.geometry;

/**
 * The 3D geometric descriptor of Yang et al. (CVPR 2018, sec. 3.2.2, Eq. 1): for every ordered pair of joints
 * (i, j) the 6-vector d(z_i, z_j) = [Δx, Δy, Δz, Δx², Δy², Δz²] with Δ = z_i − z_j, arranged as a
 * {@code 6 × P × P} array (component-major: component c of pair (i, j) at {@code (c·P + i)·P + j}). It holds the
 * pairwise relative positions and squared distances a pictorial-structure model scores, so a discriminator reads
 * limb lengths, joint-angle limits and left/right symmetry off it directly. Depends only on differences: a
 * translated pose has the same descriptor.
 *
 * <p>This is the plain-array form, for drawing and for checking by hand; the discriminator computes the same on
 * batches ({@code nn.yang2018.PoseEncoding#descriptor}).
 */
public final class PairwiseDescriptor {

    /** Components per pair: Δx, Δy, Δz and their squares. */
    public static final int COMPONENTS = 6;

    private PairwiseDescriptor() {}

    /**
     * The descriptor of one pose.
     *
     * @param pose {@code [P][3]} row-major: x, y, z of each joint
     * @return {@code [6][P][P]} row-major
     * @throws IllegalArgumentException when the length is not a multiple of 3 or a coordinate is not finite
     */
    public static double[] of(double[] pose) {
        if (pose.length == 0 || pose.length % 3 != 0) {
            throw new IllegalArgumentException("a pose is [P][3] row-major, got " + pose.length + " values");
        }
        for (int k = 0; k < pose.length; k++) {
            if (!Double.isFinite(pose[k])) {
                throw new IllegalArgumentException("joint " + k / 3 + " has a non-finite coordinate " + pose[k]);
            }
        }
        int p = pose.length / 3;
        double[] d = new double[COMPONENTS * p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                for (int axis = 0; axis < 3; axis++) {
                    double delta = pose[3 * i + axis] - pose[3 * j + axis];
                    d[(axis * p + i) * p + j] = delta;
                    d[((axis + 3) * p + i) * p + j] = delta * delta;
                }
            }
        }
        return d;
    }

    /** The component names in order: what each {@code P × P} slice of {@link #of} holds. */
    public static String[] componentNames() {
        return new String[] {"Δx", "Δy", "Δz", "Δx²", "Δy²", "Δz²"};
    }
}
