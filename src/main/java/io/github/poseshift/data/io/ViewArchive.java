package io.github.poseshift.data.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Rotation;
import io.github.poseshift.skeleton.Skeleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder holding posed sequences and their camera views in files anyone can open: {@code poses.npz}
 * (flat keys, readable by {@code numpy.load} without pickle) and {@code cameras.json}.
 * <pre>
 * poses.npz     positions_3d/SUBJECT/SEQUENCE        float32 [frames, J, 3]  world metres, Z up
 *               positions_2d/SUBJECT/SEQUENCE/camK   float32 [frames, J, 2]  pixels
 *               confidence/SUBJECT/SEQUENCE/camK     float32 [frames, J]
 * cameras.json  {"skeleton": ..., "sequences": [{"subject", "sequence", "action", "fps", "views":
 *               [{"camera": K, "intrinsics": {...}, "extrinsics": [{"rotation": [9], "translation": [3]}, ...]}]}]}
 * </pre>
 * A static camera has one extrinsics entry, a moving one one per frame. Reading gives back the same
 * values bit for bit (float32 arrays as stored, doubles through their shortest exact decimal form).
 */
public final class ViewArchive {

    /** The arrays file inside the folder. */
    public static final String POSES_FILE = "poses.npz";
    /** The cameras file inside the folder. */
    public static final String CAMERAS_FILE = "cameras.json";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private ViewArchive() {}

    // JSON shapes of cameras.json.
    private record ExtrinsicsJson(double[] rotation, double[] translation) {}

    private record ViewJson(int camera, Camera.Intrinsics intrinsics, List<ExtrinsicsJson> extrinsics) {}

    private record SequenceJson(String subject, String sequence, String action, double fps, List<ViewJson> views) {}

    private record CamerasJson(String skeleton, List<SequenceJson> sequences) {}

