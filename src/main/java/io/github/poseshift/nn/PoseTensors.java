package io.github.poseshift.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.skeleton.Skeleton.Bone;
import io.github.poseshift.skeleton.Skeleton;
import java.util.List;

/**
 * Differentiable skeleton arithmetic on {@code NDArray}s, for generators that edit poses bone by bone
 * (AdaptPose's motion generator, PoseDA's local pose augmentation): joints to bone vectors and back,
 * bone lengths and directions, and rotation matrices from axes and angles.
 *
 * <p>Joints are the last-but-one axis and coordinates the last one ({@code [..., J, 3]}); bones are in
 * {@link Skeleton#bones()} order ({@code [..., B, 3]}, each the child joint minus its parent). Both maps are
 * constant matrices ({@link Kcs#incidenceMatrix()} and its inverse along the kinematic tree) applied with
 * a broadcast matrix product, so gradients flow through them.
 */
public final class PoseTensors {

    /** Added to bone lengths before dividing by them, so a zero-length bone gives a zero direction. */
    private static final float LENGTH_EPSILON = 1e-9f;

    private final Skeleton skeleton;
    /** {@code [B][J]} row-major: bone b = Σ_j boneFromJoints[b][j] · joint j. */
    private final float[] boneFromJoints;
    /** {@code [J][B]} row-major: joint j − root = Σ_b jointFromBones[j][b] · bone b (the bones on its path). */
    private final float[] jointFromBones;

    /** The arithmetic of {@code skeleton}'s bones. */
    public PoseTensors(Skeleton skeleton) {
        this.skeleton = skeleton;
        int joints = skeleton.numJoints();
        List<Bone> bones = skeleton.bones();
        int b = bones.size();
        double[] incidence = new Kcs(skeleton).incidenceMatrix(); // [J][B]: +1 at the child, −1 at the parent
        boneFromJoints = new float[b * joints];
        for (int j = 0; j < joints; j++) {
            for (int k = 0; k < b; k++) {
                boneFromJoints[k * joints + j] = (float) incidence[j * b + k];
            }
        }
        jointFromBones = new float[joints * b];
        for (int k = 0; k < b; k++) {
            int child = bones.get(k).child();
            // Bone k lies on the path of its child joint and of every joint below it.
            for (int j = 0; j < joints; j++) {
                if (isAncestorOrSelf(child, j)) {
                    jointFromBones[j * b + k] = 1;
                }
            }
        }
    }

