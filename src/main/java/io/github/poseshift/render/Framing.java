package io.github.poseshift.render;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.geometry.Camera;

/**
 * Which part of a dataset camera's image a square render shows: render pixel = scale · (dataset pixel − (x0,
 * y0)). The render camera is the dataset camera with its focal lengths scaled and its principal point moved
 * the same way, lens distortion unchanged (it acts before the focal scaling), so a joint lands in the render
 * exactly where the dataset's projection puts it, mapped by this affine.
 *
 * @param scale render pixels per dataset pixel
 * @param x0    dataset pixel column at the render's left edge
 * @param y0    dataset pixel row at the render's top edge
 * @param size  render width and height
 */
public record Framing(double scale, double x0, double y0, int size) {

    /** Rejects a non-positive or non-finite scale and size. */
    public Framing {
        if (!(scale > 0) || Double.isInfinite(scale) || !Double.isFinite(x0) || !Double.isFinite(y0) || size <= 0) {
            throw new IllegalArgumentException("framing needs a positive scale and size and finite offsets, got scale "
                    + scale + ", x0 " + x0 + ", y0 " + y0 + ", size " + size);
        }
    }

    /** The style's framing of one pose: {@link #person} or {@link #full}. */
    public static Framing of(DomainSpec.Image style, Camera camera, float[] cameraPose, int size) {
        return switch (style.framing()) {
            case FULL -> full(camera.intrinsics(), size);
            case PERSON -> person(camera, cameraPose, style.cropMargin(), size);
        };
    }

    /**
     * The whole camera frame: the longer side fills the render, the shorter one is centred and its field of
     * view widened to a square (the scene goes on there, it is not a black bar).
     */
    public static Framing full(Camera.Intrinsics k, int size) {
        int side = Math.max(k.width(), k.height());
        return new Framing(size / (double) side, (k.width() - side) / 2.0, (k.height() - side) / 2.0, size);
    }

    /**
     * A square around the projected joints (as the dataset projects them, lens included), {@code margin} times
     * their bounding box's longer side, centred on the box: the crop that image pose models are trained on.
     */
    public static Framing person(Camera camera, float[] cameraPose, double margin, int size) {
        boolean distort = camera.intrinsics().hasDistortion();
        double u0 = Double.POSITIVE_INFINITY;
        double v0 = Double.POSITIVE_INFINITY;
        double u1 = Double.NEGATIVE_INFINITY;
        double v1 = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cameraPose.length / 3; j++) {
            double[] uv = camera.project(cameraPose[3 * j], cameraPose[3 * j + 1],
                    Math.max(ImageRenderer.NEAR_M, cameraPose[3 * j + 2]), distort);
            u0 = Math.min(u0, uv[0]);
            u1 = Math.max(u1, uv[0]);
            v0 = Math.min(v0, uv[1]);
            v1 = Math.max(v1, uv[1]);
        }
        // A pose seen exactly end-on could collapse to a point; a crop of at least one dataset pixel keeps the
        // scale finite.
        double side = Math.max(1, margin * Math.max(u1 - u0, v1 - v0));
        return new Framing(size / side, (u0 + u1) / 2 - side / 2, (v0 + v1) / 2 - side / 2, size);
    }

    /** The render camera: the dataset camera's intrinsics scaled and shifted by this framing, extrinsics kept. */
    public Camera apply(Camera camera) {
        Camera.Intrinsics k = camera.intrinsics();
        Camera.Intrinsics scaled = new Camera.Intrinsics(scale * k.fx(), scale * k.fy(), scale * (k.cx() - x0),
                scale * (k.cy() - y0), size, size, k.k1(), k.k2(), k.k3(), k.p1(), k.p2());
        return new Camera(scaled, camera.extrinsics());
    }

    /** Dataset pixels (packed u, v pairs) to render pixels; a new array. */
    public float[] toRender(float[] datasetPixels) {
        float[] out = new float[datasetPixels.length];
        for (int i = 0; i < out.length; i += 2) {
            out[i] = (float) (scale * (datasetPixels[i] - x0));
            out[i + 1] = (float) (scale * (datasetPixels[i + 1] - y0));
        }
        return out;
    }

    /** Render pixels (packed u, v pairs) back to dataset pixels, e.g. a model's predictions; a new array. */
    public float[] toDataset(float[] renderPixels) {
        float[] out = new float[renderPixels.length];
        for (int i = 0; i < out.length; i += 2) {
            out[i] = (float) (renderPixels[i] / scale + x0);
            out[i + 1] = (float) (renderPixels[i + 1] / scale + y0);
        }
        return out;
    }
}
