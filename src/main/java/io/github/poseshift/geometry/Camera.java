package io.github.poseshift.geometry;

import java.util.Objects;

/**
 * An immutable calibrated camera: the Human3.6M / VideoPose3D model of {@code common/camera.py}.
 *
 * <p>World frame right-handed with Z up, metres; camera frame x right, y down, z forward;
 * X_cam = R·X_world + t with R world→camera; pixels have u to the right and v down.
 */
public final class Camera {

    /** Newton iterations of {@link #unproject} stop below this residual, in normalised image units. */
    private static final double UNDISTORT_TOLERANCE = 1e-12;

    private static final int UNDISTORT_MAX_ITERATIONS = 50;

    private final Intrinsics intrinsics;
    private final Extrinsics extrinsics;

    /**
     * Pinhole focal lengths and principal point in pixels, image size, and the Human3.6M distortion:
     * radial k1, k2, k3 and tangential p1, p2 as used by VideoPose3D {@code project_to_2d}.
     */
    public record Intrinsics(double fx, double fy, double cx, double cy, int width, int height,
            double k1, double k2, double k3, double p1, double p2) {

        /** Rejects fx, fy ≤ 0, width, height ≤ 0 and non-finite values. */
        public Intrinsics {
            Checks.positive("fx", fx);
            Checks.positive("fy", fy);
            Checks.finite("cx", cx);
            Checks.finite("cy", cy);
            Checks.positive("width", width);
            Checks.positive("height", height);
            Checks.finite("k1", k1);
            Checks.finite("k2", k2);
            Checks.finite("k3", k3);
            Checks.finite("p1", p1);
            Checks.finite("p2", p2);
        }

        /** Intrinsics without distortion. */
        public static Intrinsics pinhole(double fx, double fy, double cx, double cy, int width, int height) {
            return new Intrinsics(fx, fy, cx, cy, width, height, 0, 0, 0, 0, 0);
        }

        /**
         * A distortion-free camera with square pixels, principal point at the image centre
         * (width/2, height/2) and fx = fy = (width/2) / tan(horizontalFov/2).
         */
        public static Intrinsics fromFieldOfView(double horizontalFovRad, int width, int height) {
            if (!(horizontalFovRad > 0 && horizontalFovRad < Math.PI)) {
                throw new IllegalArgumentException(
                        "horizontalFovRad must be in (0, π), got " + horizontalFovRad);
            }
            Checks.positive("width", width);
            Checks.positive("height", height);
            double f = width / 2.0 / Math.tan(horizontalFovRad / 2);
            return pinhole(f, f, width / 2.0, height / 2.0, width, height);
        }

        /**
         * The pinhole in normalised screen coordinates ({@link Camera#normalizeScreen}): {fx', fy', cx', cy'} with
         * u' = fx'·x/z + cx', v' = fy'·y/z + cy' the normalised projection of a camera-frame point (fx' = fx·2/S,
         * fy' = fy·2/S, cx' = cx·2/S − w/S, cy' = cy·2/S − h/S, S = max(w, h)). Distortion is left out.
         */
        public double[] normalisedPinhole() {
            double s = paddedSide(width, height);
            return new double[] {fx * 2 / s, fy * 2 / s, cx * 2 / s - width / s, cy * 2 / s - height / s};
        }

        /** The side S = max(w, h) that {@link Camera#normalizeScreen} divides by (see there). */
        public double normalisationSide() {
            return paddedSide(width, height);
        }

        /** Whether any of k1, k2, k3, p1, p2 is non-zero. */
        public boolean hasDistortion() {
            return k1 != 0 || k2 != 0 || k3 != 0 || p1 != 0 || p2 != 0;
        }

        /**
         * The VideoPose3D distortion of a normalised point (x, y) = (X/Z, Y/Z), before the focal
         * scaling: (x, y)·(radial + p1·x + p2·y) + (p1, p2)·r². Not clamped.
         */
        private double[] distortNormalized(double x, double y) {
            double r2 = x * x + y * y;
            double radial = 1 + k1 * r2 + k2 * r2 * r2 + k3 * r2 * r2 * r2;
            double scale = radial + p1 * x + p2 * y;
            return new double[] {x * scale + p1 * r2, y * scale + p2 * r2};
        }

        /** Jacobian {dgx/dx, dgx/dy, dgy/dx, dgy/dy} of {@link #distortNormalized}. */
        private double[] distortionJacobian(double x, double y) {
            double r2 = x * x + y * y;
            double scale = 1 + k1 * r2 + k2 * r2 * r2 + k3 * r2 * r2 * r2 + p1 * x + p2 * y;
            double dRadialDr2 = k1 + 2 * k2 * r2 + 3 * k3 * r2 * r2;
            // d(scale)/dx = 2x·dRadial/dr² + p1, d(scale)/dy = 2y·dRadial/dr² + p2; d(r²)/dx = 2x.
            double dScaleDx = 2 * x * dRadialDr2 + p1;
            double dScaleDy = 2 * y * dRadialDr2 + p2;
            return new double[] {
                scale + x * dScaleDx + 2 * p1 * x, x * dScaleDy + 2 * p1 * y,
                y * dScaleDx + 2 * p2 * x, scale + y * dScaleDy + 2 * p2 * y
            };
        }
    }

