package io.github.poseshift.data.io;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Rotation;
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeletons;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MPI-INF-3DHP test set (Mehta et al., 3DV 2017): one {@code annot_data.mat} per test sequence
 * (TS1-TS6), a MATLAB v7.3 file, i.e. HDF5, read with the pure-Java jHDF. It holds per frame the 17
 * joints in 3DHP test order as camera-frame 3D in millimetres ({@code univ_annot3}, the universal-scale
 * skeleton papers evaluate on, else {@code annot3}), their 2D projections in pixels ({@code annot2}),
 * whether the frame is annotated ({@code valid_frame}) and its activity ({@code activity_annotation},
 * 1-7).
 *
 * <p>Frames are mapped onto H36M-17 and cut into runs of consecutive valid frames of one activity, each
 * a {@link ViewSequence} labelled with the activity name. The file gives no camera pose, so the camera
 * stands at the world origin looking along +Y, level, which makes the world Z up as everywhere in
 * PoseShift (camera x → world x, camera z → world y, camera −y → world z). The intrinsics are fitted
 * by least squares to the file's own 2D/3D correspondences, which are exact projections.
 */
public final class MpiInf3dhpTestSet {

    /** The activity names of {@code activity_annotation} 1-7, as the papers' per-action tables name them. */
    public static final List<String> ACTIVITIES = List.of("Standing/Walking", "Exercising", "Sitting",
            "Reaching/Crouching", "On the floor", "Sports", "Miscellaneous");

    private static final int JOINTS = 17;

    /** Camera axes (x right, y down, z forward) in the world: x → x, z → y, −y → z. */
    private static final Rotation CAMERA_TO_WORLD = Rotation.fromMatrix(new double[] {1, 0, 0, 0, 0, 1, 0, -1, 0});

    private MpiInf3dhpTestSet() {}

