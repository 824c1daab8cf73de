package io.github.poseshift.data.io;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry point for the pose files users bring: it tells what a file holds ({@link #describe}) and
 * loads its 3D motion on H36M-17 in PoseShift's world frame ({@link #loadH36m17}). Formats: BVH,
 * VideoPose3D-layout {@code .npz} (3D and 2D), PoseShift's own flat {@code poses.npz}, plain {@code .npy}
 * arrays {@code [N, 17, 3]}, MPI-INF-3DHP test-set {@code annot_data.mat} (described only: its poses are
 * camera-frame, read them with {@link MpiInf3dhpTestSet}), and domain spec {@code .json}.
 */
public final class PoseFiles {

    private PoseFiles() {}

    /** One sequence of a file: who, doing what, for how many frames. */
    public record Entry(String subject, String action, int frames) {}

    /**
     * What a file holds.
     *
     * @param format    {@code bvh}, {@code videopose3d-3d}, {@code videopose3d-2d}, {@code poseshift-npz},
     *                  {@code npy}, {@code mpi-inf-3dhp-test} or {@code domain-spec}
     * @param skeleton  joint layout name
     * @param joints    joints per pose
     * @param fps       frames per second, null when the file does not say
     * @param sequences the sequences
     */
    public record Description(String format, String skeleton, int joints, Double fps, List<Entry> sequences) {}

    /** Describes {@code file}; errors name the file and what was expected. */
    public static Description describe(Path file) throws IOException {
        String ext = extension(file);
        switch (ext) {
            case "bvh" -> {
                BvhClip clip = Bvh.read(file);
                BvhJointMaps.Name known = knownBvhSkeleton(clip.skeleton("bvh"));
                return new Description("bvh", known == null ? "bvh" : known.toString(), clip.jointNames().size(), clip.fps(),
                        List.of(new Entry(stem(file), stem(file), clip.numFrames())));
            }
            case "npy" -> {
                NpyArray a = Npy.read(file);
                int[] s = a.shape();
                if (s.length != 3 || s[2] != 3) {
                    throw new FormatException(file.toString(), "expected a pose array [N, J, 3], found "
                            + java.util.Arrays.toString(s));
                }
                return new Description("npy", s[1] == 17 ? "h36m17" : "unknown", s[1], null,
                        List.of(new Entry(stem(file), stem(file), s[0])));
            }
            case "npz" -> {
                return describeNpz(file);
            }
            case "json" -> {
                DomainSpec spec = Domains.load(file.toString());
                List<Entry> entries = new ArrayList<>();
                if (spec.motion().source() == DomainSpec.MotionSource.SYNTH) {
                    for (int s = 1; s <= spec.motion().subjects(); s++) {
                        for (String action : spec.motion().actions().keySet()) {
                            entries.add(new Entry("S" + s, action, spec.motion().framesPerSequence()));
                        }
                    }
                }
                return new Description("domain-spec", "h36m17", 17, spec.motion().fps(), entries);
            }
            case "mat" -> {
                // An MPI-INF-3DHP test sequence, named after its folder (TS1...); frame rate and image size
                // do not change what it holds, and the file does not give its frame rate.
                String subject = file.toAbsolutePath().getParent().getFileName().toString();
                List<Entry> list = MpiInf3dhpTestSet.read(file, subject, 50, 2048, 2048).stream()
                        .map(v -> new Entry(subject, v.poses().action(), v.numFrames())).toList();
                return new Description("mpi-inf-3dhp-test", "h36m17 (from mpi_inf_3dhp17)", 17, null, list);
            }
            default -> throw new FormatException(file.toString(), "unknown file type '." + ext
                    + "'; PoseShift reads .bvh, .npz, .npy and domain .json files");
        }
    }

    private static Description describeNpz(Path file) throws IOException {
        List<String> keys = Npz.entryNames(file);
        if (keys.contains("positions_3d")) {
            VideoPose3DArchive.Poses3D poses = VideoPose3DArchive.read3d(file, VideoPose3DArchive.H36M_FPS, false);
            List<Entry> list = poses.sequences().stream()
                    .map(p -> new Entry(p.subject(), p.action(), p.numFrames())).toList();
            Skeleton skeleton = poses.sequences().isEmpty() ? Skeletons.H36M17 : poses.sequences().get(0).skeleton();
            // The files carry no frame rate; 50 fps is Human3.6M's, other datasets differ.
            return new Description("videopose3d-3d", skeleton.name(), skeleton.numJoints(), null, list);
        }
        if (keys.contains("positions_2d")) {
            VideoPose3DArchive.Poses2D poses = VideoPose3DArchive.read2d(file);
            List<Entry> list = poses.tracks().stream()
                    .map(t -> new Entry(t.subject(), t.action() + "/cam" + t.camera(), t.numFrames())).toList();
            return new Description("videopose3d-2d", poses.metadata().layoutName(), poses.metadata().numJoints(), null,
                    list);
        }
        List<PoseSequence> stored = storedSequences(file, keys);
        List<Entry> list = stored.stream().map(p -> new Entry(p.subject(), p.action(), p.numFrames())).toList();
        Double fps = stored.isEmpty() ? null : stored.get(0).fps();
        return new Description("poseshift-npz", "h36m17", 17, fps, list);
    }

    /**
     * The 3D motion of a file on H36M-17, metres, Z up.
     *
     * @param unit     BVH only: the file's unit (AUTO detects it)
     * @param jointMap BVH only: {@code bandai-namco} or {@code cmu}; null detects it from the joint names
     */
    public static List<PoseSequence> loadH36m17(Path file, BvhUnit unit, String jointMap) throws IOException {
        switch (extension(file)) {
            case "bvh" -> {
                BvhClip clip = Bvh.read(file);
                Skeleton skeleton = clip.skeleton("bvh");
                JointMap map = BvhJointMaps.byName(detectBvhMap(skeleton, file, jointMap), skeleton);
                return List.of(clip.toSequence(unit, "bvh", stem(file), stem(file)).mapped(map));
            }
            case "npy" -> {
                NpyArray a = Npy.read(file);
                int[] s = a.shape();
                if (s.length != 3 || s[1] != 17 || s[2] != 3) {
                    throw new FormatException(file.toString(), "expected [N, 17, 3] metres, found " + java.util.Arrays.toString(s));
                }
                return List.of(new PoseSequence(Skeletons.H36M17, stem(file), stem(file), VideoPose3DArchive.H36M_FPS,
                        a.toFloats()));
            }
            case "npz" -> {
                List<String> keys = Npz.entryNames(file);
                if (keys.contains("positions_3d")) {
                    return VideoPose3DArchive.read3d(file, VideoPose3DArchive.H36M_FPS, true).sequences();
                }
                if (keys.contains("positions_2d")) {
                    throw new FormatException(file.toString(), "holds 2D keypoints only (positions_2d); there is no 3D"
                            + " motion to convert");
                }
                return storedSequences(file, keys);
            }
            default -> throw new FormatException(file.toString(), "cannot load 3D motion from a '." + extension(file)
                    + "' file; use .bvh, .npz or .npy");
        }
    }

    /**
     * PoseShift's own {@code poses.npz} ({@link ViewArchive}): its {@code positions_3d/SUBJECT/SEQUENCE}
     * arrays, with the frame rates of the {@code cameras.json} beside it; sequences are named by their
     * archive key (e.g. {@code walking_0}) so each can be picked.
     */
    private static List<PoseSequence> storedSequences(Path file, List<String> keys) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!java.nio.file.Files.exists(folder.resolve(ViewArchive.CAMERAS_FILE))) {
            throw new FormatException(file.toString(), "no pose arrays in the VideoPose3D layout ('positions_3d' or"
                    + " 'positions_2d'), and no " + ViewArchive.CAMERAS_FILE + " beside it for PoseShift's layout; found "
                    + keys.stream().limit(5).toList());
        }
        // PoseShift's layout is numeric only, so the plain reader (which refuses pickles) decodes it.
        Map<String, NpyArray> entries = Npz.read(file);
        List<PoseSequence> out = new ArrayList<>();
        for (ViewArchive.StoredSequence s : ViewArchive.index(folder)) {
            String key = "positions_3d/" + s.subject() + "/" + s.sequence();
            NpyArray a = entries.get(key);
            if (a == null || a.rank() != 3 || a.dim(1) != 17 || a.dim(2) != 3) {
                throw new FormatException(file.toString(), "missing or malformed array '" + key + "' (expected [frames, 17, 3])");
            }
            out.add(new PoseSequence(Skeletons.H36M17, s.subject(), s.sequence(), s.fps(), a.toFloats()));
        }
        return out;
    }

    /** The BVH joint map to use: the one asked for, else the one whose joint names the skeleton has. */
    static BvhJointMaps.Name detectBvhMap(Skeleton skeleton, Path file, String requested) throws FormatException {
        if (requested != null) {
            return BvhJointMaps.Name.parse(requested);
        }
        BvhJointMaps.Name known = knownBvhSkeleton(skeleton);
        if (known != null) {
            return known;
        }
        throw new FormatException(file.toString(), "unknown BVH skeleton (joints " + skeleton.jointNames()
                + "); give a joint map: " + String.join(", ", BvhJointMaps.NAMES));
    }

    /** The skeleton whose joint names these are, else null. */
    private static BvhJointMaps.Name knownBvhSkeleton(Skeleton skeleton) {
        if (skeleton.hasJoint("UpperLeg_L") && skeleton.hasJoint("Hand_R")) {
            return BvhJointMaps.Name.BANDAI_NAMCO;
        }
        if (skeleton.hasJoint("LeftUpLeg") && skeleton.hasJoint("Neck1")) {
            return BvhJointMaps.Name.CMU;
        }
        return null;
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }
}