    /**
     * The pose X_cam = R·X_world + t, with R = {@code worldToCamera} and t = (tx, ty, tz) in metres;
     * the camera centre is C = −Rᵀ·t.
     */
    public record Extrinsics(Rotation worldToCamera, double tx, double ty, double tz) {

        /** Rejects a null rotation and a non-finite translation. */
        public Extrinsics {
            Checks.nonNull("worldToCamera", worldToCamera);
            Checks.finite("tx", tx);
            Checks.finite("ty", ty);
            Checks.finite("tz", tz);
        }

        /** The pose of a camera with the given rotation whose centre is {@code centre}: t = −R·C. */
        public static Extrinsics fromCenter(Rotation worldToCamera, double[] centre) {
            Checks.nonNull("worldToCamera", worldToCamera);
            double[] t = Vec3.scale(worldToCamera.apply(Checks.vector3("centre", centre)), -1);
            return new Extrinsics(worldToCamera, t[0], t[1], t[2]);
        }

        /** The camera centre in world coordinates, C = −Rᵀ·t. */
        public double[] center() {
            return Vec3.scale(worldToCamera.inverse().apply(new double[] {tx, ty, tz}), -1);
        }

        /**
         * A camera at {@code eye} looking at {@code target} with image up as close as possible to
         * {@code worldUp} (see {@link Rotation#lookAt}).
         */
        public static Extrinsics lookAt(double[] eye, double[] target, double[] worldUp) {
            return fromCenter(Rotation.lookAt(eye, target, worldUp), eye);
        }

        /**
         * A camera on a sphere around {@code target}, looking at it with world up +Z, then rolled.
         *
         * <p>The centre is target + distance·(cos el·cos az, cos el·sin az, sin el): elevation > 0 puts
         * the camera above the target looking down, azimuth turns from +X towards +Y. The image x axis
         * is the horizontal (−sin az, cos az, 0) at every elevation, which for |el| &lt; π/2 is exactly
         * {@code lookAt(centre, target, +Z)} and at the poles is its limit: a top-down camera
         * (el = π/2) has image up −(cos az, sin az, 0), the horizontal direction it was facing.
         * Positive {@code roll} turns the camera frame by R_z(roll) about the optical axis, which
         * rotates the image content clockwise on screen (x towards y, with y down).
         *
         * @throws IllegalArgumentException unless elevation is in [−π/2, π/2], distance > 0 and all
         *     values are finite
         */
        public static Extrinsics orbit(double elevation, double azimuth, double distance,
                double[] target, double roll) {
            if (!(Math.abs(elevation) <= Math.PI / 2)) {
                throw new IllegalArgumentException(
                        "elevation must be in [−π/2, π/2], got " + elevation);
            }
            Checks.finite("azimuth", azimuth);
            Checks.positive("distance", distance);
            Checks.vector3("target", target);
            Checks.finite("roll", roll);
            double ce = Math.cos(elevation);
            double[] outward = {ce * Math.cos(azimuth), ce * Math.sin(azimuth), Math.sin(elevation)};
            double[] centre = {
                target[0] + distance * outward[0],
                target[1] + distance * outward[1],
                target[2] + distance * outward[2]
            };
            double[] forward = Vec3.scale(outward, -1);
            double[] right = {-Math.sin(azimuth), Math.cos(azimuth), 0};
            double[] down = Vec3.cross(forward, right);
            Rotation upright = Rotation.fromRows(right, down, forward);
            return fromCenter(upright.then(Rotation.aboutZ(roll)), centre);
        }
    }

