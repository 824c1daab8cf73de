package io.github.poseshift.data.io;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeleton.JointPair;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Readers for the {@code .npz} files of VideoPose3D (Pavllo et al., CVPR 2019; its
 * {@code prepare_data_*.py} scripts) and of the works that reuse its layout (PoseAug, AdaptPose and
 * others, for MPI-INF-3DHP, 3DPW...):
 *
 * <ul>
 *   <li>{@code data_3d_<dataset>.npz}: entry {@code positions_3d}, a 0-d object array holding a dict
 *       subject → action → float array {@code [frames, joints, 3]}, world coordinates in metres. For
 *       Human3.6M the world is Z up already (as PoseShift's), with the 32 motion-capture joints;
 *       other datasets may store 17 joints in H36M-17 order.</li>
 *   <li>{@code data_2d_<dataset>_<detector>.npz}: entries {@code positions_2d} (dict subject → action
 *       → list of per-camera float arrays {@code [frames, joints, 2]}, pixels) and {@code metadata}
 *       (dict with {@code layout_name}, {@code num_joints}, {@code keypoints_symmetry}).</li>
 * </ul>
 *
 * <p>The pickled dicts are read by {@link NumpyUnpickler}, which runs no code. Arrays may be float32 or
 * float64 (kept as float32, PoseShift's storage type). A missing entry or key, a wrong nesting or an
 * array of the wrong shape or type is a {@link FormatException} naming the file, the key path (e.g.
 * {@code positions_3d/S1/Walking}) and what was expected.
 */
public final class VideoPose3DArchive {

    /**
     * Frame rate of Human3.6M's videos and of the 3D poses VideoPose3D extracts from them: the dataset
     * records with 50 Hz cameras (Ionescu et al., TPAMI 2014), and VideoPose3D's
     * {@code Human36mDataset} declares {@code fps=50} ({@code common/h36m_dataset.py}). The
     * {@code .npz} files themselves carry no frame rate.
     */
    public static final double H36M_FPS = 50;

    /**
     * Human3.6M's full 32-joint motion-capture layout, as in VideoPose3D's {@code h36m_skeleton}
     * (same parents and left/right joints). Names follow Human3.6M's skeleton (Hips, RightUpLeg...);
     * its unnamed end sites are called after their parent ({@code RightToeSite}, {@code HeadSite}...).
     */
    public static final Skeleton H36M32 = new Skeleton("h36m32",
            List.of("Hips", "RightUpLeg", "RightLeg", "RightFoot", "RightToeBase", "RightToeSite",
                    "LeftUpLeg", "LeftLeg", "LeftFoot", "LeftToeBase", "LeftToeSite",
                    "Spine", "Spine1", "Neck", "Head", "HeadSite",
                    "LeftShoulder", "LeftArm", "LeftForeArm", "LeftHand", "LeftHandThumb", "LeftHandThumbSite",
                    "LeftWristEnd", "LeftWristEndSite",
                    "RightShoulder", "RightArm", "RightForeArm", "RightHand", "RightHandThumb",
                    "RightHandThumbSite", "RightWristEnd", "RightWristEndSite"),
            new int[] {-1, 0, 1, 2, 3, 4, 0, 6, 7, 8, 9, 0, 11, 12, 13, 14, 12, 16, 17, 18, 19, 20, 19, 22, 12,
                    24, 25, 26, 27, 28, 27, 30},
            pairs(new int[] {6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23},
                    new int[] {1, 2, 3, 4, 5, 24, 25, 26, 27, 28, 29, 30, 31}));

    /**
     * The 17 of {@link #H36M32}'s joints VideoPose3D keeps, in {@link Skeletons#H36M17} order: what is
     * left after its {@code remove_joints([4, 5, 9, 10, 11, 16, 20, 21, 22, 23, 24, 28, 29, 30, 31])}.
     */
    private static final int[] KEPT_17 = {0, 1, 2, 3, 6, 7, 8, 12, 13, 14, 15, 17, 18, 19, 25, 26, 27};

    private static final JointMap H36M32_TO_17 = JointMap.byIndices(H36M32, Skeletons.H36M17, KEPT_17);

    /** Which joints a 3D file had and what the reader did with them. */
    public enum JointSelection {
        /** 32-joint arrays, returned on {@link #H36M32} unchanged. */
        KEPT_32,
        /** 32-joint arrays reduced to {@link Skeletons#H36M17} with {@link #h36m32ToH36m17()}. */
        SELECTED_17_OF_32,
        /** The arrays had 17 joints already (H36M-17 order): no selection was applied. */
        ALREADY_17
    }

    /** The sequences of a 3D file, and the joint selection that was applied. */
    public record Poses3D(List<PoseSequence> sequences, int sourceJoints, JointSelection selection) {
        /** @param sequences in file order (subjects, then their actions); @param sourceJoints 17 or 32 */
        public Poses3D {
            sequences = List.copyOf(sequences);
        }
    }

    /** The {@code metadata} entry of a 2D file. */
    public record Metadata2D(String layoutName, int numJoints, int[] leftJoints, int[] rightJoints) {
        /** Copies the joint lists. */
        public Metadata2D {
            leftJoints = leftJoints.clone();
            rightJoints = rightJoints.clone();
        }

        @Override
        public int[] leftJoints() {
            return leftJoints.clone();
        }

        @Override
        public int[] rightJoints() {
            return rightJoints.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Metadata2D m && m.layoutName.equals(layoutName) && m.numJoints == numJoints
                    && Arrays.equals(m.leftJoints, leftJoints) && Arrays.equals(m.rightJoints, rightJoints);
        }

        @Override
        public int hashCode() {
            return layoutName.hashCode() * 31 + numJoints;
        }

        @Override
        public String toString() {
            return "Metadata2D[" + layoutName + ", " + numJoints + " joints, left " + Arrays.toString(leftJoints)
                    + ", right " + Arrays.toString(rightJoints) + "]";
        }
    }

    /**
     * One camera's 2D keypoints of one sequence: {@code keypoints} is {@code [frames][joints][2]}
     * row-major, in pixels.
     */
    public record Keypoints2D(String subject, String action, int camera, int numFrames, int numJoints,
            float[] keypoints) {
        /** Copies the keypoints and checks their length. */
        public Keypoints2D {
            if (keypoints.length != numFrames * numJoints * 2) {
                throw new IllegalArgumentException(subject + "/" + action + " camera " + camera + ": "
                        + keypoints.length + " values are not [" + numFrames + "][" + numJoints + "][2]");
            }
            keypoints = keypoints.clone();
        }

        /** A copy of the keypoints, {@code [frames][joints][2]}. */
        @Override
        public float[] keypoints() {
            return keypoints.clone();
        }

        /** Coordinate {@code axis} (0 x, 1 y) of {@code joint} at {@code frame}, pixels. */
        public float get(int frame, int joint, int axis) {
            return keypoints[(frame * numJoints + joint) * 2 + axis];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Keypoints2D k && k.subject.equals(subject) && k.action.equals(action)
                    && k.camera == camera && k.numFrames == numFrames && k.numJoints == numJoints
                    && Arrays.equals(k.keypoints, keypoints);
        }

        @Override
        public int hashCode() {
            return (subject.hashCode() * 31 + action.hashCode()) * 31 + camera;
        }

        @Override
        public String toString() {
            return "Keypoints2D[" + subject + "/" + action + ", camera " + camera + ", " + numFrames + " frames, "
                    + numJoints + " joints]";
        }
    }

    /** A 2D file: its metadata and every camera track, in file order (subject, action, camera). */
    public record Poses2D(Metadata2D metadata, List<Keypoints2D> tracks) {
        /** Copies the list. */
        public Poses2D {
            tracks = List.copyOf(tracks);
        }
    }

    private VideoPose3DArchive() {}

    /**
     * VideoPose3D's 32 → 17 joint selection ({@code remove_joints}) as a one-to-one map onto H36M-17:
     * joints 0, 1, 2, 3, 6, 7, 8, 12, 13, 14, 15, 17, 18, 19, 25, 26, 27. The target's kinematic tree
     * is {@link Skeletons#H36M17}'s, with the shoulders under the Thorax, as VideoPose3D rewires them
     * after the removal (in H36M-32 they hang from Spine1).
     */
    public static JointMap h36m32ToH36m17() {
        return H36M32_TO_17;
    }

    /**
     * Reads Human3.6M's {@code data_3d_h36m.npz} at {@link #H36M_FPS}, reduced to H36M-17 (as
     * VideoPose3D does).
     */
    public static Poses3D readH36m3d(Path file) throws IOException {
        return read3d(file, H36M_FPS, true);
    }

    /**
     * Reads a VideoPose3D-layout 3D file ({@code positions_3d}).
     *
     * @param fps        frame rate to record in the sequences (the file has none): {@link #H36M_FPS}
     *                   for Human3.6M, the source dataset's rate otherwise
     * @param reduceTo17 whether 32-joint arrays are reduced to {@link Skeletons#H36M17} (ignored for
     *                   files that already have 17 joints); the result says which selection applied
     * @throws FormatException naming the file and key path when the layout is not VideoPose3D's, arrays
     *                         are not float {@code [frames, 17 or 32, 3]}, joint counts differ between
     *                         sequences, or a position is not finite
     */
    public static Poses3D read3d(Path file, double fps, boolean reduceTo17) throws IOException {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        String source = file.toString();
        Map<String, Object> entries = Npz.readAllowingPickles(file);
        Map<?, ?> subjects = dict(entryItem(entries, "positions_3d", source), "positions_3d", source,
                "a dict subject -> action -> array [frames, joints, 3]");
        List<PoseSequence> sequences = new ArrayList<>();
        int sourceJoints = -1;
        String firstPath = null;
        for (Map.Entry<?, ?> s : subjects.entrySet()) {
            String subject = key(s.getKey(), "positions_3d", source);
            String subjectPath = "positions_3d/" + subject;
            Map<?, ?> actions = dict(s.getValue(), subjectPath, source, "a dict action -> array [frames, joints, 3]");
            for (Map.Entry<?, ?> a : actions.entrySet()) {
                String action = key(a.getKey(), subjectPath, source);
                String path = subjectPath + "/" + action;
                NpyArray array = floatArray(a.getValue(), path, source, 3, "[frames, 17 or 32, 3]");
                int joints = array.dim(1);
                if (joints != 17 && joints != 32) {
                    throw new FormatException(source, path + ": expected 17 or 32 joints (array [frames, 17 or 32, 3]), "
                            + "got " + NumpyUnpickler.describe(array));
                }
                if (sourceJoints >= 0 && joints != sourceJoints) {
                    throw new FormatException(source, path + ": has " + joints + " joints but " + firstPath + " has "
                            + sourceJoints + "; every sequence of a file must use the same skeleton");
                }
                sourceJoints = joints;
                firstPath = firstPath == null ? path : firstPath;
                PoseSequence sequence;
                try {
                    sequence = new PoseSequence(joints == 17 ? Skeletons.H36M17 : H36M32, subject, action, fps,
                            array.toFloats());
                } catch (IllegalArgumentException e) {
                    throw new FormatException(source, path + ": " + e.getMessage(), e);
                }
                sequences.add(joints == 32 && reduceTo17 ? sequence.mapped(H36M32_TO_17) : sequence);
            }
        }
        JointSelection selection = sourceJoints == 17 ? JointSelection.ALREADY_17
                : reduceTo17 ? JointSelection.SELECTED_17_OF_32 : JointSelection.KEPT_32;
        return new Poses3D(sequences, Math.max(sourceJoints, 0), selection);
    }

    /**
     * Reads a VideoPose3D-layout 2D file ({@code positions_2d} and {@code metadata}).
     *
     * @throws FormatException naming the file and key path when an entry or metadata key is missing,
     *                         the nesting differs, or an array is not float {@code [frames, num_joints, 2]}
     */
    public static Poses2D read2d(Path file) throws IOException {
        String source = file.toString();
        Map<String, Object> entries = Npz.readAllowingPickles(file);
        Metadata2D metadata = metadata(entries, source);
        Map<?, ?> subjects = dict(entryItem(entries, "positions_2d", source), "positions_2d", source,
                "a dict subject -> action -> list of per-camera arrays [frames, joints, 2]");
        List<Keypoints2D> tracks = new ArrayList<>();
        for (Map.Entry<?, ?> s : subjects.entrySet()) {
            String subject = key(s.getKey(), "positions_2d", source);
            String subjectPath = "positions_2d/" + subject;
            Map<?, ?> actions = dict(s.getValue(), subjectPath, source,
                    "a dict action -> list of per-camera arrays [frames, joints, 2]");
            for (Map.Entry<?, ?> a : actions.entrySet()) {
                String action = key(a.getKey(), subjectPath, source);
                String path = subjectPath + "/" + action;
                List<?> cameras = cameraList(a.getValue(), path, source);
                for (int c = 0; c < cameras.size(); c++) {
                    String cameraPath = path + "/" + c;
                    NpyArray array = floatArray(cameras.get(c), cameraPath, source, 2,
                            "[frames, " + metadata.numJoints() + ", 2]");
                    if (array.dim(1) != metadata.numJoints()) {
                        throw new FormatException(source, cameraPath + ": expected " + metadata.numJoints()
                                + " joints (metadata/num_joints), got " + NumpyUnpickler.describe(array));
                    }
                    tracks.add(new Keypoints2D(subject, action, c, array.dim(0), array.dim(1), array.toFloats()));
                }
            }
        }
        return new Poses2D(metadata, tracks);
    }

    // ---------------------------------------------------------------- helpers

    private static List<JointPair> pairs(int[] left, int[] right) {
        List<JointPair> pairs = new ArrayList<>();
        for (int i = 0; i < left.length; i++) {
            pairs.add(new JointPair(left[i], right[i]));
        }
        return pairs;
    }

    /** The element of a 0-d object entry ({@code np.savez} of a dict). */
    private static Object entryItem(Map<String, Object> entries, String key, String source) throws FormatException {
        if (!entries.containsKey(key)) {
            throw new FormatException(source, "missing entry '" + key + "' (the archive holds " + entries.keySet()
                    + "); expected VideoPose3D's layout");
        }
        Object value = entries.get(key);
        if (!(value instanceof NpyObjectArray array) || array.elements().size() != 1) {
            throw new FormatException(source, key + ": expected a 0-d object array holding a dict (np.savez of a "
                    + "dict), got " + NumpyUnpickler.describe(value));
        }
        return array.item();
    }

    private static Map<?, ?> dict(Object value, String path, String source, String expected) throws FormatException {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new FormatException(source, path + ": expected " + expected + ", got " + NumpyUnpickler.describe(value));
    }

    private static String key(Object key, String path, String source) throws FormatException {
        if (key instanceof String s) {
            return s;
        }
        throw new FormatException(source, path + ": expected string keys (subject or action names), got "
                + NumpyUnpickler.describe(key));
    }

    private static List<?> cameraList(Object value, String path, String source) throws FormatException {
        if (value instanceof List<?> l) {
            return l;
        }
        if (value instanceof NpyObjectArray a && a.rank() == 1) {
            return a.elements();
        }
        throw new FormatException(source, path + ": expected a list of per-camera arrays [frames, joints, 2], got "
                + NumpyUnpickler.describe(value));
    }

    private static NpyArray floatArray(Object value, String path, String source, int dims, String expected)
            throws FormatException {
        if (!(value instanceof NpyArray array) || !array.dtype().isFloatingPoint() || array.rank() != 3
                || array.dim(2) != dims) {
            throw new FormatException(source, path + ": expected a float array " + expected + ", got "
                    + NumpyUnpickler.describe(value));
        }
        return array;
    }

    private static Metadata2D metadata(Map<String, Object> entries, String source) throws FormatException {
        Map<?, ?> m = dict(entryItem(entries, "metadata", source), "metadata", source,
                "a dict with layout_name, num_joints and keypoints_symmetry");
        Object layout = required(m, "layout_name", source);
        if (!(layout instanceof String layoutName)) {
            throw new FormatException(source, "metadata/layout_name: expected a string, got "
                    + NumpyUnpickler.describe(layout));
        }
        int numJoints = integer(required(m, "num_joints", source), "metadata/num_joints", source);
        if (numJoints <= 0) {
            throw new FormatException(source, "metadata/num_joints: expected a positive joint count, got " + numJoints);
        }
        Object symmetry = required(m, "keypoints_symmetry", source);
        List<?> sides = symmetry instanceof List<?> l ? l
                : symmetry instanceof NpyObjectArray a && a.rank() == 1 ? a.elements() : null;
        int[] left;
        int[] right;
        if (sides != null && sides.size() == 2) {
            left = indices(sides.get(0), "metadata/keypoints_symmetry/0", numJoints, source);
            right = indices(sides.get(1), "metadata/keypoints_symmetry/1", numJoints, source);
        } else if (symmetry instanceof NpyArray a && a.rank() == 2 && a.dim(0) == 2 && !a.dtype().isFloatingPoint()) {
            int[] all = a.toInts();
            left = Arrays.copyOfRange(all, 0, a.dim(1));
            right = Arrays.copyOfRange(all, a.dim(1), all.length);
            checkIndices(all, "metadata/keypoints_symmetry", numJoints, source);
        } else {
            throw new FormatException(source, "metadata/keypoints_symmetry: expected [left joints, right joints], got "
                    + NumpyUnpickler.describe(symmetry));
        }
        return new Metadata2D(layoutName, numJoints, left, right);
    }

    private static Object required(Map<?, ?> m, String key, String source) throws FormatException {
        if (!m.containsKey(key)) {
            throw new FormatException(source, "metadata/" + key + ": missing (the metadata has keys " + m.keySet() + ")");
        }
        return m.get(key);
    }

    private static int integer(Object value, String path, String source) throws FormatException {
        long v;
        if (value instanceof Long l) {
            v = l;
        } else if (value instanceof NpyArray a && a.size() == 1 && !a.dtype().isFloatingPoint()
                && a.dtype() != NpyDType.BOOL) {
            v = a.toLongs()[0];
        } else {
            throw new FormatException(source, path + ": expected an integer, got " + NumpyUnpickler.describe(value));
        }
        if (v != (int) v) {
            throw new FormatException(source, path + ": " + v + " does not fit an int");
        }
        return (int) v;
    }

    private static int[] indices(Object value, String path, int numJoints, String source) throws FormatException {
        int[] out;
        if (value instanceof List<?> l) {
            out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = integer(l.get(i), path + "/" + i, source);
            }
        } else if (value instanceof NpyArray a && a.rank() == 1 && !a.dtype().isFloatingPoint()) {
            out = a.toInts();
        } else {
            throw new FormatException(source, path + ": expected a list of joint indices, got "
                    + NumpyUnpickler.describe(value));
        }
        checkIndices(out, path, numJoints, source);
        return out;
    }

    private static void checkIndices(int[] indices, String path, int numJoints, String source) throws FormatException {
        for (int j : indices) {
            if (j < 0 || j >= numJoints) {
                throw new FormatException(source, path + ": joint index " + j + " is outside 0.." + (numJoints - 1));
            }
        }
    }
}