    private boolean isAncestorOrSelf(int ancestor, int joint) {
        for (int j = joint; j >= 0; j = skeleton.parent(j)) {
            if (j == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** The skeleton. */
    public Skeleton skeleton() {
        return skeleton;
    }

    /** Bone vectors {@code [..., B, 3]} of joints {@code [..., J, 3]}. */
    public NDArray bones(NDArray joints) {
        NDManager m = joints.getManager();
        NDArray matrix = m.create(boneFromJoints, new Shape(skeleton.numBones(), skeleton.numJoints()));
        return matrix.matMul(joints);
    }

    /** Joints {@code [..., J, 3]} with the root at the origin, from bone vectors {@code [..., B, 3]}. */
    public NDArray joints(NDArray bones) {
        NDManager m = bones.getManager();
        NDArray matrix = m.create(jointFromBones, new Shape(skeleton.numJoints(), skeleton.numBones()));
        return matrix.matMul(bones);
    }

    /** The root joint of every pose, {@code [..., 1, 3]} (to add back after editing root-relative poses). */
    public NDArray root(NDArray joints) {
        int r = skeleton.root();
        return joints.get("..., " + r + ":" + (r + 1) + ", :");
    }

    /**
     * Lengths of vectors along the last axis, keeping it: {@code [..., 3]} → {@code [..., 1]}. A 1e-12 m² under
     * the root keeps the gradient of a zero vector's length finite (d√x/dx is infinite at 0, and ∞·0 is NaN,
     * which once in a while turned a whole adversarial run into NaN); it moves lengths above a micrometre by
     * less than 1e-6 of a micrometre.
     */
    public static NDArray lengths(NDArray vectors) {
        return vectors.square().sum(new int[] {-1}, true).add(1e-12f).sqrt();
    }

    /** Unit vectors along the last axis (a zero vector stays zero). */
    public static NDArray directions(NDArray vectors) {
        return vectors.div(lengths(vectors).add(LENGTH_EPSILON));
    }

    /**
     * The kinematic chain space matrix Ψ = B·Bᵀ of bone vectors {@code [..., B, d]} (d = 2 or 3), shaped
     * {@code [..., B, B]}: squared lengths on the diagonal, dot products between bones elsewhere (Wandt &amp;
     * Rosenhahn, RepNet; {@link Kcs#psi} is the same for one pose on plain arrays). Zeroed bones drop out, which
     * is how AdaptPose's part-wise paths look at one limb at a time.
     */
    public static NDArray psi(NDArray bones) {
        return bones.matMul(bones.swapAxes(-1, -2));
    }

    /**
     * Pinhole projection of camera-space points {@code [..., 3]} (x right, y down, z forward, metres) to
     * VideoPose3D's normalised screen coordinates {@code [..., 2]}: u = f_x·x/z + c_x, v = f_y·y/z + c_y in
     * pixels, then u·2/S − w/S and v·2/S − h/S with S = max(w, h) ({@link
     * io.github.poseshift.geometry.Camera#normalizeScreen}: VideoPose3D's for landscape frames, a portrait one padded
     * to a square), the lifters' input space. Lens distortion is left out, as in the generators of AdaptPose and PoseDA.
     */
    public static NDArray projectNormalised(NDArray points, io.github.poseshift.geometry.Camera.Intrinsics k) {
        NDArray z = points.get("..., 2:3");
        float side = (float) k.normalisationSide();
        // For a landscape frame side = w: 2f / side and w / side = 1 are the numbers VideoPose3D's formula uses.
        NDArray u = ScalarOps.times(ScalarOps.times(points.get("..., 0:1").div(z), k.fx()).add((float) k.cx()),
                2f / side).sub(k.width() / side);
        NDArray v = ScalarOps.times(ScalarOps.times(points.get("..., 1:2").div(z), k.fy()).add((float) k.cy()),
                2f / side).sub(k.height() / side);
        return u.concat(v, -1);
    }

    /**
     * {@link #projectNormalised(NDArray, io.github.poseshift.geometry.Camera.Intrinsics)} with one camera per
     * sample: points {@code [N, ..., 3]}, pinholes {@code [N, 4]} as {@link
     * io.github.poseshift.geometry.Camera.Intrinsics#normalisedPinhole()} gives them.
     */
    public static NDArray projectNormalised(NDArray points, NDArray pinholes) {
        long n = points.getShape().get(0);
        long[] dims = new long[points.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        dims[dims.length - 1] = 2;
        NDArray focal = pinholes.get(":, 0:2").reshape(new Shape(dims));
        NDArray centre = pinholes.get(":, 2:4").reshape(new Shape(dims));
        return points.get("..., 0:2").div(points.get("..., 2:3")).mul(focal).add(centre);
    }

    /**
     * Rotation matrices {@code [..., 3, 3]} by Rodrigues' formula, R = I + sin θ·K + (1 − cos θ)·K², with K
     * the cross-product matrix of the unit axis. Axes {@code [..., 3]} must be unit vectors; angles
     * {@code [..., 1]} (radians) may be zero. Axes and angles broadcast against each other (one axis per bone,
     * one angle per bone and frame, say).
     */
    public static NDArray rotationMatrices(NDArray unitAxes, NDArray angles) {
        NDArray x = unitAxes.get("..., 0");
        NDArray y = unitAxes.get("..., 1");
        NDArray z = unitAxes.get("..., 2");
        NDArray zero = x.zerosLike();
        NDArray k = NDArrays.stack(new ai.djl.ndarray.NDList(
                NDArrays.stack(new ai.djl.ndarray.NDList(zero, z.neg(), y), -1),
                NDArrays.stack(new ai.djl.ndarray.NDList(z, zero, x.neg()), -1),
                NDArrays.stack(new ai.djl.ndarray.NDList(y.neg(), x, zero), -1)), -2);
        NDArray theta = angles.expandDims(-1); // [..., 1, 1]
        NDArray identity = unitAxes.getManager().eye(3);
        return identity.add(k.mul(theta.sin())).add(k.matMul(k).mul(theta.cos().neg().add(1)));
    }

    /**
     * Rotation matrices {@code [..., 3, 3]} of quaternions {@code [..., 4]} (w, x, y, z), normalised first, so
     * any non-zero 4-vector gives a rotation.
     */
    public static NDArray quaternionMatrices(NDArray quaternions) {
        NDArray q = quaternions.div(lengths(quaternions).add(LENGTH_EPSILON));
        NDArray w = q.get("..., 0");
        NDArray x = q.get("..., 1");
        NDArray y = q.get("..., 2");
        NDArray z = q.get("..., 3");
        NDArray one = w.onesLike();
        return NDArrays.stack(new ai.djl.ndarray.NDList(
                row(one.sub(twice(y.mul(y).add(z.mul(z)))), twice(x.mul(y).sub(w.mul(z))), twice(x.mul(z).add(w.mul(y)))),
                row(twice(x.mul(y).add(w.mul(z))), one.sub(twice(x.mul(x).add(z.mul(z)))), twice(y.mul(z).sub(w.mul(x)))),
                row(twice(x.mul(z).sub(w.mul(y))), twice(y.mul(z).add(w.mul(x))), one.sub(twice(x.mul(x).add(y.mul(y)))))),
                -2);
    }

    private static NDArray twice(NDArray a) {
        return ScalarOps.times(a, 2);
    }

    private static NDArray row(NDArray a, NDArray b, NDArray c) {
        return NDArrays.stack(new ai.djl.ndarray.NDList(a, b, c), -1);
    }

    /**
     * Rotation matrices {@code [..., 3, 3]} of Euler angles {@code [..., 3]} (radians) about x, y and z, applied
     * in that order: R = R_z(γ)·R_y(β)·R_x(α).
     */
    public static NDArray eulerMatrices(NDArray angles) {
        NDManager m = angles.getManager();
        NDArray rx = rotationMatrices(m.create(new float[] {1, 0, 0}), angles.get("..., 0:1"));
        NDArray ry = rotationMatrices(m.create(new float[] {0, 1, 0}), angles.get("..., 1:2"));
        NDArray rz = rotationMatrices(m.create(new float[] {0, 0, 1}), angles.get("..., 2:3"));
        return rz.matMul(ry).matMul(rx);
    }
}
