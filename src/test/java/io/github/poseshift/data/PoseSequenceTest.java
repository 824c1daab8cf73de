package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeletons;
import org.junit.jupiter.api.Test;

class PoseSequenceTest {

    private static float[] frames(int n, int joints) {
        float[] p = new float[n * joints * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = i * 0.01f;
        }
        return p;
    }

    @Test
    void holdsFramesAndConverts() {
        PoseSequence s = new PoseSequence(Skeletons.MPI_INF_3DHP17, "S1", "walk", 25, frames(4, 17));
        assertEquals(4, s.numFrames());
        assertEquals(0.16, s.durationSeconds(), 1e-12);
        assertEquals(0.03f, s.get(0, 1, 0), 0);
        PoseSequence h36m = s.mapped(JointMap.mpiInf3dhpToH36m());
        assertEquals(Skeletons.H36M17, h36m.skeleton());
        // H36M Hip is 3DHP pelvis (index 14).
        assertEquals(s.get(2, 14, 1), h36m.get(2, 0, 1), 0);
        assertEquals(2, s.slice(1, 3).numFrames());
        assertArrayEquals(s.positions(), s.toPoseArray().toFloats());
    }

    @Test
    void badInputNamesTheSequence() {
        float[] nan = frames(2, 17);
        nan[17 * 3 + 4 * 3 + 2] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PoseSequence(Skeletons.H36M17, "S9", "sit", 50, nan));
        assertTrue(e.getMessage().contains("sequence S9/sit: non-finite position at frame 1, joint 'LHip'"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PoseSequence(Skeletons.H36M17, "S9", "sit", 0, frames(1, 17))).getMessage().contains("fps"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PoseSequence(Skeletons.H36M17, "S9", "sit", 50, new float[50])).getMessage().contains("[frames][17][3]"));
        assertThrows(IllegalArgumentException.class,
                () -> new PoseSequence(Skeletons.H36M17, "S9", "sit", 50, frames(1, 17)).mapped(JointMap.mpiInf3dhpToH36m()));
    }
}
