package io.github.poseshift.geometry;

import static io.github.poseshift.geometry.RotationTest.assertMessage;
import static io.github.poseshift.geometry.RotationTest.assertRotation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraTest {

    /** Intrinsics of the size and distortion of a Human3.6M camera (rounded). */
    static final Camera.Intrinsics H36M_LIKE = new Camera.Intrinsics(1145.04, 1143.78, 512.54, 515.45,
            1000, 1002, -0.207, 0.247, -0.00307, -0.00142, -0.000975);

    static final double[] Z_UP = {0, 0, 1};

    private static Camera camera(Camera.Intrinsics intrinsics) {
        return new Camera(intrinsics, Camera.Extrinsics.lookAt(new double[] {3, -4, 1.5},
                new double[] {0.2, 0.1, 0.9}, Z_UP));
    }

    @Test
    void pinholeProjectionHandChecked() {
        Camera cam = camera(Camera.Intrinsics.pinhole(1000, 1100, 500, 400, 1000, 800));
        // u = 1000 · 0.5/2.5 + 500, v = 1100 · (−0.25/2.5) + 400.
        assertArrayEquals(new double[] {700, 290}, cam.project(0.5, -0.25, 2.5, false), 1e-12);
        assertArrayEquals(new double[] {0.5, -0.25, 2.5}, cam.unproject(700, 290, 2.5, false), 1e-12);
    }

    @Test
    void distortionMatchesVideoPose3DHandComputed() {
        Camera cam = camera(H36M_LIKE);
        // x/z = 0.075, y/z = −0.05, r² = 0.008125, radial = 1 − 0.207·r² + 0.247·r⁴ − 0.00307·r⁶
        // = 0.99833442921..., tan = −0.00142·0.075 − 0.000975·(−0.05) = −5.775e-5,
        // u = fx·(0.075·(radial + tan) − 0.00142·r²) + cx, v = fy·(−0.05·(radial + tan) − 0.000975·r²) + cy
        // evaluated in exact rational arithmetic.
        assertArrayEquals(new double[] {598.2567937584281, 458.3504941103175},
                cam.project(0.3, -0.2, 4.0, true), 1e-9);
        // x/z = 1.5 is clamped to 1 before distortion: r² = 1.0625, radial = 1.05521999267578125,
        // tan = −0.00166375.
        assertArrayEquals(new double[] {1717.1764610134765, 815.5242552181762},
                cam.project(3.0, 0.5, 2.0, true), 1e-9);
        // Without distortion there is no clamp.
        assertEquals(1145.04 * 1.5 + 512.54, cam.project(3.0, 0.5, 2.0, false)[0], 1e-9);
    }

    /** VideoPose3D {@code common/camera.py project_to_2d}, with torch calls replaced by numpy ones. */
    private static final String NUMPY_PROJECT_TO_2D = String.join("\n",
            "import sys",
            "import numpy as np",
            "v = np.array(open(sys.argv[1]).read().split(), dtype=np.float64)",
            "camera_params, X = v[:9], v[9:].reshape(-1, 3)",
            "f, c, k, p = camera_params[:2], camera_params[2:4], camera_params[4:7], camera_params[7:]",
            "XX = np.clip(X[..., :2] / X[..., 2:], -1, 1)",
            "r2 = np.sum(XX[..., :2]**2, axis=-1, keepdims=True)",
            "radial = 1 + np.sum(k * np.concatenate((r2, r2**2, r2**3), axis=-1), axis=-1, keepdims=True)",
            "tan = np.sum(p*XX, axis=-1, keepdims=True)",
            "XXX = XX*(radial + tan) + p*r2",
            "print(' '.join(repr(float(x)) for x in (f*XXX + c).ravel()))");

    @Test
    void distortionMatchesANumpyTranscriptionOfVideoPose3D(@TempDir Path dir) throws IOException {
        Camera.Intrinsics k = H36M_LIKE;
        StringJoiner input = new StringJoiner(" ");
        for (double value : new double[] {k.fx(), k.fy(), k.cx(), k.cy(), k.k1(), k.k2(), k.k3(), k.p1(), k.p2()}) {
            input.add(Double.toString(value));
        }
        Random random = new Random(29);
        double[] points = new double[3 * 200];
        for (int i = 0; i < points.length; i += 3) {
            points[i + 2] = 0.5 + 6 * random.nextDouble();
            points[i] = points[i + 2] * 2.4 * (random.nextDouble() - 0.5);
            points[i + 1] = points[i + 2] * 2.4 * (random.nextDouble() - 0.5);
        }
        for (double value : points) {
            input.add(Double.toString(value));
        }
        Path inputFile = dir.resolve("camera_and_points.txt");
        Files.writeString(inputFile, input.toString());
        String[] expected = ReferencePython.run(NUMPY_PROJECT_TO_2D, dir, inputFile.toString()).trim().split(" ");
        Camera cam = camera(k);
        for (int n = 0; n < points.length / 3; n++) {
            double[] uv = cam.project(points[3 * n], points[3 * n + 1], points[3 * n + 2], true);
            assertEquals(Double.parseDouble(expected[2 * n]), uv[0], 1e-9);
            assertEquals(Double.parseDouble(expected[2 * n + 1]), uv[1], 1e-9);
        }
    }

    @Test
    void unprojectInvertsTheDistortionOverTheImage() {
        Camera cam = camera(H36M_LIKE);
        for (int i = 0; i <= 20; i++) {
            for (int j = 0; j <= 20; j++) {
                double u = 5 + i * 49.5;
                double v = 5 + j * 49.6;
                double[] p = cam.unproject(u, v, 3.7, true);
                assertEquals(3.7, p[2], 0);
                assertArrayEquals(new double[] {u, v}, cam.project(p[0], p[1], p[2], true), 1e-9,
                        () -> "pixel " + u + ", " + v);
            }
        }
        Random random = new Random(17);
        for (int n = 0; n < 500; n++) {
            double z = 1 + 6 * random.nextDouble();
            double[] p = {z * (1.8 * random.nextDouble() - 0.9), z * (1.8 * random.nextDouble() - 0.9), z};
            double[] uv = cam.project(p[0], p[1], p[2], true);
            assertArrayEquals(p, cam.unproject(uv[0], uv[1], z, true), 1e-9);
        }
    }

    @Test
    void unprojectReportsAPixelThatCannotBeUndistorted() {
        // Along the x axis x·(1 − x²) = 0.5 has only the root x ≈ −1.19, far from the start x = 0.5;
        // near the maximum 0.385 of the cubic at x = 0.577 Newton's method falls into a cycle.
        Camera cam = camera(new Camera.Intrinsics(100, 100, 50, 50, 100, 100, -1, 0, 0, 0, 0));
        assertMessage(() -> cam.unproject(100, 50, 1, true), "cannot undistort pixel (100.0, 50.0)", "50 iterations");
        assertMessage(() -> cam.unproject(40, 50, 0, true), "depth", "> 0");
    }

    @Test
    void bulkProjectionMatchesSinglePoints() {
        Camera cam = camera(H36M_LIKE);
        float[] world = {0.2f, 0.1f, 0.9f, 0.5f, -0.3f, 1.7f, -0.4f, 0.6f, 0.1f};
        float[] cameraXyz = cam.worldToCamera(world);
        for (boolean distort : new boolean[] {false, true}) {
            float[] pixels = cam.projectWorld(world, distort);
            assertArrayEquals(cam.project(cameraXyz, distort), pixels);
            for (int n = 0; n < 3; n++) {
                double[] uv = cam.project(cameraXyz[3 * n], cameraXyz[3 * n + 1], cameraXyz[3 * n + 2], distort);
                assertEquals(uv[0], pixels[2 * n], 1e-3);
                assertEquals(uv[1], pixels[2 * n + 1], 1e-3);
            }
        }
        assertMessage(() -> cam.project(new float[] {0, 0, 1, 0, 0, -2}, false),
                "point 1", "z = -2.0", "behind the camera");
        assertMessage(() -> cam.projectWorld(new float[] {0, 0, 1, 0}, false), "worldXyz", "multiple of 3", "4");
        assertMessage(() -> cam.project(0, 0, 0, false), "z must be > 0", "got 0.0");
        assertMessage(() -> cam.project(new float[] {0, Float.NaN, 1}, false), "cameraXyz[1]", "finite");
    }

    @Test
    void worldAndCameraFramesRoundTrip() {
        Camera cam = camera(H36M_LIKE);
        Random random = new Random(19);
        for (int n = 0; n < 200; n++) {
            double[] p = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            assertArrayEquals(p, cam.cameraToWorld(cam.worldToCamera(p)), 1e-12);
        }
        float[] points = {1.5f, -2f, 0.25f, 0.1f, 0.2f, 0.3f};
        assertArrayEquals(points, cam.cameraToWorld(cam.worldToCamera(points)), 1e-6f);
        assertArrayEquals(new double[] {3, -4, 1.5}, cam.extrinsics().center(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, cam.worldToCamera(cam.extrinsics().center()), 1e-12);
        assertMessage(() -> cam.cameraToWorld(new float[] {1, 2}), "xyz", "multiple of 3", "got 2");
    }

    @Test
    void extrinsicsFromCenterStoresTheTranslation() {
        Rotation r = Rotation.aboutZ(Math.PI / 2);
        Camera.Extrinsics e = Camera.Extrinsics.fromCenter(r, new double[] {1, 2, 3});
        // t = −R·C = −(−2, 1, 3).
        assertArrayEquals(new double[] {2, -1, -3}, new double[] {e.tx(), e.ty(), e.tz()}, 1e-15);
        assertArrayEquals(new double[] {1, 2, 3}, e.center(), 1e-15);
        assertMessage(() -> new Camera.Extrinsics(null, 0, 0, 0), "worldToCamera", "null");
        assertMessage(() -> new Camera.Extrinsics(r, 0, Double.NaN, 0), "ty", "finite");
    }

    @Test
    void lookAtPutsTheTargetOnTheOpticalAxisWithUpUpward() {
        double[] eye = {3, -4, 1.5};
        double[] target = {0.2, 0.1, 0.9};
        Camera cam = camera(Camera.Intrinsics.pinhole(1000, 1000, 500, 500, 1000, 1000));
        double distance = Vec3.norm(Vec3.sub(target, eye));
        assertArrayEquals(new double[] {0, 0, distance}, cam.worldToCamera(target), 1e-12);
        double[] above = cam.worldToCamera(new double[] {target[0], target[1], target[2] + 0.2});
        double[] uv = cam.project(above[0], above[1], above[2], false);
        assertTrue(uv[1] < 500, "world up is up in the image: v = " + uv[1]);
        assertEquals(500, uv[0], 1e-9);
    }

    @Test
    void orbitEqualsLookAtWithZUp() {
        double[] target = {0.3, -0.2, 0.9};
        double el = 0.35;
        double az = 2.2;
        double d = 4.5;
        Camera.Extrinsics orbit = Camera.Extrinsics.orbit(el, az, d, target, 0);
        double[] centre = {target[0] + d * Math.cos(el) * Math.cos(az),
            target[1] + d * Math.cos(el) * Math.sin(az), target[2] + d * Math.sin(el)};
        assertArrayEquals(centre, orbit.center(), 1e-12);
        Camera.Extrinsics lookAt = Camera.Extrinsics.lookAt(centre, target, Z_UP);
        assertRotation(lookAt.worldToCamera(), orbit.worldToCamera(), "orbit vs lookAt");
        // Elevation > 0: the optical axis (row 2 of R, in world coordinates) points down.
        assertTrue(orbit.worldToCamera().get(2, 2) < 0);
        Camera cam = new Camera(Camera.Intrinsics.fromFieldOfView(1.0, 640, 480), orbit);
        assertArrayEquals(new double[] {0, 0, d}, cam.worldToCamera(target), 1e-12);
    }

    @Test
    void orbitHandlesTopDownViews() {
        double[] target = {1, 2, 0};
        double az = 0.6;
        for (double el : new double[] {Math.PI / 2, -Math.PI / 2}) {
            Camera.Extrinsics top = Camera.Extrinsics.orbit(el, az, 3, target, 0);
            assertArrayEquals(new double[] {1, 2, 3 * Math.signum(el)}, top.center(), 1e-12);
            Camera cam = new Camera(Camera.Intrinsics.pinhole(800, 800, 400, 300, 800, 600), top);
            assertArrayEquals(new double[] {0, 0, 3}, cam.worldToCamera(target), 1e-12);
            // Continuous with the views just off the pole.
            Camera.Extrinsics near = Camera.Extrinsics.orbit(el - 1e-7 * Math.signum(el), az, 3, target, 0);
            assertTrue(near.worldToCamera().approxEquals(top.worldToCamera(), 1e-6));
            // Image up of the downward camera is −(cos az, sin az, 0), the way it was facing.
            double sign = Math.signum(el);
            double[] ahead = cam.worldToCamera(new double[] {target[0] - sign * 0.1 * Math.cos(az),
                target[1] - sign * 0.1 * Math.sin(az), 0});
            double[] uv = cam.project(ahead[0], ahead[1], ahead[2], false);
            assertEquals(400, uv[0], 1e-9);
            assertTrue(uv[1] < 300, "v = " + uv[1]);
        }
    }

    @Test
    void positiveRollTurnsTheImageClockwise() {
        double[] target = {0, 0, 1};
        Camera.Intrinsics k = Camera.Intrinsics.pinhole(500, 500, 320, 240, 640, 480);
        Camera level = new Camera(k, Camera.Extrinsics.orbit(0, 0, 4, target, 0));
        // The camera sits on +X looking towards −X, so +Y is to its right.
        double[] right = {0, 0.5, 1};
        double[] uv = project(level, right);
        assertTrue(uv[0] > 320);
        assertEquals(240, uv[1], 1e-9);
        double[] small = project(new Camera(k, Camera.Extrinsics.orbit(0, 0, 4, target, 0.1)), right);
        assertTrue(small[1] > 240, "right of centre moves down: clockwise on screen");
        double[] quarter = project(new Camera(k, Camera.Extrinsics.orbit(0, 0, 4, target, Math.PI / 2)), right);
        assertArrayEquals(new double[] {320, 240 + (uv[0] - 320)}, quarter, 1e-9);
    }

    private static double[] project(Camera cam, double[] world) {
        double[] p = cam.worldToCamera(world);
        return cam.project(p[0], p[1], p[2], false);
    }

    @Test
    void orbitRejectsBadArguments() {
        double[] target = {0, 0, 0};
        assertMessage(() -> Camera.Extrinsics.orbit(2.0, 0, 1, target, 0), "elevation", "[−π/2, π/2]", "2.0");
        assertMessage(() -> Camera.Extrinsics.orbit(0.1, 0, 0, target, 0), "distance", "> 0");
        assertMessage(() -> Camera.Extrinsics.orbit(0.1, Double.NaN, 1, target, 0), "azimuth", "finite");
    }

    @Test
    void fieldOfViewIntrinsics() {
        Camera.Intrinsics k = Camera.Intrinsics.fromFieldOfView(Math.PI / 2, 640, 480);
        assertEquals(Camera.Intrinsics.pinhole(320.00000000000006, 320.00000000000006, 320, 240, 640, 480), k);
        assertEquals(320, k.fx(), 1e-12);
        assertFalse(k.hasDistortion());
        assertTrue(H36M_LIKE.hasDistortion());
        Camera cam = new Camera(k, Camera.Extrinsics.fromCenter(Rotation.identity(), new double[] {0, 0, 0}));
        assertEquals(640, cam.project(1, 0, 1, false)[0], 1e-12);
        assertMessage(() -> Camera.Intrinsics.fromFieldOfView(Math.PI, 640, 480), "horizontalFovRad", "(0, π)");
    }

    @Test
    void intrinsicsAreValidated() {
        assertMessage(() -> Camera.Intrinsics.pinhole(0, 1, 0, 0, 10, 10), "fx", "> 0", "got 0.0");
        assertMessage(() -> Camera.Intrinsics.pinhole(1, -1, 0, 0, 10, 10), "fy", "> 0");
        assertMessage(() -> Camera.Intrinsics.pinhole(1, 1, 0, 0, 0, 10), "width", "> 0", "got 0");
        assertMessage(() -> Camera.Intrinsics.pinhole(1, 1, 0, 0, 10, -3), "height", "> 0");
        assertMessage(() -> Camera.Intrinsics.pinhole(1, 1, Double.NaN, 0, 10, 10), "cx", "finite");
        assertMessage(() -> new Camera.Intrinsics(1, 1, 0, 0, 10, 10, 0, Double.POSITIVE_INFINITY, 0, 0, 0), "k2", "finite");
        assertMessage(() -> new Camera(null, Camera.Extrinsics.fromCenter(Rotation.identity(), new double[3])),
                "intrinsics", "null");
    }

    @Test
    void screenNormalisationFollowsVideoPose3DOnLandscapeFrames() {
        int w = 1920;
        int h = 1080;
        Random random = new Random(23);
        float[] pixels = new float[2000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 2 == 0 ? w * random.nextFloat() : h * random.nextFloat();
        }
        float[] norm = Camera.normalizeScreen(pixels, w, h);
        for (int i = 0; i < pixels.length; i += 2) {
            // VideoPose3D's normalize_screen_coordinates, X/w·2 − [1, h/w], to the bit.
            assertEquals((float) (pixels[i] / (double) w * 2 - 1), norm[i]);
            assertEquals((float) (pixels[i + 1] / (double) w * 2 - (double) h / w), norm[i + 1]);
        }
        float[] back = Camera.denormalizeScreen(norm, w, h);
        for (int i = 0; i < pixels.length; i += 2) {
            assertEquals((float) (((double) norm[i] + 1) * w / 2), back[i]);
            assertEquals((float) ((norm[i + 1] + (double) h / w) * w / 2), back[i + 1]);
        }
        assertArrayEquals(new float[] {-1, -0.5625f, 1, 0.5625f}, Camera.normalizeScreen(new float[] {0, 0, w, h}, w, h),
                1e-7f);
    }

    @Test
    void portraitFramesArePaddedToASquareBeforeNormalisation() {
        // 3DPW's phone video, 1080 × 1920: padded to 1920 × 1920 (AdaptPose sec. 6), the height fills [−1, 1] and the
        // width ±1080/1920, where VideoPose3D's formula would put the height at ±1.78.
        float[] corners = {0, 0, 1080, 1920, 540, 960};
        assertArrayEquals(new float[] {-0.5625f, -1, 0.5625f, 1, 0, 0}, Camera.normalizeScreen(corners, 1080, 1920),
                1e-7f);
        int w = 1000;
        int h = 1002;
        Random random = new Random(23);
        float[] pixels = new float[2000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 2 == 0 ? random.nextInt(w + 1) : h * random.nextFloat();
        }
        float[] norm = Camera.normalizeScreen(pixels, w, h);
        for (int i = 0; i < pixels.length; i += 2) {
            assertEquals((2 * pixels[i] - 1000) / 1002.0, norm[i], 1e-7);
            assertEquals((2 * pixels[i + 1] - 1002) / 1002.0, norm[i + 1], 1e-7);
        }
        // Both directions round to float, so the round trip is exact only up to half an ulp at 1002 px.
        float[] back = Camera.denormalizeScreen(norm, w, h);
        for (int i = 0; i < pixels.length; i++) {
            assertEquals(pixels[i], back[i], Math.ulp(1002f) / 2);
        }
        Camera cam = new Camera(H36M_LIKE, Camera.Extrinsics.fromCenter(Rotation.identity(), new double[3]));
        assertArrayEquals(norm, cam.normalizeScreen(pixels));
        assertArrayEquals(back, cam.denormalizeScreen(norm));
        assertMessage(() -> Camera.normalizeScreen(new float[3], w, h), "pixelsXY", "multiple of 2", "got 3");
        assertMessage(() -> Camera.denormalizeScreen(new float[2], 0, h), "width", "> 0");
    }

    @Test
    void theNormalisedPinholeProjectsAsNormalisingTheProjectedPixels() {
        for (Camera.Intrinsics k : List.of(Camera.Intrinsics.pinhole(1500, 1480, 530, 970, 1080, 1920),
                Camera.Intrinsics.pinhole(1145, 1144, 512, 515, 1000, 1002),
                Camera.Intrinsics.pinhole(3000, 3000, 950, 545, 1920, 1080))) {
            double[] p = k.normalisedPinhole();
            double x = 0.31;
            double y = -0.42;
            float[] pixels = {(float) (k.fx() * x + k.cx()), (float) (k.fy() * y + k.cy())};
            float[] expected = Camera.normalizeScreen(pixels, k.width(), k.height());
            assertEquals(expected[0], p[0] * x + p[2], 1e-6, k.toString());
            assertEquals(expected[1], p[1] * y + p[3], 1e-6, k.toString());
        }
    }
}
