package io.github.poseshift.render;

import io.github.poseshift.data.Domains;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.geometry.Camera;
import java.util.Arrays;
import java.util.Random;

/**
 * Renders a 3D pose as a {@code size × size} image of a capsule body ({@link BodyModel}) in a domain's
 * style: z-buffered ray casting of the body against the camera's own rays (lens distortion included, so
 * the joints project exactly where the pose dataset's 2D keypoints come from), Lambertian shading, the
 * style's background ({@link Scenery}), random occluders, blur and sensor noise; and the labels: mask, part
 * segmentation, depth, heatmaps, joint visibility.
 *
 * <p>Speed comes from doing little per pixel: each capsule is ray-tested only inside its screen-space
 * bounding box, shading happens once per pixel after the depth test, rays come from a grid of exact
 * unprojections every {@value #RAY_GRID} pixels interpolated in between (exact for a distortion-free
 * lens), and sensor noise reads a fixed table. A renderer holds no mutable state: one instance may render
 * on many threads, and the same arguments give the same bytes on any of them.
 */
public final class ImageRenderer {

    /** Joints of the H36M-17 skeleton. */
    public static final int JOINTS = 17;

    /**
     * Nearest depth the camera sees, metres: nearer surfaces are cut away, and a nearer joint is projected
     * at this depth and invisible (as {@code Detector2D} treats it).
     */
    public static final double NEAR_M = 0.1;

    /** Spacing of the exactly unprojected rays, pixels. */
    static final int RAY_GRID = 8;

    /** Heatmaps are 0 beyond this many sigmas from the joint. */
    static final double HEATMAP_CUTOFF_SIGMAS = 3;

    private final DomainSpec.Image style;
    private final int size;
    private final double sigma;

    /**
     * @param style          the domain's look
     * @param size           64, 128 or 256 pixels
     * @param heatmapSigmaPx standard deviation of the joint heatmaps, pixels (positive)
     * @throws IllegalArgumentException naming the bad value
     */
    public ImageRenderer(DomainSpec.Image style, int size, double heatmapSigmaPx) {
        if (style == null) {
            throw new IllegalArgumentException("style is null");
        }
        if (!Domains.IMAGE_SIZES.contains(size)) {
            throw new IllegalArgumentException("image size must be one of " + Domains.IMAGE_SIZES + ", got " + size);
        }
        if (!(heatmapSigmaPx > 0) || heatmapSigmaPx > size) {
            throw new IllegalArgumentException("heatmap sigma must be in (0, " + size + "] pixels, got " + heatmapSigmaPx);
        }
        this.style = style;
        this.size = size;
        this.sigma = heatmapSigmaPx;
    }

    /** A renderer with the default heatmap sigma for its size ({@link #defaultSigma}). */
    public ImageRenderer(DomainSpec.Image style, int size) {
        this(style, size, defaultSigma(size));
    }

    /** Heatmap sigma of one pixel in 32 (2 px at 64, as Simple Baselines uses on 64-pixel heatmaps). */
    public static double defaultSigma(int size) {
        return size / 32.0;
    }

    /** The style. */
    public DomainSpec.Image style() {
        return style;
    }

    /** Width and height in pixels. */
    public int size() {
        return size;
    }

    /** Heatmap sigma in pixels. */
    public double heatmapSigmaPx() {
        return sigma;
    }

