package io.github.poseshift.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.SynthAction;
import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MotionSynthesizerTest {

    private static final double FPS = 50;
    private static final int FRAMES = 600;

    @Test
    void everyActionIsPlausible() {
        Kcs kcs = new Kcs(Skeletons.H36M17);
        for (SynthAction action : SynthAction.values()) {
            Body body = Body.ofHeight(1.75);
            double[] motion = MotionSynthesizer.simulate(action, body, FRAMES, FPS, 1.2, 1.2, 2.0,
                    new Random(action.ordinal()));
            String name = action.key();
            double[] firstLengths = kcs.boneLengths(java.util.Arrays.copyOfRange(motion, 0, 51), 3);
            double lowestSole = Double.POSITIVE_INFINITY;
            double maxLimbSpeed = 0;
            double maxRootSpeed = 0;
            for (int f = 0; f < FRAMES; f++) {
                double[] pose = java.util.Arrays.copyOfRange(motion, f * 51, f * 51 + 51);
                // Rigid body: every bone keeps its length in every frame.
                assertArrayEquals(firstLengths, kcs.boneLengths(pose, 3), 1e-9, name + " frame " + f);
                for (int foot : new int[] {3, 6}) {
                    lowestSole = Math.min(lowestSole, pose[foot * 3 + 2] - body.ankleHeight());
                }
                if (f > 0) {
                    for (int j = 0; j < 17; j++) {
                        double root = 0;
                        double limb = 0;
                        for (int a = 0; a < 3; a++) {
                            double dRoot = motion[f * 51 + a] - motion[(f - 1) * 51 + a];
                            double dJoint = motion[f * 51 + j * 3 + a] - motion[(f - 1) * 51 + j * 3 + a];
                            root += dRoot * dRoot;
                            limb += (dJoint - dRoot) * (dJoint - dRoot);
                        }
                        maxRootSpeed = Math.max(maxRootSpeed, Math.sqrt(root) * FPS);
                        maxLimbSpeed = Math.max(maxLimbSpeed, Math.sqrt(limb) * FPS);
                    }
                }
            }
            assertTrue(lowestSole > -0.02, name + ": a foot sinks " + lowestSole + " m into the floor");
            assertTrue(lowestSole < 0.02, name + ": the body floats, lowest sole " + lowestSole + " m");
            // Peak limb speeds relative to the pelvis: about 10-15 m/s for a fast kick, far less otherwise.
            assertTrue(maxLimbSpeed < 12, name + ": limb speed " + maxLimbSpeed + " m/s");
            double rootLimit = action == SynthAction.SKI_TUCK ? 45 : 12;
            assertTrue(maxRootSpeed < rootLimit, name + ": root speed " + maxRootSpeed + " m/s");
            assertTrue(maxLimbSpeed > 0.05, name + " does not move");
            if (action != SynthAction.SKI_TUCK) {
                // Subjects stay inside the 2 m capture area: beyond half its radius they turn back and slow
                // down while heading out, stopping at the edge (within a few centimetres: the speed falls per frame).
                for (int f = 0; f < FRAMES; f++) {
                    double r = Math.hypot(motion[f * 51], motion[f * 51 + 1]);
                    assertTrue(r < 2.2, name + " left the capture area: " + r + " m at frame " + f);
                }
            }
        }
    }

    @Test
    void sameSeedSameMotionOtherSeedOtherMotion() throws IOException {
        var spec = Domains.preset("h36m-like");
        List<PoseSequence> a = MotionSynthesizer.synthesize(spec, 7);
        List<PoseSequence> b = MotionSynthesizer.synthesize(spec, 7);
        List<PoseSequence> c = MotionSynthesizer.synthesize(spec, 8);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).positions(), b.get(i).positions());
        }
        assertTrue(!java.util.Arrays.equals(a.get(0).positions(), c.get(0).positions()));
        // 7 subjects, each action 2 x weight sequences (walking 4, squatting 1, the others 2).
        assertEquals(7 * 17, a.size());
        assertEquals(500, a.get(0).numFrames());
    }

    @Test
    void subjectsDifferInSizeButKeepTheirOwnBones() throws IOException {
        var spec = Domains.preset("3dhp-like");
        List<PoseSequence> all = MotionSynthesizer.synthesize(spec, 3);
        Kcs kcs = new Kcs(Skeletons.H36M17);
        double s1 = -1;
        double s2 = -1;
        for (PoseSequence seq : all) {
            double thigh = kcs.boneLengths(seq.toPoseArray().pose(0), 3)[1];
            if (seq.subject().equals("S1")) {
                if (s1 > 0) {
                    // float32 storage: lengths agree to a few micrometres across the subject's sequences.
                    assertEquals(s1, thigh, 5e-6);
                }
                s1 = thigh;
            } else if (seq.subject().equals("S2")) {
                s2 = thigh;
            }
        }
        assertTrue(Math.abs(s1 - s2) > 1e-3, "two subjects with the same thigh: " + s1 + " " + s2);
    }

    @Test
    void standingBodyHasItsHeight() {
        Body body = Body.ofHeight(1.80);
        Posture p = new Posture();
        p.reset();
        double[] pose = p.positions(body, 0, 0);
        double shift = MotionSynthesizer.groundingShift(pose, body, false);
        // Head top above the floor: the height, less a little for the bent knees of relaxed standing.
        double top = pose[10 * 3 + 2] + shift;
        assertTrue(top > 1.77 && top <= 1.80 + 1e-9, "head top at " + top);
        // Left joints are on the body's left (+y when facing +x).
        assertTrue(pose[11 * 3 + 1] > 0 && pose[14 * 3 + 1] < 0);
    }
}
