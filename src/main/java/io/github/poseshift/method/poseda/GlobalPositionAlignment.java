package io.github.poseshift.method.poseda;

import io.github.poseshift.geometry.Camera;

/**
 * PoseDA's global position alignment, GPA (Chai, Jiang, Hwang, Wang; ICCV 2023, sec. 3.2): a source 3D pose
 * keeps its exact 3D label but is moved, within its camera's view, to where and how large a target domain's
 * person appears. For each source window a target 2D pose is drawn; its box scale s = (w + h)/2 and its root
 * pixel (u, v) say where the source root must go: at depth z = (fx·Δx + fy·Δy)/(2s), with Δx, Δy the source
 * pose's metric extents in the camera's x and y, on the ray through (u, v). Only a translation is applied, so
 * the root-relative pose in camera coordinates — the lifter's label — is unchanged, and projecting with the
 * target's camera gives 2D poses with the target's distribution of positions and scales.
 *
 * <p>Windows: the centre frame is placed; every frame keeps its root's offset from the centre frame's root, so
 * the source motion comes along. Projection is the pinhole without lens distortion, as in the authors' code.
 *
 * <p>The paper's depth is a closed form: the projected box matches s only up to perspective (joints nearer the
 * camera look larger). {@link Config#exact()} refines z by a few fixed-point steps z ← z·s(z)/s until the
 * projected box scale equals s (to 1e-7 relative); {@link Config#closedForm()} is the authors' release. Either
 * way the root lands exactly on the target's root pixel.
 */
public final class GlobalPositionAlignment {

    /**
     * @param refinements   fixed-point steps on z after the closed form (0: the authors' closed form)
     * @param minJointDepth no joint of an aligned window comes nearer the camera than this, metres (a target pose
     *                      seen very large would otherwise put joints behind the camera); such windows are counted
     */
    public record Config(int refinements, double minJointDepth) {
        /** Validates the values. */
        public Config {
            if (refinements < 0) {
                throw new IllegalArgumentException("refinements must be ≥ 0, got " + refinements);
            }
            if (!(minJointDepth > 0)) {
                throw new IllegalArgumentException("minJointDepth must be positive, got " + minJointDepth);
            }
        }

        /** The paper's closed-form depth (the authors' released {@code gpa}). */
        public static Config closedForm() {
            return new Config(0, 0.1);
        }

        /** The closed form refined until the projected box scale equals the target's (PoseShift's default). */
        public static Config exact() {
            return new Config(50, 0.1);
        }
    }

    /**
     * Aligned windows.
     *
     * @param camera  camera-frame 3D {@code [n][F][J][3]}, metres
     * @param inputs  their normalised 2D projections with the target cameras {@code [n][F][J][2]}, the lifter's input
     * @param clamped how many windows {@link Config#minJointDepth} held back from the camera (their scale is then
     *                smaller than the target's)
     */
    public record Aligned(float[] camera, float[] inputs, int clamped) {}

    private final Config config;

    /** GPA with {@code config}. */
    public GlobalPositionAlignment(Config config) {
        this.config = config;
    }

    /** The settings. */
    public Config config() {
        return config;
    }

