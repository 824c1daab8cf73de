package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.skeleton.Skeleton;
import java.util.List;

/**
 * AdaptPose's BA head (Gholami et al., CVPR 2022, sec. 3.1, "bone angle"): from the middle frame of a
 * source window and Gaussian noise, an MLP predicts for every bone a rotation axis and an angle θ; frame t
 * of the T-frame window turns the bone's direction by θ·t/T about that axis, so the change is a motion that
 * grows over the window rather than a jitter, and frame 0 is left as it was. Bone lengths never change.
 *
 * <p>PoseDA's local pose augmentation (Chai et al., ICCV 2023, sec. 3.3) uses the same head with
 * {@link Motion#CONSTANT} turns (every frame of the window turned by the same θ, so the source motion is kept
 * and only the posture changes) bounded to |θ| ≤ {@code maxAngle} by θ = maxAngle·tanh(·) ("limited ranges").
 *
 * <p>The bones from the pelvis to the spine and from the spine to the thorax keep their directions, as in the
 * authors' code: turning them would turn the whole upper body, which is the camera head's job (RT).
 *
 * <p>Input: {@code NDList(window [N, T, J, 3], noise [N, trunk.noise()])}, metres; output:
 * {@code NDList(window [N, T, J, 3], angleChange [N, T, B])} where angleChange = 1 − cos of each bone's turn
 * (the quantity of the paper's bone-angle regulariser), the root trajectory kept.
 */
public final class BoneAngleGenerator extends AbstractBlock {

    /** How a bone's turn spreads over the window's frames. */
    public enum Motion {
        /** θ·t/T at frame t (AdaptPose): the turn grows into a motion over the window. */
        RAMP,
        /** θ at every frame (PoseDA's LPA): the window's motion is kept, its posture changed. */
        CONSTANT
    }

    /** The joints whose bones (from their parents) BA never turns. */
    public static final List<String> FIXED_BONE_CHILDREN = List.of("Spine", "Thorax");

    private final PoseTensors tensors;
    private final GeneratorTrunk trunk;
    private final Block mlp;
    private final TurnedBones turnedBones;
    private final Motion motion;
    private final double maxAngle;

    /** AdaptPose's BA head for poses of {@code skeleton}: ramped, unbounded turns. */
    public BoneAngleGenerator(Skeleton skeleton, GeneratorTrunk trunk) {
        this(skeleton, trunk, Motion.RAMP, Double.POSITIVE_INFINITY);
    }

    /**
     * A BA head whose turns spread over the window as {@code motion} says and stay within ±{@code maxAngle}
     * radians (infinite: unbounded, AdaptPose's).
     */
    public BoneAngleGenerator(Skeleton skeleton, GeneratorTrunk trunk, Motion motion, double maxAngle) {
        if (!(maxAngle > 0)) {
            throw new IllegalArgumentException("maxAngle must be positive (radians), got " + maxAngle);
        }
        this.tensors = new PoseTensors(skeleton);
        this.trunk = trunk;
        this.motion = motion;
        this.maxAngle = maxAngle;
        this.mlp = addChildBlock("mlp", trunk.build(skeleton.numBones() * 4));
        this.turnedBones = new TurnedBones(tensors);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray window = inputs.get(0);
        NDArray noise = inputs.get(1);
        NDManager m = window.getManager();
        long n = window.getShape().get(0);
        long frames = window.getShape().get(1);
        int bones = tensors.skeleton().numBones();
        NDArray root = tensors.root(window);
        NDArray relative = window.sub(root);
        NDArray middle = relative.get(":, " + frames / 2).reshape(n, -1);
        NDArray out = mlp.forward(store, new NDList(middle.concat(noise, 1)), training, params).singletonOrThrow()
                .reshape(n, 1, bones, 4);
        NDArray axes = PoseTensors.directions(out.get("..., 0:3"));
        // θ·t/T for t = 0 … T−1 (eq. of the BA head): [N, 1, B, 1] × [1, T, 1, 1]. A single frame (the
        // paper's 1-frame model) has no motion to ramp over: it takes the whole θ; so does every frame of a
        // constant turn.
        NDArray ramp = frames == 1 || motion == Motion.CONSTANT ? m.ones(new Shape(1, 1, 1, 1))
                : ScalarOps.dividedBy(m.arange(0f, (float) frames), frames).reshape(1, frames, 1, 1);
        NDArray theta = out.get("..., 3:4");
        if (Double.isFinite(maxAngle)) {
            theta = ScalarOps.times(theta.tanh(), maxAngle);
        }
        NDArray angles = theta.mul(ramp);
        NDArray rotations = PoseTensors.rotationMatrices(axes, angles); // [N, T, B, 3, 3]
        NDArray boneVectors = tensors.bones(relative);
        NDArray lengths = PoseTensors.lengths(boneVectors);
        NDArray directions = PoseTensors.directions(boneVectors);
        NDArray turned = rotations.matMul(directions.expandDims(-1)).squeeze(-1);
        return turnedBones.rebuild(root, directions, lengths, turned);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return turnedBones.outputShapes(inputShapes[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        mlp.initialize(manager, dataType, new Shape(n, tensors.skeleton().numJoints() * 3L + trunk.noise()));
    }
}
