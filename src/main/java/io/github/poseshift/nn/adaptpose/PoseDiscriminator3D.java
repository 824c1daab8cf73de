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

/**
 * AdaptPose's 3D discriminator (Gholami et al., CVPR 2022, sec. 3.2): it judges whether a 3D pose is
 * plausible from its bone directions only (each bone scaled to unit length, so the bone-length head is
 * judged by nobody but the 2D discriminator), through five KCS paths, one per body part, each seeing the Ψ
 * matrix of that part's bones: the torso, the two arms, the two legs. Output: one LSGAN score per part,
 * {@code [N, 5]}.
 *
 * <p>Input: poses {@code [N, J, 3]} (any root position; a window is judged frame by frame after reshaping to
 * {@code [N·T, J, 3]}).
 */
public final class PoseDiscriminator3D extends AbstractBlock {

    /** The bones of each part, named by their child joints (H36M-17 names; the authors' five paths). */
    public static final Map<String, List<String>> PARTS = parts();

    private final PoseTensors tensors;
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
        NDArray poses = inputs.singletonOrThrow();
        NDManager m = poses.getManager();
        long n = poses.getShape().get(0);
        int bones = tensors.skeleton().numBones();
        NDArray units = PoseTensors.directions(tensors.bones(poses)); // [N, B, 3]
        NDList scores = new NDList();
        for (int p = 0; p < paths.size(); p++) {
            NDArray part = units.mul(m.create(masks.get(p), new Shape(bones, 1)));
            NDArray psi = PoseTensors.psi(part).reshape(n, (long) bones * bones);
            scores.add(paths.get(p).forward(store, new NDList(psi), training, params).singletonOrThrow());
        }
        return new NDList(scores.stream().reduce((a, b) -> a.concat(b, 1)).orElseThrow());
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