    /**
     * Writes {@code views} (grouped by their pose sequence, in order) into {@code folder}, naming each
     * sequence {@code ACTION_N} within its subject.
     *
     * @throws IOException when the folder already holds an archive: nothing is overwritten
     */
    public static void write(Path folder, List<ViewSequence> views) throws IOException {
        Path poses = folder.resolve(POSES_FILE);
        Path cameras = folder.resolve(CAMERAS_FILE);
        if (Files.exists(poses) || Files.exists(cameras)) {
            throw new FormatException(folder.toString(), "already holds " + POSES_FILE + " or " + CAMERAS_FILE
                    + "; choose an empty folder (nothing was overwritten)");
        }
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no views to write");
        }
        Files.createDirectories(folder);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        List<SequenceJson> sequences = new ArrayList<>();
        Map<PoseSequence, SequenceJson> written = new LinkedHashMap<>();
        Map<String, Integer> counters = new LinkedHashMap<>();
        Skeleton skeleton = views.get(0).poses().skeleton();
        int joints = skeleton.numJoints();
        for (ViewSequence v : views) {
            PoseSequence seq = v.poses();
            SequenceJson entry = written.get(seq);
            if (entry == null) {
                int n = counters.merge(seq.subject() + "/" + seq.action(), 1, Integer::sum) - 1;
                entry = new SequenceJson(seq.subject(), seq.action() + "_" + n, seq.action(), seq.fps(), new ArrayList<>());
                written.put(seq, entry);
                sequences.add(entry);
                arrays.put("positions_3d/" + seq.subject() + "/" + entry.sequence(),
                        NpyArray.ofFloats(seq.positions(), seq.numFrames(), joints, 3));
            }
            String key = seq.subject() + "/" + entry.sequence() + "/cam" + v.cameraIndex();
            arrays.put("positions_2d/" + key, NpyArray.ofFloats(v.keypoints(), v.numFrames(), joints, 2));
            arrays.put("confidence/" + key, NpyArray.ofFloats(v.confidence(), v.numFrames(), joints));
            List<ExtrinsicsJson> extrinsics = new ArrayList<>();
            for (Camera c : v.cameras()) {
                Camera.Extrinsics e = c.extrinsics();
                extrinsics.add(new ExtrinsicsJson(e.worldToCamera().toMatrix(), new double[] {e.tx(), e.ty(), e.tz()}));
            }
            entry.views().add(new ViewJson(v.cameraIndex(), v.cameras().get(0).intrinsics(), extrinsics));
        }
        Npz.write(poses, arrays, true);
        AtomicFiles.writeString(cameras, GSON.toJson(new CamerasJson(skeleton.name(), sequences)));
    }

    /** One stored sequence: its key within the archive, its action label and frame rate. */
    public record StoredSequence(String subject, String sequence, String action, double fps) {}

    /** The sequences listed in a folder's {@code cameras.json}, without loading any array. */
    public static List<StoredSequence> index(Path folder) throws IOException {
        Path camerasFile = folder.resolve(CAMERAS_FILE);
        CamerasJson json = readIndex(camerasFile);
        return json.sequences().stream().map(s -> new StoredSequence(s.subject(), s.sequence(), s.action(), s.fps()))
                .toList();
    }

    private static CamerasJson readIndex(Path camerasFile) throws IOException {
        try {
            CamerasJson index = GSON.fromJson(Files.readString(camerasFile, StandardCharsets.UTF_8), CamerasJson.class);
            if (index == null || index.sequences() == null) {
                throw new FormatException(camerasFile.toString(), "expected an object with 'skeleton' and 'sequences'");
            }
            return index;
        } catch (JsonParseException e) {
            throw new FormatException(camerasFile.toString(), "not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an archive written by {@link #write}.
     *
     * @param skeleton the joint layout of the stored poses (checked against the file)
     */
    public static List<ViewSequence> read(Path folder, Skeleton skeleton) throws IOException {
        Path posesFile = folder.resolve(POSES_FILE);
        Path camerasFile = folder.resolve(CAMERAS_FILE);
        Map<String, NpyArray> arrays = Npz.read(posesFile);
        CamerasJson index = readIndex(camerasFile);
        if (!skeleton.name().equals(index.skeleton())) {
            throw new FormatException(camerasFile.toString(), "expected sequences on skeleton '" + skeleton.name()
                    + "', found '" + index.skeleton() + "'");
        }
        List<ViewSequence> out = new ArrayList<>();
        for (SequenceJson s : index.sequences()) {
            String key3d = "positions_3d/" + s.subject() + "/" + s.sequence();
            NpyArray positions = require(arrays, key3d, posesFile, 3, skeleton.numJoints());
            PoseSequence seq = new PoseSequence(skeleton, s.subject(), s.action(), s.fps(), positions.toFloats());
            for (ViewJson v : s.views()) {
                String key = s.subject() + "/" + s.sequence() + "/cam" + v.camera();
                NpyArray kp = require(arrays, "positions_2d/" + key, posesFile, 2, skeleton.numJoints());
                NpyArray conf = require(arrays, "confidence/" + key, posesFile, 0, skeleton.numJoints());
                List<Camera> cameras = new ArrayList<>();
                for (ExtrinsicsJson e : v.extrinsics()) {
                    cameras.add(new Camera(v.intrinsics(), new Camera.Extrinsics(Rotation.fromMatrix(e.rotation()),
                            e.translation()[0], e.translation()[1], e.translation()[2])));
                }
                out.add(new ViewSequence(seq, v.camera(), cameras, kp.toFloats(), conf.toFloats()));
            }
        }
        return out;
    }

    /** The array at {@code key} with shape [frames, joints, dims] ([frames, joints] when dims is 0). */
    private static NpyArray require(Map<String, NpyArray> arrays, String key, Path file, int dims, int joints)
            throws FormatException {
        NpyArray a = arrays.get(key);
        if (a == null) {
            throw new FormatException(file.toString(), "missing array '" + key + "' that " + CAMERAS_FILE + " lists");
        }
        int[] shape = a.shape();
        boolean ok = dims == 0 ? shape.length == 2 && shape[1] == joints
                : shape.length == 3 && shape[1] == joints && shape[2] == dims;
        if (!ok) {
            throw new FormatException(file + "[" + key + "]", "expected shape [frames, " + joints
                    + (dims == 0 ? "" : ", " + dims) + "], found " + java.util.Arrays.toString(shape));
        }
        return a;
    }
}