    /** A camera from its intrinsics and extrinsics. */
    public Camera(Intrinsics intrinsics, Extrinsics extrinsics) {
        this.intrinsics = Checks.nonNull("intrinsics", intrinsics);
        this.extrinsics = Checks.nonNull("extrinsics", extrinsics);
    }

    /** The intrinsic parameters. */
    public Intrinsics intrinsics() {
        return intrinsics;
    }

    /** The extrinsic parameters. */
    public Extrinsics extrinsics() {
        return extrinsics;
    }

    /** X_cam = R·X_world + t for one world point (metres). */
    public double[] worldToCamera(double[] p) {
        double[] r = extrinsics.worldToCamera().apply(Checks.vector3("p", p));
        return new double[] {r[0] + extrinsics.tx(), r[1] + extrinsics.ty(), r[2] + extrinsics.tz()};
    }

    /** X_world = Rᵀ·(X_cam − t) for one camera-frame point (metres). */
    public double[] cameraToWorld(double[] p) {
        Checks.vector3("p", p);
        double[] shifted = {p[0] - extrinsics.tx(), p[1] - extrinsics.ty(), p[2] - extrinsics.tz()};
        return extrinsics.worldToCamera().inverse().apply(shifted);
    }

    /** {@link #worldToCamera(double[])} for n packed xyz points, computed in double; a new float[3n]. */
    public float[] worldToCamera(float[] xyz) {
        Checks.tuples("xyz", xyz, 3);
        float[] out = new float[xyz.length];
        for (int o = 0; o < xyz.length; o += 3) {
            store(worldToCamera(new double[] {xyz[o], xyz[o + 1], xyz[o + 2]}), out, o);
        }
        return out;
    }

    /** {@link #cameraToWorld(double[])} for n packed xyz points, computed in double; a new float[3n]. */
    public float[] cameraToWorld(float[] xyz) {
        Checks.tuples("xyz", xyz, 3);
        float[] out = new float[xyz.length];
        for (int o = 0; o < xyz.length; o += 3) {
            store(cameraToWorld(new double[] {xyz[o], xyz[o + 1], xyz[o + 2]}), out, o);
        }
        return out;
    }

    private static void store(double[] point, float[] out, int offset) {
        out[offset] = (float) point[0];
        out[offset + 1] = (float) point[1];
        out[offset + 2] = (float) point[2];
    }

    /**
     * Projects a camera-frame point to pixels {u, v}.
     *
     * <p>Without distortion this is the pinhole u = fx·x/z + cx, v = fy·y/z + cy (VideoPose3D
     * {@code project_to_2d_linear}). With distortion it is exactly VideoPose3D {@code project_to_2d}:
     * (x/z, y/z) is clamped to [−1, 1] per coordinate, then scaled by radial + p1·x' + p2·y' and
     * shifted by (p1, p2)·r². This Human3.6M tangential term differs from OpenCV's
     * (2·p1·x'y' + p2·(r² + 2x'²), …).
     *
     * @throws IllegalArgumentException if a coordinate is not finite or z ≤ 0 (behind the camera)
     */
    public double[] project(double x, double y, double z, boolean distort) {
        Checks.finite("x", x);
        Checks.finite("y", y);
        Checks.finite("z", z);
        if (!(z > 0)) {
            throw new IllegalArgumentException(
                    "z must be > 0 (point in front of the camera), got " + z);
        }
        return projectInFront(x, y, z, distort);
    }

