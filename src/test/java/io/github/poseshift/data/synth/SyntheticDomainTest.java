package io.github.poseshift.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.geometry.Camera;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticDomainTest {

    /** A preset shrunk to two subjects and 2 s sequences, so tests stay fast. */
    static DomainSpec tiny(String preset) throws IOException {
        return Domains.parse("{\"extends\": \"" + preset + "\", \"name\": \"" + preset + "\","
                + " \"motion\": {\"subjects\": 2, \"framesPerSequence\": 60},"
                + " \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}", preset + "-tiny", null);
    }

    /** Fraction of noise-free projected joints that fall inside the image. */
    private static double insideImage(List<ViewSequence> views) {
        long inside = 0;
        long total = 0;
        for (ViewSequence v : views) {
            float[] world = v.poses().positions();
            for (int f = 0; f < v.numFrames(); f++) {
                Camera cam = v.camera(f);
                float[] px = cam.projectWorld(java.util.Arrays.copyOfRange(world, f * 51, f * 51 + 51), false);
                for (int j = 0; j < 17; j++) {
                    double u = px[2 * j];
                    double w = px[2 * j + 1];
                    total++;
                    if (u >= 0 && u < cam.intrinsics().width() && w >= 0 && w < cam.intrinsics().height()) {
                        inside++;
                    }
                }
            }
        }
        return (double) inside / total;
    }

    /** Elevation of the camera centre seen from the subject's root at frame 0, degrees. */
    private static double elevation(ViewSequence v) {
        double[] c = v.camera(0).extrinsics().center();
        double dx = c[0] - v.poses().get(0, 0, 0);
        double dy = c[1] - v.poses().get(0, 0, 1);
        double dz = c[2] - v.poses().get(0, 0, 2);
        return Math.toDegrees(Math.atan2(dz, Math.hypot(dx, dy)));
    }

    @Test
    void everyPresetFramesItsSubjects() throws IOException {
        for (String preset : Domains.PRESETS) {
            SyntheticDomain d = SyntheticDomain.generate(tiny(preset), 1);
            double inside = insideImage(d.views());
            assertTrue(inside > 0.97, preset + ": only " + inside + " of the joints are in the image");
            assertFalse(d.train().isEmpty());
            assertFalse(d.test().isEmpty());
            assertEquals(d.views().size(), d.train().size() + d.test().size());
        }
    }

    @Test
    void presetsDifferInTheirCameras() throws IOException {
        SyntheticDomain h36m = SyntheticDomain.generate(tiny("h36m-like"), 2);
        SyntheticDomain hp = SyntheticDomain.generate(tiny("3dhp-like"), 2);
        SyntheticDomain pw = SyntheticDomain.generate(tiny("3dpw-like"), 2);
        // A fixed lab rig: the same four cameras for every sequence.
        List<Camera> rig = h36m.views().stream().filter(v -> v.cameraIndex() == 0).map(v -> v.camera(0)).distinct().toList();
        assertEquals(1, rig.size());
        assertTrue(h36m.views().stream().noneMatch(ViewSequence::isMoving));
        assertTrue(pw.views().stream().allMatch(ViewSequence::isMoving));
        double maxH36m = h36m.views().stream().mapToDouble(SyntheticDomainTest::elevation).max().orElseThrow();
        double maxHp = hp.views().stream().mapToDouble(SyntheticDomainTest::elevation).max().orElseThrow();
        assertTrue(maxH36m < 25, "h36m-like elevation up to " + maxH36m);
        assertTrue(maxHp > 45, "3dhp-like elevation only up to " + maxHp);
    }

    @Test
    void detectionsFollowTheObservationModel() throws IOException {
        DomainSpec spec = tiny("3dpw-like");
        SyntheticDomain d = SyntheticDomain.generate(spec, 3);
        long zeros = 0;
        long all = 0;
        double squaredError = 0;
        long clean = 0;
        for (ViewSequence v : d.views()) {
            float[] kp = v.keypoints();
            float[] conf = v.confidence();
            float[] world = v.poses().positions();
            for (int f = 0; f < v.numFrames(); f++) {
                float[] px = v.camera(f).projectWorld(java.util.Arrays.copyOfRange(world, f * 51, f * 51 + 51), false);
                for (int j = 0; j < 17; j++) {
                    all++;
                    float c = conf[f * 17 + j];
                    if (c == 0) {
                        zeros++;
                    } else if (c == 1) {
                        clean++;
                        double du = kp[(f * 17 + j) * 2] - px[2 * j];
                        double dv = kp[(f * 17 + j) * 2 + 1] - px[2 * j + 1];
                        squaredError += du * du + dv * dv;
                    }
                }
            }
        }
        double dropout = (double) zeros / all;
        assertEquals(spec.observation().dropoutRate(), dropout, 0.02);
        double noise = Math.sqrt(squaredError / clean / 2);
        assertEquals(spec.observation().pixelNoiseStd(), noise, 0.5, "per-coordinate noise std");
    }

    @Test
    void sameSeedSameDomain() throws IOException {
        DomainSpec spec = tiny("ski-like");
        SyntheticDomain a = SyntheticDomain.generate(spec, 5);
        SyntheticDomain b = SyntheticDomain.generate(spec, 5);
        assertEquals(a.views().size(), b.views().size());
        for (int i = 0; i < a.views().size(); i++) {
            assertArrayEquals(a.views().get(i).keypoints(), b.views().get(i).keypoints());
        }
    }
}
