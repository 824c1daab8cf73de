package io.github.poseshift.method.poseda;

import io.github.poseshift.geometry.Camera;
import java.util.List;

/** PoseDA's work on windows as plain arrays: cameras, root tracks, centre frames, projection, local 2D poses. */
final class WindowArrays {

    private WindowArrays() {}

    /** Each camera's normalised pinhole, {@code [n][4]}. */
    static float[] pinholes(Camera.Intrinsics[] cameras) {
        float[] out = new float[cameras.length * 4];
        for (int i = 0; i < cameras.length; i++) {
            double[] k = cameras[i].normalisedPinhole();
            for (int c = 0; c < 4; c++) {
                out[i * 4 + c] = (float) k[c];
            }
        }
        return out;
    }

    /** The root joint's track {@code [n][F][3]} of camera-frame windows {@code [n][F][J][3]}. */
    static float[] rootsOf(float[] camera, int n, int frames, int joints, int root) {
        float[] out = new float[n * frames * 3];
        for (int i = 0; i < n * frames; i++) {
            System.arraycopy(camera, (i * joints + root) * 3, out, i * 3, 3);
        }
        return out;
    }

    /** The centre frames {@code [n][J][width]} of windows {@code [n][F][J][width]} (3D: width 3, 2D: width 2). */
    static float[] centreFrames(float[] windows, int n, int frames, int joints, int width) {
        float[] out = new float[n * joints * width];
        for (int b = 0; b < n; b++) {
            System.arraycopy(windows, (b * frames + frames / 2) * joints * width, out, b * joints * width, joints * width);
        }
        return out;
    }

    /** Root-relative windows placed at camera-frame root tracks and projected with each sample's camera. */
    static float[] projectAt(float[] windows, float[] roots, Camera.Intrinsics[] cameras, int n, int frames, int joints) {
        float[] camera = new float[windows.length];
        for (int p = 0; p < n * frames * joints; p++) {
            int r = p / joints * 3;
            for (int c = 0; c < 3; c++) {
                camera[p * 3 + c] = windows[p * 3 + c] + roots[r + c];
            }
        }
        return GlobalPositionAlignment.project(camera, cameras, joints);
    }

    /** Each 2D pose's box scale, {@code [n]}. */
    static float[] scales(float[] poses, int n, int joints) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.max(1e-6, GlobalPositionAlignment.boxScale(poses, i * joints * 2, joints));
        }
        return out;
    }

    /** Local 2D poses {@code [n][J][2]}: the root at the origin, divided by the box scale (the anchor discriminator's view). */
    static float[] local(float[] poses, int n, int joints, int root) {
        float[] out = new float[n * joints * 2];
        for (int i = 0; i < n; i++) {
            double s = Math.max(1e-6, GlobalPositionAlignment.boxScale(poses, i * joints * 2, joints));
            float rx = poses[(i * joints + root) * 2];
            float ry = poses[(i * joints + root) * 2 + 1];
            for (int j = 0; j < joints; j++) {
                out[(i * joints + j) * 2] = (float) ((poses[(i * joints + j) * 2] - rx) / s);
                out[(i * joints + j) * 2 + 1] = (float) ((poses[(i * joints + j) * 2 + 1] - ry) / s);
            }
        }
        return out;
    }

    static float[] concat(List<float[]> parts) {
        int length = 0;
        for (float[] p : parts) {
            length += p.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
