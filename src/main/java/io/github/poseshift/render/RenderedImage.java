package io.github.poseshift.render;

import io.github.poseshift.geometry.Camera;

/**
 * One rendered image and its labels, all {@code size × size} pixels, row-major with row 0 at the top. Pixel
 * (column x, row y) covers [x, x+1) × [y, y+1) of the camera's pixel coordinates, so its centre is
 * (x + 0.5, y + 0.5): the convention of {@link Camera#normalizeScreen}, which maps [0, w] to [−1, 1].
 *
 * @param size       width and height in pixels
 * @param rgb        8-bit colour, interleaved {@code [y][x][3]} (R, G, B): the layout of a PNG;
 *                   {@link #rgbChw()} gives the {@code [3][y][x]} floats a network takes
 * @param mask       {@code [y][x]} 1 where the subject's body is the nearest surface, 0 elsewhere (background
 *                   and occluders)
 * @param parts      {@code [y][x]} body part label, {@link BodyModel#PART_NAMES} (0 background); 0 under occluders
 * @param depth      {@code [y][x]} camera-frame z of the visible body surface in metres; 0 where mask is 0
 * @param heatmaps   {@code [17][y][x]} a Gaussian of the render's sigma around each projected joint, 1 at the
 *                   joint, 0 outside the square of ±3 sigma around it; drawn for every joint, visible or not
 * @param joints2d   {@code [17][2]} the joints projected by {@code camera} (lens distortion included), pixels
 * @param visibility {@code [17]} whether the joint projects into the image, lies in front of the camera, is
 *                   not hidden behind another body part (nothing lies on the ray to it before the capsules
 *                   that contain it) and not covered by an occluder (and, for a camera with
 *                   lens distortion, lies within the model's |x/z|, |y/z| ≤ 1, beyond which the projection
 *                   clamps)
 * @param pose3d     {@code [17][3]} the joints in camera coordinates, metres (x right, y down, z forward)
 * @param camera     the camera at the render size: these intrinsics project {@code pose3d} onto
 *                   {@code joints2d}; its extrinsics place the world (floor at z = 0)
 */
public record RenderedImage(int size, byte[] rgb, byte[] mask, byte[] parts, float[] depth, float[] heatmaps,
        float[] joints2d, boolean[] visibility, float[] pose3d, Camera camera) {

    /** The colour as floats in [0, 1], channel-first {@code [3][y][x]}. */
    public float[] rgbChw() {
        int n = size * size;
        float[] out = new float[3 * n];
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                out[c * n + p] = (rgb[3 * p + c] & 0xFF) / 255f;
            }
        }
        return out;
    }
}
