package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * AdaptPose's 3D discriminator (Gholami et al., CVPR 2022, sec. 3.2): it judges whether a 3D pose is
 * plausible from its bone directions only (each bone scaled to unit length, so the bone-length head is
 * judged by nobody but the 2D discriminator), through five KCS paths, one per body part, each seeing the Ψ
 * matrix of that part's bones: the torso, the two arms, the two legs. Output: one LSGAN score per part,
 * {@code [N, 5]}.
 *
 * <p>Input: poses {@code [N, J, 3]} (any root position; a window is judged frame by frame after reshaping to
 * {@code [N·T, J, 3]}).
 *
 * <p><b>Perturbation</b> (the supplementary's fig. 8 and sec. 4.3: "we first apply a random perturbation of [10]
 * degrees to the input bone vectors and then feed the perturbed 3D to a part-wise KCS branch and the original 3D to
 * a KCS branch"): given a second input, {@code NDList(poses, axisDraws)}, the four limb paths see the unit bones
 * turned by {@link Perturbation#degrees()} about random axes, while the torso path sees the original bones; with the
 * poses alone the discriminator is the unperturbed one above, with the same parameters, so the perturbation is
 * switched per call (the caller chooses whether real, fake or both samples are perturbed). The draws are an input
 * (made by {@link #axisDraws} from a seeded {@link Random}), never the engine's generator; each is normalised to a
 * unit axis. The authors' code (their {@code Pos3dDiscriminator}, commented out as "Perturbation on") rotates the
 * joints of the unit-bone skeleton about the root rather than the bones ({@link Perturbation.Target#JOINTS}) and
 * draws axes as torch.rand, uniform in the positive octant ({@link AxisDraws#POSITIVE_OCTANT}).
 */
public final class PoseDiscriminator3D extends AbstractBlock {

    /** The bones of each part, named by their child joints (H36M-17 names; the authors' five paths). */
    public static final Map<String, List<String>> PARTS = parts();

    /** The parts whose paths never see the perturbation (fig. 8: the original pose goes to the torso's KCS path). */
    public static final List<String> UNPERTURBED_PARTS = List.of("torso");

    /**
     * The perturbation of the limb paths' input.
     *
     * @param degrees the rotation angle about each random axis (the authors' code: 10)
     * @param target  what turns: each unit bone vector (the paper's words) or each joint of the unit-bone skeleton
     *                about the root (the authors' code)
     */
    public record Perturbation(double degrees, Target target) {

        /** What the random rotations act on. */
        public enum Target {
            /** Each unit bone vector about its own axis: the paper's "perturbation ... to the input bone vectors". */
            BONES,
            /** Each joint of the unit-bone skeleton about the root, the bones then taken between them (authors' code). */
            JOINTS
        }

        /** Rejects angles that are negative or not finite. */
        public Perturbation {
            if (!(degrees >= 0) || Double.isInfinite(degrees) || target == null) {
                throw new IllegalArgumentException("perturbation needs an angle >= 0 degrees and a target, got " + degrees
                        + ", " + target);
            }
        }

        /** 10 degrees on the bone vectors: the paper's text with the authors' angle. */
        public static Perturbation paper() {
            return new Perturbation(10, Target.BONES);
        }

        /** 10 degrees on the joints, as the authors' commented-out code does it. */
        public static Perturbation authorsCode() {
            return new Perturbation(10, Target.JOINTS);
        }

        /** How many axes a pose needs: one per bone or one per joint. */
        public int axesPerPose(Skeleton skeleton) {
            return target == Target.BONES ? skeleton.numBones() : skeleton.numJoints();
        }
    }

    /** How {@link #axisDraws} draws the raw axes (normalised by the discriminator). */
    public enum AxisDraws {
        /** Each component uniform in [0, 1), as the authors' torch.rand: axes in the positive octant only. */
        POSITIVE_OCTANT,
        /** Each component standard normal: axes uniform on the sphere. */
        ISOTROPIC
    }

    private final PoseTensors tensors;
    private final Perturbation perturbation;
    private final List<float[]> masks = new ArrayList<>(); // per part, [B]: 1 for its bones
    private final List<KcsPath> paths = new ArrayList<>();

    private static Map<String, List<String>> parts() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("torso", List.of("RHip", "LHip", "Spine", "Thorax", "Neck", "Head", "LShoulder", "RShoulder"));
        m.put("left_arm", List.of("Thorax", "LShoulder", "LElbow", "LWrist"));
        m.put("right_arm", List.of("Thorax", "RShoulder", "RElbow", "RWrist"));
        m.put("left_leg", List.of("RHip", "LHip", "LKnee", "LFoot", "Spine"));
        m.put("right_leg", List.of("RHip", "RKnee", "RFoot", "LHip", "Spine"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The discriminator for poses of {@code skeleton} (which must have the joints of {@link #PARTS}).
     *
     * @param channels units of each path's KCS layers (the authors: 256)
     * @param middle   units of each path's last hidden layer (the authors: 100)
     * @throws IllegalArgumentException naming a part's joint that the skeleton lacks
     */
    public PoseDiscriminator3D(Skeleton skeleton, int channels, int middle) {
        this(skeleton, channels, middle, Perturbation.paper());
    }

    /**
     * The discriminator whose limb paths, when a call brings axis draws, see poses perturbed as {@code perturbation}
     * says. Its parameters and its scores without draws are those of the three-argument constructor.
     */
    public PoseDiscriminator3D(Skeleton skeleton, int channels, int middle, Perturbation perturbation) {
        if (perturbation == null) {
            throw new IllegalArgumentException("perturbation must not be null (its use is switched per call)");
        }
        this.perturbation = perturbation;
        this.tensors = new PoseTensors(skeleton);
        for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
            float[] mask = new float[skeleton.numBones()];
            for (String child : part.getValue()) {
                if (!skeleton.hasJoint(child)) {
                    throw new IllegalArgumentException("skeleton '" + skeleton.name() + "' has no joint '" + child
                            + "' for the " + part.getKey() + " path of the 3D discriminator");
                }
                mask[boneEndingAt(skeleton, skeleton.indexOf(child))] = 1;
            }
            masks.add(mask);
            paths.add(addChildBlock(part.getKey(), new KcsPath(channels, middle, true)));
        }
    }

    /** The perturbation a call with axis draws applies. */
    public Perturbation perturbation() {
        return perturbation;
    }

    /**
     * Raw axis draws {@code [n, K, 3]} (K = {@code perturbation().axesPerPose(skeleton)}) for {@code n} poses, from
     * {@code rng}, as the second input of a perturbed call.
     */
    public NDArray axisDraws(NDManager manager, Random rng, int n, AxisDraws how) {
        int count = perturbation.axesPerPose(tensors.skeleton());
        float[] draws = new float[Math.multiplyExact(n, count * 3)];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = how == AxisDraws.ISOTROPIC ? (float) rng.nextGaussian() : rng.nextFloat();
        }
        return manager.create(draws, new Shape(n, count, 3));
    }

    /** The index of the bone whose child is {@code joint}. */
    static int boneEndingAt(Skeleton skeleton, int joint) {
        for (int b = 0; b < skeleton.numBones(); b++) {
            if (skeleton.bones().get(b).child() == joint) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bone of skeleton '" + skeleton.name() + "' ends at joint " + joint);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 1 && inputs.size() != 2) {
            throw new IllegalArgumentException("the 3D discriminator takes poses, or poses and axis draws; got "
                    + inputs.size() + " arrays");
        }
        NDArray poses = inputs.get(0);
        NDManager m = poses.getManager();
        long n = poses.getShape().get(0);
        int bones = tensors.skeleton().numBones();
        NDArray units = PoseTensors.directions(tensors.bones(poses)); // [N, B, 3]
        NDArray limbs = inputs.size() == 2 ? perturbed(units, inputs.get(1)) : units;
        NDList scores = new NDList();
        int p = 0;
        for (String name : PARTS.keySet()) {
            NDArray input = UNPERTURBED_PARTS.contains(name) ? units : limbs;
            NDArray part = input.mul(m.create(masks.get(p), new Shape(bones, 1)));
            NDArray psi = PoseTensors.psi(part).reshape(n, (long) bones * bones);
            scores.add(paths.get(p).forward(store, new NDList(psi), training, params).singletonOrThrow());
            p++;
        }
        return new NDList(scores.stream().reduce((a, b) -> a.concat(b, 1)).orElseThrow());
    }

    /** The unit bones {@code [N, B, 3]} perturbed with the raw axis draws: bone vectors {@code [N, B, 3]}. */
    private NDArray perturbed(NDArray units, NDArray draws) {
        Skeleton s = tensors.skeleton();
        long n = units.getShape().get(0);
        Shape expected = new Shape(n, perturbation.axesPerPose(s), 3);
        if (!draws.getShape().equals(expected)) {
            throw new IllegalArgumentException("the 3D discriminator's axis draws must be " + expected + " (one axis per "
                    + (perturbation.target() == Perturbation.Target.BONES ? "bone" : "joint") + "), got "
                    + draws.getShape());
        }
        NDArray axes = PoseTensors.directions(draws);
        NDArray angle = units.getManager().create(new float[] {(float) Math.toRadians(perturbation.degrees())});
        NDArray rotations = PoseTensors.rotationMatrices(axes, angle); // [N, K, 3, 3]
        if (perturbation.target() == Perturbation.Target.BONES) {
            return rotations.matMul(units.expandDims(-1)).squeeze(-1);
        }
        NDArray joints = tensors.joints(units); // the unit-bone skeleton, root at the origin
        return tensors.bones(rotations.matMul(joints.expandDims(-1)).squeeze(-1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), PARTS.size())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int bones = tensors.skeleton().numBones();
        for (KcsPath path : paths) {
            path.initialize(manager, dataType, new Shape(inputShapes[0].get(0), (long) bones * bones));
        }
    }
}
