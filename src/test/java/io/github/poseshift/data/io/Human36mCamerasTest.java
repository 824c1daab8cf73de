package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.geometry.Camera;
import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Human36mCamerasTest {

    @TempDir
    Path dir;

    @Test
    void everyCameraSeesTheCaptureArea() {
        assertEquals(List.of("S1", "S5", "S6", "S7", "S8", "S9", "S11"), Human36mCameras.subjects());
        assertEquals(List.of("54138969", "55011271", "58860488", "60457274"), Human36mCameras.cameraIds());
        for (String subject : Human36mCameras.subjects()) {
            for (int c = 0; c < 4; c++) {
                Camera cam = Human36mCameras.camera(subject, c);
                double[] centre = cam.extrinsics().center();
                // Chest-high cameras about 5 m from the capture area's centre.
                assertTrue(centre[2] > 1.4 && centre[2] < 1.7, subject + " cam " + c + " height " + centre[2]);
                double distance = Math.hypot(centre[0], centre[1]);
                assertTrue(distance > 4 && distance < 6, subject + " cam " + c + " distance " + distance);
                // A pelvis at the origin, 0.9 m up, lands near the image centre.
                double[] pelvis = cam.worldToCamera(new double[] {0, 0, 0.9});
                double[] px = cam.project(pelvis[0], pelvis[1], pelvis[2], true);
                assertTrue(px[0] > 200 && px[0] < 800 && px[1] > 200 && px[1] < 800, subject + " cam " + c + " "
                        + px[0] + ", " + px[1]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Human36mCameras.camera("S2", 0));
        assertThrows(IllegalArgumentException.class, () -> Human36mCameras.camera("S1", 4));
    }

    @Test
    void projectsLikeVideoPose3D() throws IOException {
        // VideoPose3D's world_to_camera (qrot with the inverse quaternion, metres) and project_to_2d, in NumPy.
        String script = String.join("\n",
                "import sys, numpy as np",
                "v = np.array(open(sys.argv[1]).read().split(), dtype=np.float64)",
                "q, t, intr, X = v[:4], v[4:7], v[7:16], v[16:].reshape(-1, 3)",
                "def qrot(q, v):",
                "    qvec = np.tile(q[1:], (len(v), 1))",
                "    uv = np.cross(qvec, v); uuv = np.cross(qvec, uv)",
                "    return v + 2 * (q[0] * uv + uuv)",
                "qinv = q * np.array([1, -1, -1, -1])",
                "Xc = qrot(qinv, X - t)",
                "f, c, k, p = intr[:2], intr[2:4], intr[4:7], intr[7:9]",
                "XX = np.clip(Xc[:, :2] / Xc[:, 2:], -1, 1)",
                "r2 = np.sum(XX**2, axis=1, keepdims=True)",
                "radial = 1 + np.sum(k * np.concatenate((r2, r2**2, r2**3), axis=1), axis=1, keepdims=True)",
                "tan = np.sum(p * XX, axis=1, keepdims=True)",
                "XXX = XX * (radial + tan) + p * r2",
                "print(' '.join(repr(float(x)) for x in (f * XXX + c).ravel()))");
        // S11 camera 0 as printed in VideoPose3D's h36m_dataset.py (orientation w x y z, centre in metres).
        double[][] calibration = {
            {0.15232472121715546, -0.15442320704460144, -0.7547563314437866, 0.6191070079803467,
                2.098440185546875, 4.9265546875, 1.500278564453125},
        };
        Camera cam = Human36mCameras.camera("S11", 0);
        Camera.Intrinsics k = cam.intrinsics();
        Random rng = new Random(5);
        double[] points = new double[3 * 50];
        for (int i = 0; i < points.length; i += 3) {
            points[i] = rng.nextGaussian() * 0.8;
            points[i + 1] = rng.nextGaussian() * 0.8;
            points[i + 2] = 0.1 + 1.8 * rng.nextDouble();
        }
        StringJoiner in = new StringJoiner(" ");
        for (double v : calibration[0]) {
            in.add(Double.toString(v));
        }
        for (double v : new double[] {k.fx(), k.fy(), k.cx(), k.cy(), k.k1(), k.k2(), k.k3(), k.p1(), k.p2()}) {
            in.add(Double.toString(v));
        }
        for (double v : points) {
            in.add(Double.toString(v));
        }
        Path input = dir.resolve("in.txt");
        Files.writeString(input, in.toString());
        String[] expected = ReferencePython.run(script, dir, input.toString()).trim().split(" ");
        for (int n = 0; n < points.length / 3; n++) {
            double[] c = cam.worldToCamera(new double[] {points[3 * n], points[3 * n + 1], points[3 * n + 2]});
            double[] uv = cam.project(c[0], c[1], c[2], true);
            // 1e-4 px: the published quaternions are float32 with norms 1 ± 1e-7; we normalise, qrot does not.
            assertEquals(Double.parseDouble(expected[2 * n]), uv[0], 1e-4, "point " + n + " u");
            assertEquals(Double.parseDouble(expected[2 * n + 1]), uv[1], 1e-4, "point " + n + " v");
        }
    }
}
