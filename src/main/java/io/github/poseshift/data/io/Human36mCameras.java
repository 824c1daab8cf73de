package io.github.poseshift.data.io;

import com.google.gson.Gson;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Quaternion;
import io.github.poseshift.geometry.Rotation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The public Human3.6M camera calibration (Ionescu et al., TPAMI 2014; the values VideoPose3D ships in
 * {@code common/h36m_dataset.py}): four cameras' intrinsics with radial and tangential distortion, and
 * per subject their poses. VideoPose3D stores a pose as the camera-to-world rotation (a quaternion) and
 * the camera centre in millimetres; here they become {@link Camera}s in metres, Z up, so a 3D pose from
 * {@link VideoPose3DArchive} projects exactly as VideoPose3D projects it.
 */
public final class Human36mCameras {

    private static final String RESOURCE = "/io/github/poseshift/datasets/h36m-cameras.json";

    private record IntrinsicsJson(String id, double fx, double fy, double cx, double cy, double k1, double k2, double k3,
            double p1, double p2, int width, int height) {}

    private record PoseJson(double[] orientation, double[] translationMm) {}

    private record CalibrationJson(List<IntrinsicsJson> intrinsics, Map<String, List<PoseJson>> extrinsics) {}

    private static final CalibrationJson CALIBRATION = load();

    private Human36mCameras() {}

    private static CalibrationJson load() {
        try (InputStream in = Human36mCameras.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            return new Gson().fromJson(new InputStreamReader(in, StandardCharsets.UTF_8), CalibrationJson.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Subjects with a published calibration: S1, S5, S6, S7, S8, S9, S11. */
    public static List<String> subjects() {
        return List.copyOf(CALIBRATION.extrinsics().keySet());
    }

    /** The four camera identifiers, in VideoPose3D's camera order. */
    public static List<String> cameraIds() {
        return CALIBRATION.intrinsics().stream().map(IntrinsicsJson::id).toList();
    }

    /**
     * Camera {@code index} (0-3) of {@code subject}'s sessions.
     *
     * @throws IllegalArgumentException for a subject without calibration or an index outside 0-3
     */
    public static Camera camera(String subject, int index) {
        List<PoseJson> poses = CALIBRATION.extrinsics().get(subject);
        if (poses == null) {
            throw new IllegalArgumentException("no Human3.6M calibration for subject '" + subject + "'; known: " + subjects());
        }
        if (index < 0 || index >= poses.size()) {
            throw new IllegalArgumentException("Human3.6M has cameras 0-3, not " + index);
        }
        IntrinsicsJson k = CALIBRATION.intrinsics().get(index);
        PoseJson pose = poses.get(index);
        double[] q = pose.orientation();
        // The quaternion rotates camera coordinates into the world; world-to-camera is its inverse.
        Rotation worldToCamera = Rotation.fromQuaternion(new Quaternion(q[0], q[1], q[2], q[3])).inverse();
        double[] centre = {pose.translationMm()[0] / 1000, pose.translationMm()[1] / 1000, pose.translationMm()[2] / 1000};
        return new Camera(new Camera.Intrinsics(k.fx(), k.fy(), k.cx(), k.cy(), k.width(), k.height(), k.k1(), k.k2(),
                k.k3(), k.p1(), k.p2()), Camera.Extrinsics.fromCenter(worldToCamera, centre));
    }
}