    private double[] projectInFront(double x, double y, double z, boolean distort) {
        Intrinsics k = intrinsics;
        double xn = x / z;
        double yn = y / z;
        if (distort) {
            double[] d = k.distortNormalized(clamp(xn), clamp(yn));
            xn = d[0];
            yn = d[1];
        }
        return new double[] {k.fx() * xn + k.cx(), k.fy() * yn + k.cy()};
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }

    /**
     * {@link #project(double, double, double, boolean)} for n packed camera-frame xyz points,
     * returning pixels as a new float[2n].
     *
     * @throws IllegalArgumentException naming the first point index whose z ≤ 0
     */
    public float[] project(float[] cameraXyz, boolean distort) {
        Checks.tuples("cameraXyz", cameraXyz, 3);
        float[] pixels = new float[cameraXyz.length / 3 * 2];
        for (int n = 0; n < cameraXyz.length / 3; n++) {
            double z = cameraXyz[3 * n + 2];
            if (!(z > 0)) {
                throw new IllegalArgumentException("point " + n + " has z = " + z
                        + " <= 0 in camera coordinates (behind the camera)");
            }
            double[] uv = projectInFront(cameraXyz[3 * n], cameraXyz[3 * n + 1], z, distort);
            pixels[2 * n] = (float) uv[0];
            pixels[2 * n + 1] = (float) uv[1];
        }
        return pixels;
    }

    /** Transforms n packed world points to the camera frame, then {@link #project(float[], boolean)}. */
    public float[] projectWorld(float[] worldXyz, boolean distort) {
        Checks.tuples("worldXyz", worldXyz, 3);
        return project(worldToCamera(worldXyz), distort);
    }

    /**
     * The camera-frame point with z = {@code depth} that projects to pixel (u, v).
     *
     * <p>With {@code undistort} the distortion of {@link #project} is inverted by Newton's method on
     * the 2×2 system (analytic Jacobian), starting from the distorted normalised point, until the
     * residual is below 1e-12 in normalised image units (plus that one last step). It inverts the
     * unclamped model, so
     * project∘unproject is the identity where |x/z|, |y/z| ≤ 1.
     *
     * @throws IllegalArgumentException if depth ≤ 0, a value is not finite, or Newton's method does
     *     not converge within 50 iterations for this pixel
     */
    public double[] unproject(double u, double v, double depth, boolean undistort) {
        Checks.finite("u", u);
        Checks.finite("v", v);
        Checks.positive("depth", depth);
        Intrinsics k = intrinsics;
        double xd = (u - k.cx()) / k.fx();
        double yd = (v - k.cy()) / k.fy();
        double[] xy = undistort ? undistortNormalized(u, v, xd, yd) : new double[] {xd, yd};
        return new double[] {xy[0] * depth, xy[1] * depth, depth};
    }

    private double[] undistortNormalized(double u, double v, double xd, double yd) {
        double x = xd;
        double y = yd;
        double residual = Double.NaN;
        for (int iteration = 0; iteration < UNDISTORT_MAX_ITERATIONS; iteration++) {
            double[] g = intrinsics.distortNormalized(x, y);
            double rx = g[0] - xd;
            double ry = g[1] - yd;
            residual = Math.max(Math.abs(rx), Math.abs(ry));
            double[] j = intrinsics.distortionJacobian(x, y);
            double det = j[0] * j[3] - j[1] * j[2];
            // Newton step: solve J·δ = r by Cramer's rule and subtract δ. It is taken even once the
            // residual is below tolerance: by quadratic convergence that last step leaves only rounding.
            x -= (j[3] * rx - j[1] * ry) / det;
            y -= (j[0] * ry - j[2] * rx) / det;
            if (residual < UNDISTORT_TOLERANCE) {
                return new double[] {x, y};
            }
        }
        throw new IllegalArgumentException("cannot undistort pixel (" + u + ", " + v
                + "): Newton's method did not converge in " + UNDISTORT_MAX_ITERATIONS
                + " iterations (residual " + residual + ")");
    }

