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
 * AdaptPose's BL head (Gholami et al., CVPR 2022, sec. 3.1, "bone length"): from the middle frame of the
 * source window, its bone lengths and Gaussian noise, an MLP predicts one length ratio per symmetric bone
 * group, r = 0.2·tanh(·) (at most ±20 %), and every bone of the group, in every frame of the window to
 * change, becomes (1 + r) times as long with its direction kept. Left and right stay equal, so bodies stay
 * symmetric.
 *
 * <p>Groups are {@link Skeleton#symmetricBoneGroups()}: 10 for H36M-17, where the authors' 16-joint skeleton
 * has 9, since H36M-17's head is two bones (thorax–neck, neck–head). The group of the spine–thorax bone
 * never changes, as in the authors' code (their mask [1,1,1,1,0,1,1,1,1]): a taller trunk far away and a
 * shorter one nearby project alike, and the generator should not chase that ambiguity.
 *
 * <p>Input: {@code NDList(source [N, T, J, 3], toChange [N, T, J, 3], noise [N, trunk.noise()])}, metres (the
 * source conditions the MLP; in the generator, toChange is BA's output). Output:
 * {@code NDList(changed [N, T, J, 3], ratios [N, G])}, the root trajectory of toChange kept.
 */
public final class BoneLengthGenerator extends AbstractBlock {

    /** Largest relative length change: the 0.2 of r = 0.2·tanh(·). */
    public static final float RATIO_LIMIT = 0.2f;

    /** The joint whose bone's group (from the spine to the thorax) BL never changes. */
    public static final String FIXED_GROUP_CHILD = "Thorax";

    private final PoseTensors tensors;
    private final GeneratorTrunk trunk;
    private final Block mlp;
    private final List<int[]> groups;
    private final float[] groupToBone; // [G][B]: 1 where bone b is in group g
    private final float[] changeable; // [G]: 0 for the fixed group

    /** The BL head for poses of {@code skeleton}. */
    public BoneLengthGenerator(Skeleton skeleton, GeneratorTrunk trunk) {
        this.tensors = new PoseTensors(skeleton);
        this.trunk = trunk;
        this.groups = skeleton.symmetricBoneGroups();
        int bones = skeleton.numBones();
        this.groupToBone = new float[groups.size() * bones];
        this.changeable = new float[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            changeable[g] = 1;
            for (int b : groups.get(g)) {
                groupToBone[g * bones + b] = 1;
                if (skeleton.bones().get(b).child() == skeleton.indexOf(FIXED_GROUP_CHILD)) {
                    changeable[g] = 0;
                }
            }
        }
        this.mlp = addChildBlock("mlp", trunk.build(groups.size()));
    }

    /** The symmetric bone groups, in ratio order. */
    public List<int[]> groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray source = inputs.get(0);
        NDArray toChange = inputs.get(1);
        NDArray noise = inputs.get(2);
        NDManager m = source.getManager();
        long n = source.getShape().get(0);
        long frames = source.getShape().get(1);
        int bones = tensors.skeleton().numBones();
        NDArray middle = source.sub(tensors.root(source)).get(":, " + frames / 2);
        NDArray middleLengths = PoseTensors.lengths(tensors.bones(middle)).reshape(n, bones);
        NDArray features = middle.reshape(n, -1).concat(middleLengths, 1).concat(noise, 1);
        NDArray raw = mlp.forward(store, new NDList(features), training, params).singletonOrThrow();
        NDArray ratios = ScalarOps.times(raw.tanh(), RATIO_LIMIT).mul(m.create(changeable));
        NDArray perBone = ratios.matMul(m.create(groupToBone, new Shape(groups.size(), bones))); // [N, B]
        NDArray root = tensors.root(toChange);
        NDArray boneVectors = tensors.bones(toChange.sub(root));
        NDArray scaled = boneVectors.mul(perBone.add(1).reshape(n, 1, bones, 1));
        return new NDList(tensors.joints(scaled).add(root), ratios);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1], new Shape(inputShapes[0].get(0), groups.size())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        Skeleton s = tensors.skeleton();
        mlp.initialize(manager, dataType, new Shape(n, s.numJoints() * 3L + s.numBones() + trunk.noise()));
    }
}
