package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.skeleton.Skeleton;

/**
 * AdaptPose's motion generator (Gholami et al., CVPR 2022, sec. 3.1, fig. 2): BA, then BL on BA's output, then
 * RT on BL's output, each conditioned on the source window, as one block so one optimiser steps all three.
 *
 * <p>Input: {@code NDList(source [N, T, J, 3] root-relative camera metres, noiseBA, noiseBL, noiseR, noiseT
 * [N, trunk.noise()] each, axisNoise [N, 3])}. Output: {@code NDList(afterBA, angleChange [N, T, B], afterBL,
 * ratios [N, G], afterRT (camera-space), rotations [N, 3, 3], translations [N, 3])}.
 *
 * <p>BA and BL can be left out (the paper's ablations): a head left out is not built and passes its input
 * through, with zero angle changes or ratios in its outputs. The first head is one of the paper's three bone
 * generators ({@link BoneGeneration}, table 6): BG3, the axis-angle ramp of {@link BoneAngleGenerator}, unless asked
 * otherwise; BG1 and BG2 are {@link BoneDisplacementGenerator}s with the same inputs and outputs, so the angle
 * changes feed the same regulariser whichever design runs.
 */
public final class MotionGenerator extends AbstractBlock {

    private final Skeleton skeleton;
    private final BoneGeneration boneGeneration;
    private final AbstractBlock boneAngles; // BoneAngleGenerator (BG3) or BoneDisplacementGenerator; null when left out
    private final BoneLengthGenerator boneLengths; // null when left out
    private final CameraGenerator camera; // null when left out
    private final GeneratorTrunk trunk;

    /** The three heads for poses of {@code skeleton}. */
    public MotionGenerator(Skeleton skeleton, GeneratorTrunk trunk, CameraParameterisation parameterisation,
            float baseDepth) {
        this(skeleton, trunk, parameterisation, baseDepth, true, true);
    }

    /** The generator with BA and BL each on or off; RT is always there. */
    public MotionGenerator(Skeleton skeleton, GeneratorTrunk trunk, CameraParameterisation parameterisation,
            float baseDepth, boolean withBoneAngles, boolean withBoneLengths) {
        this(skeleton, trunk, parameterisation, baseDepth, withBoneAngles, withBoneLengths, BoneGeneration.BG3, 0);
    }

    /**
     * The generator whose bone head, when on, follows {@code boneGeneration} (the paper's table 6). BG1's network
     * reads and writes whole windows, so it is built for windows of {@code frames} frames; BG2 and BG3 take any
     * length and ignore {@code frames}. The bone head is the child block "ba" in every design.
     *
     * @throws IllegalArgumentException for BG1 with a non-positive {@code frames}
     */
    public MotionGenerator(Skeleton skeleton, GeneratorTrunk trunk, CameraParameterisation parameterisation,
            float baseDepth, boolean withBoneAngles, boolean withBoneLengths, BoneGeneration boneGeneration, int frames) {
        this(skeleton, trunk, parameterisation, baseDepth, withBoneAngles, withBoneLengths, true, boneGeneration, frames);
    }

    /**
     * The generator with each head on or off. Without RT (the camera generation of table 5 left out) the generated
     * bodies stay in the source camera's axes, root-relative: {@code afterCamera} is BL's output, the rotations
     * identities and the translations zero, and the caller places them along the source's root track.
     */
    public MotionGenerator(Skeleton skeleton, GeneratorTrunk trunk, CameraParameterisation parameterisation,
            float baseDepth, boolean withBoneAngles, boolean withBoneLengths, boolean withCamera,
            BoneGeneration boneGeneration, int frames) {
        this.skeleton = skeleton;
        this.trunk = trunk;
        this.boneGeneration = boneGeneration;
        boneAngles = !withBoneAngles ? null : addChildBlock("ba", switch (boneGeneration) {
            case BG1 -> BoneDisplacementGenerator.bg1(skeleton, trunk, frames);
            case BG2 -> BoneDisplacementGenerator.bg2(skeleton, trunk, BoneAngleGenerator.Motion.CONSTANT);
            case BG3 -> new BoneAngleGenerator(skeleton, trunk);
        });
        boneLengths = withBoneLengths ? addChildBlock("bl", new BoneLengthGenerator(skeleton, trunk)) : null;
        camera = withCamera ? addChildBlock("rt", new CameraGenerator(skeleton, trunk, parameterisation, baseDepth)) : null;
    }

    /** The bone generator design (BG3 unless built otherwise). */
    public BoneGeneration boneGeneration() {
        return boneGeneration;
    }

    /** The trunk every head uses. */
    public GeneratorTrunk trunk() {
        return trunk;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
        NDArray source = in.get(0);
        Shape s = source.getShape();
        NDList ba = boneAngles != null ? boneAngles.forward(store, new NDList(source, in.get(1)), training, params)
                : new NDList(source, source.getManager().zeros(new Shape(s.get(0), s.get(1), skeleton.numBones())));
        NDList bl = boneLengths != null
                ? boneLengths.forward(store, new NDList(source, ba.get(0), in.get(2)), training, params)
                : new NDList(ba.get(0), source.getManager().zeros(new Shape(s.get(0), skeleton.symmetricBoneGroups().size())));
        if (camera == null) {
            NDManager m = source.getManager();
            NDArray identities = m.eye(3).broadcast(s.get(0), 3, 3);
            return new NDList(ba.get(0), ba.get(1), bl.get(0), bl.get(1), bl.get(0), identities, m.zeros(new Shape(s.get(0), 3)));
        }
        NDList rt = camera.forward(store, new NDList(source, bl.get(0), in.get(3), in.get(4), in.get(5)), training, params);
        return new NDList(ba.get(0), ba.get(1), bl.get(0), bl.get(1), rt.get(0), rt.get(1), rt.get(2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] s) {
        Shape[] ba = boneAngles != null ? boneAngles.getOutputShapes(new Shape[] {s[0], s[1]})
                : new Shape[] {s[0], new Shape(s[0].get(0), s[0].get(1), skeleton.numBones())};
        Shape[] bl = boneLengths != null ? boneLengths.getOutputShapes(new Shape[] {s[0], s[0], s[2]})
                : new Shape[] {s[0], new Shape(s[0].get(0), skeleton.symmetricBoneGroups().size())};
        Shape[] rt = camera != null ? camera.getOutputShapes(new Shape[] {s[0], s[0], s[3], s[4], s[5]})
                : new Shape[] {s[0], new Shape(s[0].get(0), 3, 3), new Shape(s[0].get(0), 3)};
        return new Shape[] {ba[0], ba[1], bl[0], bl[1], rt[0], rt[1], rt[2]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... s) {
        if (boneAngles != null) {
            boneAngles.initialize(manager, dataType, s[0], s[1]);
        }
        if (boneLengths != null) {
            boneLengths.initialize(manager, dataType, s[0], s[0], s[2]);
        }
        if (camera != null) {
            camera.initialize(manager, dataType, s[0], s[0], s[3], s[4], s[5]);
        }
    }
}