    /**
     * Renders one image.
     *
     * @param cameraPose {@code [17][3]} joints in camera coordinates, metres
     * @param camera     the camera with intrinsics at this renderer's size ({@link Framing} scales a dataset
     *                   camera's); its extrinsics say where the floor and the lights are
     * @param look       the subject's appearance
     * @param seed       every random draw of this image (lights, background offset, occluders, blur, noise)
     *                   comes from it
     * @throws IllegalArgumentException if the pose is not 17 finite joints or the camera's image is not
     *                                  {@code size × size}
     */
    public RenderedImage render(float[] cameraPose, Camera camera, Appearance look, long seed) {
        if (cameraPose == null || cameraPose.length != JOINTS * 3) {
            throw new IllegalArgumentException("cameraPose must hold 17 joints × 3 = 51 values, got "
                    + (cameraPose == null ? "null" : cameraPose.length));
        }
        for (int i = 0; i < cameraPose.length; i++) {
            if (!Float.isFinite(cameraPose[i])) {
                throw new IllegalArgumentException("cameraPose joint " + i / 3 + " is not finite: " + cameraPose[i]);
            }
        }
        Camera.Intrinsics k = camera.intrinsics();
        if (k.width() != size || k.height() != size) {
            throw new IllegalArgumentException("camera image is " + k.width() + "×" + k.height() + ", the renderer's "
                    + size + "×" + size + "; scale the camera with Framing first");
        }
        Random rng = new Random(seed);
        int n = size * size;
        float[] rayX = new float[n];
        float[] rayY = new float[n];
        rays(camera, rayX, rayY);
        double[] up = camera.extrinsics().worldToCamera().apply(new double[] {0, 0, 1});
        Lights lights = new Lights(style, camera.extrinsics().worldToCamera(), rng);
        double[] root = camera.cameraToWorld(new double[] {cameraPose[0], cameraPose[1], cameraPose[2]});
        Scenery scenery = new Scenery(style.background(), camera, lights, root, rng);

        BodyModel.Capsules body = BodyModel.build(cameraPose, up, look, 1 / Math.min(k.fx(), k.fy()));
        float[] depth = new float[n];
        Arrays.fill(depth, Float.POSITIVE_INFINITY);
        byte[] hit = new byte[n];
        Arrays.fill(hit, (byte) -1);
        for (int c = 0; c < body.n; c++) {
            int[] box = screenBox(body, c, camera);
            for (int y = box[1]; y <= box[3]; y++) {
                int row = y * size;
                for (int x = box[0]; x <= box[2]; x++) {
                    int p = row + x;
                    double t = body.depthAlong(c, rayX[p], rayY[p]);
                    if (t >= NEAR_M && t < depth[p]) {
                        depth[p] = (float) t;
                        hit[p] = (byte) c;
                    }
                }
            }
        }

        float[] colour = new float[3 * n];
        BodyShader shader = new BodyShader(body, look, lights, up, style.chromaSpill().sample(rng));
        for (int p = 0; p < n; p++) {
            if (hit[p] >= 0) {
                shader.shade(hit[p], depth[p], rayX[p], rayY[p], colour, 3 * p);
            } else {
                scenery.shade(rayX[p], rayY[p], colour, 3 * p);
            }
        }

        float[] joints2d = new float[JOINTS * 2];
        boolean[] visible = new boolean[JOINTS];
        boolean distort = k.hasDistortion();
        for (int j = 0; j < JOINTS; j++) {
            double x = cameraPose[3 * j];
            double y = cameraPose[3 * j + 1];
            double z = cameraPose[3 * j + 2];
            double[] uv = camera.project(x, y, Math.max(NEAR_M, z), distort);
            joints2d[2 * j] = (float) uv[0];
            joints2d[2 * j + 1] = (float) uv[1];
            // VideoPose3D's distorted projection clamps x/z and y/z to [−1, 1]: a joint beyond that (more than
            // 45° off the axis, far outside the dataset camera's frame) gets a keypoint that is not where the
            // joint is, so it is kept, like the dataset's, but not called visible.
            boolean withinLens = !distort || Math.abs(x / z) <= 1 && Math.abs(y / z) <= 1;
            visible[j] = z >= NEAR_M && withinLens && uv[0] >= 0 && uv[0] < size && uv[1] >= 0 && uv[1] < size
                    && unobstructed(body, x, y, z);
        }

        boolean[] occluded = Occluders.draw(style, joints2d, size, colour, rng);
        byte[] mask = new byte[n];
        byte[] parts = new byte[n];
        for (int p = 0; p < n; p++) {
            if (hit[p] >= 0 && (occluded == null || !occluded[p])) {
                mask[p] = 1;
                parts[p] = body.part[hit[p]];
            } else {
                depth[p] = 0;
            }
        }
        if (occluded != null) {
            for (int j = 0; j < JOINTS; j++) {
                if (visible[j] && occluded[(int) joints2d[2 * j + 1] * size + (int) joints2d[2 * j]]) {
                    visible[j] = false;
                }
            }
        }
        double blur = style.blurPx().sample(rng) * size / 256.0;
        Blur.gaussian(colour, size, blur);
        double noiseStd = style.noiseStd().sample(rng);
        int noiseStart = rng.nextInt(Textures.GAUSSIAN_SIZE);
        byte[] rgb = new byte[3 * n];
        for (int i = 0; i < rgb.length; i++) {
            float v = (colour[i] + (float) noiseStd * Textures.gaussian(noiseStart + i)) * 255f + 0.5f;
            rgb[i] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) v);
        }
        return new RenderedImage(size, rgb, mask, parts, depth, heatmaps(joints2d), joints2d, visible,
                cameraPose.clone(), camera);
    }

    /**
     * Whether a joint is seen rather than hidden by another part: along the ray towards it, nothing comes before
     * the joint's own flesh (the capsules that contain it). A hip seen from the side is visible through its own
     * pelvis; a knee behind the other leg, or a spine behind a hand, is not.
     */
    private static boolean unobstructed(BodyModel.Capsules body, double x, double y, double z) {
        double dx = x / z;
        double dy = y / z;
        double first = Double.POSITIVE_INFINITY;
        double own = Double.POSITIVE_INFINITY;
        for (int c = 0; c < body.n; c++) {
            double t = body.depthAlong(c, dx, dy);
            first = Math.min(first, t);
            if (body.contains(c, x, y, z)) {
                own = Math.min(own, t);
            }
        }
        return first >= own - 1e-9;
    }

    /**
     * The camera ray of every pixel centre as (dx, dy) with direction (dx, dy, 1): exact for a pinhole; with
     * lens distortion, exact unprojections on a grid every {@value #RAY_GRID} pixels, bilinear in between.
     */
    private void rays(Camera camera, float[] rayX, float[] rayY) {
        boolean distort = camera.intrinsics().hasDistortion();
        if (!distort) {
            // A pinhole's ray is separable: x from the column, y from the row.
            Camera.Intrinsics k = camera.intrinsics();
            for (int y = 0; y < size; y++) {
                float ry = (float) ((y + 0.5 - k.cy()) / k.fy());
                for (int x = 0; x < size; x++) {
                    rayX[y * size + x] = (float) ((x + 0.5 - k.cx()) / k.fx());
                    rayY[y * size + x] = ry;
                }
            }
            return;
        }
        int cells = size / RAY_GRID;
        int g = cells + 1;
        double[] gx = new double[g * g];
        double[] gy = new double[g * g];
        for (int j = 0; j < g; j++) {
            for (int i = 0; i < g; i++) {
                double u = i * RAY_GRID + 0.5;
                double v = j * RAY_GRID + 0.5;
                double[] ray;
                try {
                    ray = camera.unproject(u, v, 1, true);
                } catch (IllegalArgumentException beyondTheLens) {
                    // Barrel distortion folds back beyond its maximum radius (r = 1/√(3|k1|) for k1 alone), far
                    // outside the dataset camera's frame, where a crop can still reach: no ray projects there,
                    // and the pinhole ray keeps the background continuous.
                    ray = camera.unproject(u, v, 1, false);
                }
                gx[j * g + i] = ray[0];
                gy[j * g + i] = ray[1];
            }
        }
        for (int y = 0; y < size; y++) {
            int j = y / RAY_GRID;
            double ty = (y % RAY_GRID) / (double) RAY_GRID;
            for (int x = 0; x < size; x++) {
                int i = x / RAY_GRID;
                double tx = (x % RAY_GRID) / (double) RAY_GRID;
                int q = j * g + i;
                double w00 = (1 - tx) * (1 - ty);
                double w01 = tx * (1 - ty);
                double w10 = (1 - tx) * ty;
                double w11 = tx * ty;
                rayX[y * size + x] = (float) (w00 * gx[q] + w01 * gx[q + 1] + w10 * gx[q + g] + w11 * gx[q + g + 1]);
                rayY[y * size + x] = (float) (w00 * gy[q] + w01 * gy[q + 1] + w10 * gy[q + g] + w11 * gy[q + g + 1]);
            }
        }
    }

    /**
     * Pixel box {x0, y0, x1, y1} (inclusive) that holds capsule c's image. Each end sphere (centre (x, y, z),
     * radius r) stays within r·(z + |x|)/(z·(z − r)) of x/z in the undistorted image plane (likewise in y);
     * the capsule is the convex hull of its end spheres, and perspective keeps hulls, so the union of the two
     * boxes holds it. With distortion, the box's outline is sampled through the lens and padded. A capsule
     * reaching in front of the near plane, or (with distortion) beyond the lens model's |x/z| ≤ 1, gets the
     * whole image.
     */
    private int[] screenBox(BodyModel.Capsules body, int c, Camera camera) {
        double r = body.r[c];
        double[] ends = {body.ax[c], body.ay[c], body.az[c], body.bx[c], body.by[c], body.bz[c]};
        double x0 = Double.POSITIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < 6; e += 3) {
            double z = ends[e + 2];
            if (z - r <= NEAR_M) {
                return new int[] {0, 0, size - 1, size - 1};
            }
            double cx = ends[e] / z;
            double cy = ends[e + 1] / z;
            double rx = r * (z + Math.abs(ends[e])) / (z * (z - r));
            double ry = r * (z + Math.abs(ends[e + 1])) / (z * (z - r));
            x0 = Math.min(x0, cx - rx);
            x1 = Math.max(x1, cx + rx);
            y0 = Math.min(y0, cy - ry);
            y1 = Math.max(y1, cy + ry);
        }
        boolean distort = camera.intrinsics().hasDistortion();
        if (distort && Math.max(Math.max(-x0, x1), Math.max(-y0, y1)) > 1) {
            // Beyond |x/z| = 1 the lens model clamps, so the outline cannot be mapped; the rays there still
            // exist (unclamped), and the whole image is the safe box.
            return new int[] {0, 0, size - 1, size - 1};
        }
        double u0 = Double.POSITIVE_INFINITY;
        double v0 = Double.POSITIVE_INFINITY;
        double u1 = Double.NEGATIVE_INFINITY;
        double v1 = Double.NEGATIVE_INFINITY;
        int steps = distort ? 4 : 1;
        for (int s = 0; s <= steps; s++) {
            double f = s / (double) steps;
            double[][] outline = {{x0 + f * (x1 - x0), y0}, {x0 + f * (x1 - x0), y1}, {x0, y0 + f * (y1 - y0)},
                {x1, y0 + f * (y1 - y0)}};
            for (double[] q : outline) {
                double[] uv = camera.project(q[0], q[1], 1, distort);
                u0 = Math.min(u0, uv[0]);
                u1 = Math.max(u1, uv[0]);
                v0 = Math.min(v0, uv[1]);
                v1 = Math.max(v1, uv[1]);
            }
        }
        // Pixel x is in when its centre x + 0.5 is; one pixel of padding covers the interpolated rays and the
        // lens between outline samples.
        int pad = distort ? 2 : 1;
        return new int[] {clamp((int) Math.floor(u0 - 0.5) - pad), clamp((int) Math.floor(v0 - 0.5) - pad),
            clamp((int) Math.ceil(u1 - 0.5) + pad), clamp((int) Math.ceil(v1 - 0.5) + pad)};
    }

    private int clamp(int v) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /**
     * {@code [17][size][size]} Gaussians exp(−d²/2σ²) around the joints (pixel centres at +0.5), evaluated only
     * within ±{@value #HEATMAP_CUTOFF_SIGMAS} sigmas in x and in y: the rest is exactly 0, which also keeps a saved heatmap
     * small once compressed. The Gaussian is separable, so a row costs one multiplication per pixel.
     */
    private float[] heatmaps(float[] joints2d) {
        int n = size * size;
        float[] out = new float[JOINTS * n];
        double reach = HEATMAP_CUTOFF_SIGMAS * sigma;
        float[] gx = new float[size];
        for (int j = 0; j < JOINTS; j++) {
            double u = joints2d[2 * j];
            double v = joints2d[2 * j + 1];
            int xa = Math.max(0, (int) Math.ceil(u - reach - 0.5));
            int xb = Math.min(size - 1, (int) Math.floor(u + reach - 0.5));
            int ya = Math.max(0, (int) Math.ceil(v - reach - 0.5));
            int yb = Math.min(size - 1, (int) Math.floor(v + reach - 0.5));
            if (xa > xb || ya > yb) {
                continue;
            }
            for (int x = xa; x <= xb; x++) {
                double d = x + 0.5 - u;
                gx[x] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            }
            for (int y = ya; y <= yb; y++) {
                double d = y + 0.5 - v;
                float gy = (float) Math.exp(-d * d / (2 * sigma * sigma));
                int row = j * n + y * size;
                for (int x = xa; x <= xb; x++) {
                    out[row + x] = gy * gx[x];
                }
            }
        }
        return out;
    }
}