    /**
     * Screen normalisation of packed pixel pairs: u = (2x − w)/S, v = (2y − h)/S with S = max(w, h). Returns a new
     * array.
     *
     * <p>For a landscape or square frame (S = w) this is VideoPose3D's {@code normalize_screen_coordinates},
     * X/w·2 − [1, h/w]: [0, w] becomes [−1, 1] and the aspect ratio is kept. A portrait frame (h &gt; w) is first
     * padded on both sides to an h × h square, as AdaptPose does for 3DPW's phone video (sec. 6, "we pad the width so
     * that height is equal to width"): VideoPose3D's formula would map its height to ±h/w (±1.78 for 1080 × 1920),
     * past the [−1, 1] every landscape domain fills. Padding moves x by (h − w)/2 and divides by h, which is the
     * formula above. Human3.6M's 1000 × 1002 cameras are portrait by two pixels: their coordinates come out 0.2%
     * smaller than VideoPose3D's.
     */
    public static float[] normalizeScreen(float[] pixelsXY, int width, int height) {
        Checks.tuples("pixelsXY", pixelsXY, 2);
        Checks.positive("width", width);
        Checks.positive("height", height);
        double side = paddedSide(width, height);
        // For S = w, xShift is exactly 1 and yShift h/w: the landscape arithmetic is VideoPose3D's, bit for bit.
        double xShift = width / side;
        double yShift = height / side;
        float[] out = new float[pixelsXY.length];
        for (int i = 0; i < pixelsXY.length; i += 2) {
            out[i] = (float) (pixelsXY[i] / side * 2 - xShift);
            out[i + 1] = (float) (pixelsXY[i + 1] / side * 2 - yShift);
        }
        return out;
    }

    /**
     * The inverse of {@link #normalizeScreen(float[], int, int)}: x = (u + w/S)·S/2, y = (v + h/S)·S/2 (VideoPose3D's
     * {@code image_coordinates} for a landscape frame), computed in double. Returns a new array; after the float
     * rounding of both directions a round trip is exact up to half a float ulp of S.
     */
    public static float[] denormalizeScreen(float[] normXY, int width, int height) {
        Checks.tuples("normXY", normXY, 2);
        Checks.positive("width", width);
        Checks.positive("height", height);
        double side = paddedSide(width, height);
        double xShift = width / side;
        double yShift = height / side;
        float[] out = new float[normXY.length];
        for (int i = 0; i < normXY.length; i += 2) {
            out[i] = (float) ((normXY[i] + xShift) * side / 2);
            out[i + 1] = (float) ((normXY[i + 1] + yShift) * side / 2);
        }
        return out;
    }

    /** S = max(w, h): the side of the square a frame is padded to before normalisation (AdaptPose sec. 6). */
    private static double paddedSide(int width, int height) {
        return Math.max(width, height);
    }

    /** {@link #normalizeScreen(float[], int, int)} with this camera's image size. */
    public float[] normalizeScreen(float[] pixelsXY) {
        return normalizeScreen(pixelsXY, intrinsics.width(), intrinsics.height());
    }

    /** {@link #denormalizeScreen(float[], int, int)} with this camera's image size. */
    public float[] denormalizeScreen(float[] normXY) {
        return denormalizeScreen(normXY, intrinsics.width(), intrinsics.height());
    }

    /** Equal when both intrinsics and extrinsics are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Camera other
                && intrinsics.equals(other.intrinsics)
                && extrinsics.equals(other.extrinsics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(intrinsics, extrinsics);
    }

    @Override
    public String toString() {
        return "Camera[" + intrinsics + ", " + extrinsics + "]";
    }
}