    /**
     * Aligns {@code n} source windows to {@code n} target poses.
     *
     * @param windows  root-relative camera-frame 3D {@code [n][F][J][3]} (PoseDataset#targetWindows)
     * @param roots    the root's camera-frame position at every frame {@code [n][F][3]} (PoseDataset#rootTrajectories);
     *                 only its offsets from the centre frame are used
     * @param target2d the target poses, normalised 2D {@code [n][J][2]} (centre frames of target windows)
     * @param cameras  each target pose's camera
     * @param root     the root joint's index
     * @throws IllegalArgumentException on mismatched lengths, or a target pose whose box has no size
     */
    public Aligned align(float[] windows, float[] roots, float[] target2d, Camera.Intrinsics[] cameras, int joints,
            int root) {
        int n = cameras.length;
        if (n == 0 || windows.length % (n * joints * 3) != 0 || target2d.length != n * joints * 2) {
            throw new IllegalArgumentException("GPA needs n windows [n][F][" + joints + "][3], n target poses [n]["
                    + joints + "][2] and n cameras; got " + windows.length + ", " + target2d.length + " and " + n);
        }
        int frames = windows.length / (n * joints * 3);
        if (roots.length != n * frames * 3) {
            throw new IllegalArgumentException("root trajectories of length " + roots.length + ", expected " + n * frames * 3);
        }
        int centre = frames / 2;
        float[] camera = new float[windows.length];
        int clamped = 0;
        for (int b = 0; b < n; b++) {
            double[] k = cameras[b].normalisedPinhole();
            double s = boxScale(target2d, b * joints * 2, joints);
            if (!(s > 0)) {
                throw new IllegalArgumentException("target pose " + b + " has a 2D box of size " + s
                        + " (every keypoint at one point); GPA cannot take its scale");
            }
            // The ray through the target's root pixel: x/z and y/z of every point on it.
            double rayX = (target2d[b * joints * 2 + root * 2] - k[2]) / k[0];
            double rayY = (target2d[b * joints * 2 + root * 2 + 1] - k[3]) / k[1];
            int centreBase = (b * frames + centre) * joints * 3;
            double[] extent = extents(windows, centreBase, joints);
            // The paper's depth (sec. 3.2): the box of the pose at depth z is about (fx·Δx/z, fy·Δy/z).
            double z = (k[0] * extent[0] + k[1] * extent[1]) / (2 * s);
            // Offsets of every frame's root from the centre frame's, and the nearest any joint gets relative to the
            // centre root's depth: the smallest z that keeps every joint minJointDepth in front of the camera.
            double nearest = Double.POSITIVE_INFINITY;
            for (int f = 0; f < frames; f++) {
                double dz = roots[(b * frames + f) * 3 + 2] - roots[(b * frames + centre) * 3 + 2];
                for (int j = 0; j < joints; j++) {
                    nearest = Math.min(nearest, windows[((b * frames + f) * joints + j) * 3 + 2] + dz);
                }
            }
            double zMin = config.minJointDepth() - nearest;
            for (int r = 0; r < config.refinements() && z > zMin; r++) {
                double projected = projectedScale(windows, centreBase, joints, rayX * z, rayY * z, z, k);
                double ratio = projected / s;
                if (Math.abs(ratio - 1) < 1e-7) {
                    break;
                }
                z *= ratio;
            }
            if (z < zMin) {
                z = zMin;
                clamped++;
            }
            double[] placed = {rayX * z, rayY * z, z};
            for (int f = 0; f < frames; f++) {
                for (int c = 0; c < 3; c++) {
                    double offset = roots[(b * frames + f) * 3 + c] - roots[(b * frames + centre) * 3 + c] + placed[c];
                    for (int j = 0; j < joints; j++) {
                        int i = ((b * frames + f) * joints + j) * 3 + c;
                        camera[i] = (float) (windows[i] + offset);
                    }
                }
            }
        }
        return new Aligned(camera, project(camera, cameras, joints), clamped);
    }

    /**
     * Camera-frame windows {@code [n][F][J][3]} projected with each window's camera (pinhole, no distortion) to
     * normalised 2D {@code [n][F][J][2]}, the lifter's input.
     */
    public static float[] project(float[] camera, Camera.Intrinsics[] cameras, int joints) {
        int n = cameras.length;
        int points = camera.length / 3;
        int perWindow = points / n;
        float[] out = new float[points * 2];
        for (int b = 0; b < n; b++) {
            double[] k = cameras[b].normalisedPinhole();
            for (int p = b * perWindow; p < (b + 1) * perWindow; p++) {
                out[p * 2] = (float) (k[0] * camera[p * 3] / camera[p * 3 + 2] + k[2]);
                out[p * 2 + 1] = (float) (k[1] * camera[p * 3 + 1] / camera[p * 3 + 2] + k[3]);
            }
        }
        return out;
    }

    /** The box scale (w + h)/2 of the 2D pose at {@code offset} of {@code poses} ({@code [J][2]}), in its units. */
    public static double boxScale(float[] poses, int offset, int joints) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < joints; j++) {
            double x = poses[offset + j * 2];
            double y = poses[offset + j * 2 + 1];
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        return ((maxX - minX) + (maxY - minY)) / 2;
    }

    /** Δx and Δy of the 3D pose at {@code offset} ({@code [J][3]}). */
    private static double[] extents(float[] poses, int offset, int joints) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < joints; j++) {
            minX = Math.min(minX, poses[offset + j * 3]);
            maxX = Math.max(maxX, poses[offset + j * 3]);
            minY = Math.min(minY, poses[offset + j * 3 + 1]);
            maxY = Math.max(maxY, poses[offset + j * 3 + 1]);
        }
        return new double[] {maxX - minX, maxY - minY};
    }

    /** The box scale of the root-relative pose at {@code offset} placed with its root at (x, y, z) and projected. */
    private static double projectedScale(float[] poses, int offset, int joints, double x, double y, double z, double[] k) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < joints; j++) {
            double pz = poses[offset + j * 3 + 2] + z;
            double u = k[0] * (poses[offset + j * 3] + x) / pz;
            double v = k[1] * (poses[offset + j * 3 + 1] + y) / pz;
            minX = Math.min(minX, u);
            maxX = Math.max(maxX, u);
            minY = Math.min(minY, v);
            maxY = Math.max(maxY, v);
        }
        return ((maxX - minX) + (maxY - minY)) / 2;
    }
}
