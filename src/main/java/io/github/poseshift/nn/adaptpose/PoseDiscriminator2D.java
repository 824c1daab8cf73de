package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;

/**
 * AdaptPose's 2D domain discriminator (Gholami et al., CVPR 2022, sec. 3.2): does a 2D pose come from the
 * target domain or from the generator? Two paths: the pose itself, flattened, through four 100-unit linear
 * layers with LeakyReLU and a skip from the first to the third, then a 100-unit layer; and the KCS path on
 * the Ψ matrix of the 2D bone vectors (Ψ = B·Bᵀ, eq. of the KCS representation), whose dot products carry the
 * foreshortening a camera's elevation causes. The two 100-unit features are joined, then LeakyReLU(linear→100)
 * and linear→1: one LSGAN score per pose, {@code [N, 1]}.
 *
 * <p>Input: normalised 2D poses {@code [N, J, 2]} (a window is judged frame by frame after reshaping).
 */
public final class PoseDiscriminator2D extends AbstractBlock {

    private static final int UNITS = 100;

    private final PoseTensors tensors;
    private final Block pose1;
    private final Block pose2;
    private final Block pose3;
    private final Block pose4;
    private final Block poseLast;
    private final KcsPath kcs;
    private final Block joined;
    private final Block score;

    /**
     * @param channels units of the KCS path's layers (the authors: 256)
     */
    public PoseDiscriminator2D(Skeleton skeleton, int channels) {
        this.tensors = new PoseTensors(skeleton);
        pose1 = addChildBlock("pose1", linear(UNITS));
        pose2 = addChildBlock("pose2", linear(UNITS));
        pose3 = addChildBlock("pose3", linear(UNITS));
        pose4 = addChildBlock("pose4", linear(UNITS));
        poseLast = addChildBlock("pose_last", linear(UNITS));
        kcs = addChildBlock("kcs", new KcsPath(channels, UNITS, false));
        joined = addChildBlock("joined", linear(UNITS));
        score = addChildBlock("score", linear(1));
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static NDArray apply(Block b, ParameterStore store, NDArray x, boolean training, PairList<String, Object> p) {
        return b.forward(store, new NDList(x), training, p).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray poses = inputs.singletonOrThrow();
        long n = poses.getShape().get(0);
        int bones = tensors.skeleton().numBones();
        NDArray psi = PoseTensors.psi(tensors.bones(poses)).reshape(n, (long) bones * bones);
        NDArray kcsFeatures = kcs.forward(store, new NDList(psi), training, params).singletonOrThrow();
        NDArray flat = poses.reshape(n, -1);
        NDArray d1 = KcsPath.leaky(apply(pose1, store, flat, training, params));
        NDArray d2 = KcsPath.leaky(apply(pose2, store, d1, training, params));
        NDArray d3 = KcsPath.leaky(apply(pose3, store, d2, training, params).add(d1));
        NDArray d4 = apply(pose4, store, d3, training, params);
        NDArray poseFeatures = KcsPath.leaky(apply(poseLast, store, d4, training, params));
        NDArray both = KcsPath.leaky(apply(joined, store, kcsFeatures.concat(poseFeatures, 1), training, params));
        return new NDList(apply(score, store, both, training, params));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        int bones = tensors.skeleton().numBones();
        kcs.initialize(manager, dataType, new Shape(n, (long) bones * bones));
        pose1.initialize(manager, dataType, new Shape(n, tensors.skeleton().numJoints() * 2L));
        Shape hidden = new Shape(n, UNITS);
        for (Block b : new Block[] {pose2, pose3, pose4, poseLast}) {
            b.initialize(manager, dataType, hidden);
        }
        joined.initialize(manager, dataType, new Shape(n, 2L * UNITS));
        score.initialize(manager, dataType, hidden);
    }
}
