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

/**
 * The bone generators BG1 and BG2 of AdaptPose's bone generation study (Gholami et al., CVPR 2022, sec. 4.1,
 * fig. 3, table 6): the network predicts a displacement Δb for each bone and the bone's new direction is the old
 * one plus the displacement, divided by its norm "to avoid changing the length instead of rotating" (eq. 5), then
 * scaled back to the bone's length. The bone ratio of eqs. 5–6 is the BL head's job ({@link BoneLengthGenerator}),
 * which runs on this block's output as it does on BA's.
 *
 * <ul>
 *   <li>{@link BoneGeneration#BG1}: the MLP sees the whole source window (root-relative joints of all T frames,
 *       flattened) and predicts one Δb_t per bone and frame: b'_t = (u_t + Δb_t)/‖u_t + Δb_t‖·‖b_t‖.</li>
 *   <li>{@link BoneGeneration#BG2}: the MLP sees a single sample, the middle frame, and predicts one Δb per bone,
 *       added in every frame: b'_t = (u_t + Δb)/‖u_t + Δb‖·‖b_t‖; with {@link BoneAngleGenerator.Motion#RAMP},
 *       u_t + Δb·t/T instead.</li>
 * </ul>
 *
 * <p>The authors' released code has no BG1 or BG2; its only trace is a commented-out block of their
 * {@code BAGenerator} (models_adaptpose/gan_generator.py) from an older, 3-outputs-per-bone head: Δb·t/T added to
 * the <em>middle frame's</em> unit bones repeated over the window (the source motion dropped), then normalised.
 * Here the displacement goes onto each frame's own bones, as the paper's "new bone vector" of the source sequence
 * reads; {@code RAMP} gives that block's growth over the window.
 *
 * <p>Readings chosen where the paper's equations are missing from its text: Δb is added to the <em>unit</em> bone
 * direction u = b/‖b‖ (as in the authors' commented-out block), not to the bone vector in metres, so one Δb
 * turns a short bone as much as a long one; the MLP's inputs are root-relative joints plus Gaussian noise, as for
 * BA. The pelvis–spine and spine–thorax bones keep their directions ({@link BoneAngleGenerator#FIXED_BONE_CHILDREN}).
 *
 * <p>Built by {@link #bg1} (for one window length) or {@link #bg2}. Input and output as {@link BoneAngleGenerator}'s,
 * so either can be the generator's first head: input {@code NDList(window [N, T, J, 3], noise [N, trunk.noise()])},
 * metres; output {@code NDList(window [N, T, J, 3], angleChange [N, T, B])}, angleChange = 1 − cos of each bone's
 * turn, the root trajectory kept.
 */
public final class BoneDisplacementGenerator extends AbstractBlock {

    private final PoseTensors tensors;
    private final GeneratorTrunk trunk;
    private final BoneGeneration design;
    private final BoneAngleGenerator.Motion motion;
    private final int frames; // BG1: the window length its MLP is built for; BG2: 0 (any length)
    private final Block mlp;
    private final TurnedBones turnedBones;

    private BoneDisplacementGenerator(Skeleton skeleton, GeneratorTrunk trunk, BoneGeneration design, int frames,
            BoneAngleGenerator.Motion motion) {
        this.tensors = new PoseTensors(skeleton);
        this.trunk = trunk;
        this.design = design;
        this.frames = frames;
        this.motion = motion;
        this.turnedBones = new TurnedBones(tensors);
        int perFrame = skeleton.numBones() * 3;
        this.mlp = addChildBlock("mlp", trunk.build(design == BoneGeneration.BG1 ? Math.multiplyExact(frames, perFrame)
                : perFrame));
    }

    /**
     * BG1 for windows of {@code frames} frames (its MLP reads the whole window and writes a displacement for every
     * frame, so its sizes depend on the window length).
     *
     * @throws IllegalArgumentException when frames is not positive
     */
    public static BoneDisplacementGenerator bg1(Skeleton skeleton, GeneratorTrunk trunk, int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("BG1 needs a positive window length, got " + frames);
        }
        return new BoneDisplacementGenerator(skeleton, trunk, BoneGeneration.BG1, frames,
                BoneAngleGenerator.Motion.CONSTANT);
    }

    /**
     * BG2, for windows of any length: one displacement per bone, the same in every frame ({@code CONSTANT}, the
     * paper's eq. 6 as read here) or grown over the window as Δb·t/T ({@code RAMP}).
     */
    public static BoneDisplacementGenerator bg2(Skeleton skeleton, GeneratorTrunk trunk,
            BoneAngleGenerator.Motion motion) {
        return new BoneDisplacementGenerator(skeleton, trunk, BoneGeneration.BG2, 0, motion);
    }

    /** BG1 or BG2. */
    public BoneGeneration design() {
        return design;
    }

    private void checkFrames(long t) {
        if (design == BoneGeneration.BG1 && t != frames) {
            throw new IllegalArgumentException("BG1 was built for windows of " + frames + " frames, got " + t);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray window = inputs.get(0);
        NDArray noise = inputs.get(1);
        NDManager m = window.getManager();
        long n = window.getShape().get(0);
        long t = window.getShape().get(1);
        int bones = tensors.skeleton().numBones();
        NDArray root = tensors.root(window);
        NDArray relative = window.sub(root);
        NDArray displacement;
        if (design == BoneGeneration.BG1) {
            checkFrames(t);
            NDArray features = relative.reshape(n, -1).concat(noise, 1);
            displacement = mlp.forward(store, new NDList(features), training, params).singletonOrThrow()
                    .reshape(n, t, bones, 3);
        } else {
            NDArray middle = relative.get(":, " + t / 2).reshape(n, -1);
            displacement = mlp.forward(store, new NDList(middle.concat(noise, 1)), training, params).singletonOrThrow()
                    .reshape(n, 1, bones, 3);
            if (motion == BoneAngleGenerator.Motion.RAMP && t > 1) {
                displacement = displacement.mul(ScalarOps.dividedBy(m.arange(0f, (float) t), t).reshape(1, t, 1, 1));
            }
        }
        NDArray boneVectors = tensors.bones(relative);
        NDArray lengths = PoseTensors.lengths(boneVectors);
        NDArray directions = PoseTensors.directions(boneVectors);
        // Eq. 5/6: (u + Δb) divided by its norm, so the bone turns and keeps its length.
        NDArray turned = PoseTensors.directions(directions.add(displacement));
        return turnedBones.rebuild(root, directions, lengths, turned);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return turnedBones.outputShapes(inputShapes[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape w = inputShapes[0];
        checkFrames(w.get(1));
        long joints = tensors.skeleton().numJoints() * 3L * (design == BoneGeneration.BG1 ? frames : 1);
        mlp.initialize(manager, dataType, new Shape(w.get(0), joints + trunk.noise()));
    }
}
