package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BvhTest {

    /** A root with the given channels and one child at OFFSET (0, 1, 0) with an End Site. */
    private static String chain(String rootChannels, String motionLine) {
        int count = rootChannels.split(" ").length;
        return "HIERARCHY\nROOT root\n{\n  OFFSET 0 0 0\n  CHANNELS " + count + " " + rootChannels + "\n"
                + "  JOINT child\n  {\n    OFFSET 0 1 0\n    CHANNELS 0\n    End Site\n    {\n      OFFSET 0 0 2\n    }\n  }\n}\n"
                + "MOTION\nFrames: 1\nFrame Time: 0.04\n" + motionLine + "\n";
    }

    @Test
    void forwardKinematicsByHand() throws FormatException {
        // Zrotation 90 turns the child's offset (0, 1, 0) into (-1, 0, 0); the End Site (0, 0, 2) stays.
        BvhClip clip = Bvh.parse(chain("Xposition Yposition Zposition Zrotation", "1 2 3 90"), "z.bvh");
        assertEquals(25.0, clip.fps(), 1e-12);
        assertEquals(java.util.List.of("root", "child", "child_End"), clip.jointNames());
        assertArrayEquals(new double[] {1, 2, 3, 0, 2, 3, 0, 2, 5}, clip.fileSpacePositions(), 1e-12);
    }

    @Test
    void rotationOrderFollowsTheChannelOrder() throws FormatException {
        // Rz(90)·Rx(90) maps (0, 1, 0) to (0, 0, 1); Rx(90)·Rz(90) maps it to (-1, 0, 0).
        double[] zx = Bvh.parse(chain("Zrotation Xrotation", "90 90"), "zx.bvh").fileSpacePositions();
        double[] xz = Bvh.parse(chain("Xrotation Zrotation", "90 90"), "xz.bvh").fileSpacePositions();
        assertArrayEquals(new double[] {0, 0, 1}, java.util.Arrays.copyOfRange(zx, 3, 6), 1e-12);
        assertArrayEquals(new double[] {-1, 0, 0}, java.util.Arrays.copyOfRange(xz, 3, 6), 1e-12);
    }

    @Test
    void positionChannelsOfAnyJointReplaceItsOffset() throws FormatException {
        String text = "HIERARCHY\nROOT r\n{\n OFFSET 0 0 0\n CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
                + " JOINT c\n {\n  OFFSET 1 0 0\n  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
                + "  End Site\n  {\n   OFFSET 0 0 0\n  }\n }\n}\nMOTION\nFrames: 2\nFrame Time: 0.0333333\n"
                + "0 0 0 0 0 0 0 2 0 0 0 0\n0 0 0 0 0 0 1 0 0 0 0 0\n";
        BvhClip clip = Bvh.parse(text, "six.bvh");
        double[] p = clip.fileSpacePositions();
        assertArrayEquals(new double[] {0, 2, 0}, java.util.Arrays.copyOfRange(p, 3, 6), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0}, java.util.Arrays.copyOfRange(p, 12, 15), 1e-12);
    }

    @Test
    void yUpBecomesZUpInMetres() throws FormatException {
        // A 1.7 m vertical chain along file +Y, in centimetres: detected as cm, standing along world +Z.
        String text = "HIERARCHY\nROOT feet\n{\n OFFSET 0 0 0\n CHANNELS 3 Xposition Yposition Zposition\n"
                + " JOINT head\n {\n  OFFSET 0 170 10\n  CHANNELS 0\n  End Site\n  {\n   OFFSET 0 0 0\n  }\n }\n}\n"
                + "MOTION\nFrames: 1\nFrame Time: 0.02\n0 0 0\n";
        BvhClip clip = Bvh.parse(text, "tall.bvh");
        assertEquals(BvhUnit.CM, clip.resolveUnit(BvhUnit.AUTO));
        float[] w = clip.worldPositions(BvhUnit.AUTO);
        // File (0, 170, 10) cm -> world (0, -0.10, 1.70) m: x stays, -z becomes y, y becomes z.
        assertArrayEquals(new float[] {0, -0.1f, 1.7f}, java.util.Arrays.copyOfRange(w, 3, 6), 1e-6f);
        assertArrayEquals(new float[] {0, -0.254f, 4.318f},
                java.util.Arrays.copyOfRange(clip.worldPositions(BvhUnit.INCH), 3, 6), 1e-6f);
    }

    @Test
    void badFilesNameFileLineAndProblem() {
        String good = chain("Zrotation", "90");
        assertProblem(good.replace("\n90\n", "\n90 1\n"), "line 19: frame 0 has 2 values but the hierarchy declares 1 channels");
        assertProblem(good.replace("Frames: 1", "Frames: 3"), "truncated: 3 frames declared, 1 present");
        // A count no file holds is refused from the lines there are, before the frames are allocated.
        assertProblem(good.replace("Frames: 1", "Frames: 2000000000"), "truncated: 2000000000 frames declared, 1 present");
        assertProblem(good.replace("Frames: 1", "Frames: 0"), "the clip declares 0 frames");
        assertProblem(good.replace("\n90\n", "\nninety\n"), "line 19: value 1 'ninety' is not a number");
        assertProblem(good.replace("CHANNELS 1 Zrotation", "CHANNELS 1 Wrotation"), "line 5: unknown channel 'Wrotation'");
        assertProblem(good.replace("    CHANNELS 0\n", "    CHANNELS 0\n    Bone\n"), "expected JOINT, End Site or '}'");
        assertProblem(good.substring(0, good.indexOf("MOTION")), "no MOTION section");
        assertProblem(good.replace("Frame Time: 0.04", "Frame Time: 0"), "frame time must be positive");
        assertProblem(good.replace("OFFSET 0 1 0", "OFFSET 0 one 0"), "line 8: expected a number, found 'one'");
        assertProblem("HIERARCHY\nROOT r\n{\n OFFSET 0 0 0\n", "unexpected end of the hierarchy");
        FormatException e = assertThrows(FormatException.class, () -> Bvh.parse(
                "HIERARCHY\nROOT r\n{\n OFFSET 0 0 0\n CHANNELS 3 Xposition Yposition Zposition\n}\nMOTION\nFrames: 1\n"
                        + "Frame Time: 0.1\n0 0 0\n", "flat.bvh").resolveUnit(BvhUnit.AUTO));
        assertTrue(e.getMessage().contains("cannot tell the unit from the body height of 0"), e.getMessage());
    }

    private static void assertProblem(String text, String fragment) {
        FormatException e = assertThrows(FormatException.class, () -> Bvh.parse(text, "walk_01.bvh"));
        assertTrue(e.getMessage().startsWith("walk_01.bvh: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