    /**
     * Reads one test sequence.
     *
     * @param file        {@code annot_data.mat}
     * @param subject     the sequence's name, e.g. {@code TS1}
     * @param fps         its frame rate (the file does not say)
     * @param imageWidth  image width in pixels (2048 for TS1-TS4, 1920 for TS5-TS6)
     * @param imageHeight image height in pixels (2048 for TS1-TS4, 1080 for TS5-TS6)
     */
    public static List<ViewSequence> read(Path file, String subject, double fps, int imageWidth, int imageHeight)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        float[] annot3;
        float[] annot2;
        float[] valid;
        float[] activity;
        try (HdfFile hdf = new HdfFile(file)) {
            String name3d = hdf.getChildren().containsKey("univ_annot3") ? "univ_annot3" : "annot3";
            annot3 = poses(hdf, file, name3d, 3);
            int frames = annot3.length / (JOINTS * 3);
            annot2 = poses(hdf, file, "annot2", 2);
            if (annot2.length / (JOINTS * 2) != frames) {
                throw new FormatException(file.toString(), "annot2 has " + annot2.length / (JOINTS * 2) + " frames but "
                        + name3d + " has " + frames);
            }
            valid = perFrame(hdf, file, "valid_frame", frames);
            activity = perFrame(hdf, file, "activity_annotation", frames);
        } catch (HdfException e) {
            throw new FormatException(file.toString(), "not a readable MATLAB v7.3 (HDF5) file: " + e.getMessage()
                    + " (older .mat versions: re-save in MATLAB with -v7.3)", e);
        }
        JointMap map = JointMap.mpiInf3dhpToH36m();
        float[] camera3d = map.apply(annot3, 3);
        float[] pixels = map.apply(annot2, 2);
        for (int i = 0; i < camera3d.length; i++) {
            camera3d[i] /= 1000f;
        }
        Camera camera = new Camera(fitIntrinsics(camera3d, pixels, valid, imageWidth, imageHeight, file),
                Camera.Extrinsics.fromCenter(CAMERA_TO_WORLD.inverse(), new double[3]));
        return runs(subject, fps, camera, camera3d, pixels, valid, activity, file);
    }

    private static List<ViewSequence> runs(String subject, double fps, Camera camera, float[] camera3d, float[] pixels,
            float[] valid, float[] activity, Path file) throws FormatException {
        int frames = valid.length;
        List<ViewSequence> out = new ArrayList<>();
        int start = -1;
        for (int f = 0; f <= frames; f++) {
            boolean continues = f < frames && valid[f] != 0 && start >= 0 && activity[f] == activity[start];
            if (start >= 0 && !continues) {
                out.add(view(subject, fps, camera, camera3d, pixels, start, f, activityName(activity[start], file, start)));
                start = -1;
            }
            if (start < 0 && f < frames && valid[f] != 0) {
                start = f;
            }
        }
        if (out.isEmpty()) {
            throw new FormatException(file.toString(), "valid_frame marks no frame as annotated");
        }
        return out;
    }

    private static ViewSequence view(String subject, double fps, Camera camera, float[] camera3d, float[] pixels, int from,
            int to, String action) {
        float[] world = new float[(to - from) * JOINTS * 3];
        double[] r = CAMERA_TO_WORLD.toMatrix();
        for (int i = 0; i < world.length; i += 3) {
            int src = from * JOINTS * 3 + i;
            for (int a = 0; a < 3; a++) {
                world[i + a] = (float) (r[3 * a] * camera3d[src] + r[3 * a + 1] * camera3d[src + 1]
                        + r[3 * a + 2] * camera3d[src + 2]);
            }
        }
        float[] keypoints = Arrays.copyOfRange(pixels, from * JOINTS * 2, to * JOINTS * 2);
        float[] confidence = new float[(to - from) * JOINTS];
        Arrays.fill(confidence, 1f);
        PoseSequence poses = new PoseSequence(Skeletons.H36M17, subject, action, fps, world);
        return new ViewSequence(poses, 0, List.of(camera), keypoints, confidence);
    }

    private static String activityName(float code, Path file, int frame) throws FormatException {
        int k = Math.round(code);
        if (k < 1 || k > ACTIVITIES.size() || k != code) {
            throw new FormatException(file.toString(), "activity_annotation of frame " + frame + " is " + code
                    + "; expected 1-" + ACTIVITIES.size());
        }
        return ACTIVITIES.get(k - 1);
    }

    /**
     * Least-squares pinhole intrinsics from exact projections: u = fx·X/Z + cx and v = fy·Y/Z + cy are
     * each a line through the points (X/Z, u) and (Y/Z, v).
     */
    static Camera.Intrinsics fitIntrinsics(float[] camera3d, float[] pixels, float[] valid, int width, int height,
            Path file) throws FormatException {
        double[] x = fitLine(camera3d, pixels, valid, 0);
        double[] y = fitLine(camera3d, pixels, valid, 1);
        if (!(x[0] > 0 && y[0] > 0)) {
            throw new FormatException(file.toString(), "annot2 is not a perspective projection of the 3D annotation"
                    + " (fitted focal lengths " + x[0] + ", " + y[0] + ")");
        }
        return Camera.Intrinsics.pinhole(x[0], y[0], x[1], y[1], width, height);
    }

    private static double[] fitLine(float[] camera3d, float[] pixels, float[] valid, int axis) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int f = 0; f < valid.length; f++) {
            if (valid[f] == 0) {
                continue;
            }
            for (int j = 0; j < JOINTS; j++) {
                double z = camera3d[(f * JOINTS + j) * 3 + 2];
                if (z <= 0) {
                    continue;
                }
                double t = camera3d[(f * JOINTS + j) * 3 + axis] / z;
                double p = pixels[(f * JOINTS + j) * 2 + axis];
                n++;
                sx += t;
                sy += p;
                sxx += t * t;
                sxy += t * p;
            }
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {slope, (sy - slope * sx) / n};
    }

    /** A pose array whose dimensions, ignoring 1s, are [N, 17, dims]. */
    private static float[] poses(HdfFile hdf, Path file, String name, int dims) throws FormatException {
        Dataset d = dataset(hdf, file, name);
        int[] shape = Arrays.stream(d.getDimensions()).filter(k -> k != 1).toArray();
        if (shape.length != 3 || shape[1] != JOINTS || shape[2] != dims) {
            throw new FormatException(file.toString(), name + " has dimensions " + Arrays.toString(d.getDimensions())
                    + "; expected [frames, 1, 17, " + dims + "]");
        }
        return floats(d.getDataFlat(), file, name);
    }

    /** A per-frame vector of {@code frames} values (any of [N], [N, 1], [1, N]). */
    private static float[] perFrame(HdfFile hdf, Path file, String name, int frames) throws FormatException {
        Dataset d = dataset(hdf, file, name);
        float[] values = floats(d.getDataFlat(), file, name);
        if (values.length != frames) {
            throw new FormatException(file.toString(), name + " has " + values.length + " values for " + frames + " frames");
        }
        return values;
    }

    private static Dataset dataset(HdfFile hdf, Path file, String name) throws FormatException {
        if (!hdf.getChildren().containsKey(name)) {
            throw new FormatException(file.toString(), "no dataset '" + name + "'; it holds " + hdf.getChildren().keySet());
        }
        return hdf.getDatasetByPath(name);
    }

    private static float[] floats(Object flat, Path file, String name) throws FormatException {
        if (flat == null || !flat.getClass().isArray() || !flat.getClass().getComponentType().isPrimitive()
                || flat instanceof char[]) {
            throw new FormatException(file.toString(), name + " is not a numeric array");
        }
        int n = Array.getLength(flat);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            Object element = Array.get(flat, i);
            double v = element instanceof Boolean b ? (b ? 1 : 0) : ((Number) element).doubleValue();
            if (!Double.isFinite(v)) {
                throw new FormatException(file.toString(), name + " has a non-finite value at element " + i);
            }
            out[i] = (float) v;
        }
        return out;
    }
}
