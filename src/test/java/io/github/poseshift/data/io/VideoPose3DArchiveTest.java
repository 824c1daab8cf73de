package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.io.VideoPose3DArchive.JointSelection;
import io.github.poseshift.data.io.VideoPose3DArchive.Keypoints2D;
import io.github.poseshift.data.io.VideoPose3DArchive.Poses2D;
import io.github.poseshift.data.io.VideoPose3DArchive.Poses3D;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeleton.JointPair;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VideoPose3D-layout archives written by the reference NumPy. */
class VideoPose3DArchiveTest {

    @TempDir
    Path dir;

    /** The 3D file: value (frame, joint, axis) = (flat index + offset) * 0.001 in float32. */
    private static final String WRITE_3D = String.join("\n",
            "import numpy as np",
            "def seq(n, joints, offset, dtype=np.float32):",
            "    a = np.arange(n * joints * 3, dtype=dtype).reshape(n, joints, 3) + dtype(offset)",
            "    return a * dtype(0.001)",
            "np.savez_compressed('data_3d_h36m.npz', positions_3d={",
            "    'S1': {'Walking': seq(4, 32, 0), 'Sitting 1': seq(3, 32, 1000)},",
            "    'S5': {'Eating': seq(2, 32, 2000)}})",
            "# VideoPose3D's Skeleton.remove_joints keeps the joints not listed, in order:",
            "removed = [4, 5, 9, 10, 11, 16, 20, 21, 22, 23, 24, 28, 29, 30, 31]",
            "kept = [j for j in range(32) if j not in removed]",
            "np.save('walking17.npy', seq(4, 32, 0)[:, kept])",
            "np.savez('data_3d_3dhp.npz', positions_3d={'TS1': {'Seq1': seq(5, 17, 7, np.float64)}})");

    private static float[] expected(int frames, int joints, int offset) {
        float[] v = new float[frames * joints * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((float) i + (float) offset) * 0.001f;
        }
        return v;
    }

    @Test
    void h36m32SkeletonIsVideoPose3Ds() {
        Skeleton s = VideoPose3DArchive.H36M32;
        assertEquals(32, s.numJoints());
        assertArrayEquals(new int[] {-1, 0, 1, 2, 3, 4, 0, 6, 7, 8, 9, 0, 11, 12, 13, 14, 12, 16, 17, 18, 19, 20, 19, 22,
                12, 24, 25, 26, 27, 28, 27, 30}, s.parents());
        assertArrayEquals(new int[] {6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23}, s.leftJoints());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 24, 25, 26, 27, 28, 29, 30, 31}, s.rightJoints());
        // The selection keeps H36M-17's left/right pairs mirror images of each other.
        var map = VideoPose3DArchive.h36m32ToH36m17();
        for (JointPair p : Skeletons.H36M17.pairs()) {
            assertEquals(map.sourcesOf(p.right())[0], s.mirror(map.sourcesOf(p.left())[0]), p.toString());
        }
        // and every kept joint's parent chain in H36M-32 reaches its H36M-17 parent, except the
        // shoulders: their chain reaches Spine1 (H36M-17's Spine), and VideoPose3D's Human36mDataset
        // rewires them to the Thorax after remove_joints (_parents[11] = _parents[14] = 8).
        for (int t = 0; t < 17; t++) {
            int parent17 = Skeletons.H36M17.parent(t);
            if (parent17 < 0) {
                continue;
            }
            boolean shoulder = t == 11 || t == 14;
            assertEquals(shoulder ? 8 : parent17, parent17);
            int target = map.sourcesOf(shoulder ? 7 : parent17)[0];
            int j = s.parent(map.sourcesOf(t)[0]);
            while (j != target && j >= 0) {
                j = s.parent(j);
            }
            assertEquals(target, j, "ancestor of " + Skeletons.H36M17.jointName(t));
        }
    }

    @Test
    void reads32JointH36mReducedTo17() throws IOException {
        ReferencePython.run(WRITE_3D, dir);
        Poses3D poses = VideoPose3DArchive.readH36m3d(dir.resolve("data_3d_h36m.npz"));
        assertEquals(32, poses.sourceJoints());
        assertEquals(JointSelection.SELECTED_17_OF_32, poses.selection());
        List<PoseSequence> seqs = poses.sequences();
        assertEquals(List.of("S1/Walking", "S1/Sitting 1", "S5/Eating"),
                seqs.stream().map(s -> s.subject() + "/" + s.action()).toList());
        for (PoseSequence s : seqs) {
            assertEquals(Skeletons.H36M17, s.skeleton());
            assertEquals(50.0, s.fps());
        }
        assertEquals(4, seqs.get(0).numFrames());
        assertEquals(3, seqs.get(1).numFrames());
        assertEquals(2, seqs.get(2).numFrames());
        // Same values as NumPy's a[:, kept] with VideoPose3D's kept joints.
        assertArrayEquals(Npy.read(dir.resolve("walking17.npy")).toFloats(), seqs.get(0).positions());
        PoseSequence eating32 = new PoseSequence(VideoPose3DArchive.H36M32, "S5", "Eating", 50, expected(2, 32, 2000));
        assertArrayEquals(eating32.mapped(VideoPose3DArchive.h36m32ToH36m17()).positions(), seqs.get(2).positions());
    }

    @Test
    void reads32JointH36mKeptWhole() throws IOException {
        ReferencePython.run(WRITE_3D, dir);
        Poses3D poses = VideoPose3DArchive.read3d(dir.resolve("data_3d_h36m.npz"), VideoPose3DArchive.H36M_FPS, false);
        assertEquals(JointSelection.KEPT_32, poses.selection());
        PoseSequence sitting = poses.sequences().get(1);
        assertEquals(VideoPose3DArchive.H36M32, sitting.skeleton());
        assertArrayEquals(expected(3, 32, 1000), sitting.positions());
    }

    @Test
    void reads17JointFloat64FilesWithoutSelection() throws IOException {
        ReferencePython.run(WRITE_3D, dir);
        Poses3D poses = VideoPose3DArchive.read3d(dir.resolve("data_3d_3dhp.npz"), 25, true);
        assertEquals(17, poses.sourceJoints());
        assertEquals(JointSelection.ALREADY_17, poses.selection());
        PoseSequence s = poses.sequences().get(0);
        assertEquals("TS1", s.subject());
        assertEquals("Seq1", s.action());
        assertEquals(25.0, s.fps());
        assertEquals(Skeletons.H36M17, s.skeleton());
        float[] want = new float[5 * 17 * 3];
        for (int i = 0; i < want.length; i++) {
            want[i] = (float) ((i + 7.0) * 0.001); // float64 in the file, rounded once to float32
        }
        assertArrayEquals(want, s.positions());
    }

    @Test
    void reads2dKeypointsAndMetadata() throws IOException {
        ReferencePython.run(String.join("\n",
                "import numpy as np",
                "def cam(n, c, dtype=np.float32):",
                "    return (np.arange(n * 17 * 2, dtype=dtype).reshape(n, 17, 2) + dtype(100 * c)) / dtype(4)",
                "np.savez_compressed('data_2d_h36m_gt.npz',",
                "    positions_2d={'S1': {'Walking': [cam(3, c) for c in range(4)]},",
                "                  'S5': {'Eating': [cam(2, c, np.float64) for c in range(4)]}},",
                "    metadata={'layout_name': 'h36m', 'num_joints': 17,",
                "              'keypoints_symmetry': [[4, 5, 6, 11, 12, 13], [1, 2, 3, 14, 15, 16]]})"), dir);
        Poses2D poses = VideoPose3DArchive.read2d(dir.resolve("data_2d_h36m_gt.npz"));
        assertEquals("h36m", poses.metadata().layoutName());
        assertEquals(17, poses.metadata().numJoints());
        assertArrayEquals(new int[] {4, 5, 6, 11, 12, 13}, poses.metadata().leftJoints());
        assertArrayEquals(new int[] {1, 2, 3, 14, 15, 16}, poses.metadata().rightJoints());
        List<Keypoints2D> tracks = poses.tracks();
        assertEquals(8, tracks.size());
        for (int k = 0; k < 8; k++) {
            Keypoints2D t = tracks.get(k);
            int c = k % 4;
            assertEquals(k < 4 ? "S1" : "S5", t.subject());
            assertEquals(k < 4 ? "Walking" : "Eating", t.action());
            assertEquals(c, t.camera());
            assertEquals(k < 4 ? 3 : 2, t.numFrames());
            assertEquals(17, t.numJoints());
            float[] want = new float[t.numFrames() * 17 * 2];
            for (int i = 0; i < want.length; i++) {
                want[i] = k < 4 ? ((float) i + 100f * c) / 4f : (float) ((i + 100.0 * c) / 4.0);
            }
            assertArrayEquals(want, t.keypoints(), t.toString());
            assertEquals(want[2 * 17 * 2 - 1], t.get(1, 16, 1));
        }
    }

    @Test
    void errorsNameTheFileAndKeyPath() throws IOException {
        ReferencePython.run(String.join("\n",
                "import numpy as np",
                "ok2d = [np.zeros((2, 17, 2), np.float32)]",
                "meta = {'layout_name': 'h36m', 'num_joints': 17, 'keypoints_symmetry': [[4], [1]]}",
                "np.savez('no_key.npz', poses=np.zeros((2, 17, 3)))",
                "np.savez('bad_shape.npz', positions_3d={'S1': {'Walking': np.zeros((2, 32, 2), np.float32)}})",
                "np.savez('bad_joints.npz', positions_3d={'S1': {'Walking': np.zeros((2, 20, 3), np.float32)}})",
                "np.savez('int_array.npz', positions_3d={'S1': {'Walking': np.zeros((2, 17, 3), np.int64)}})",
                "np.savez('bad_nesting.npz', positions_3d={'S1': [np.zeros((2, 32, 3), np.float32)]})",
                "np.savez('mixed.npz', positions_3d={'S1': {'A': np.zeros((2, 32, 3)), 'B': np.zeros((2, 17, 3))}})",
                "np.savez('nan.npz', positions_3d={'S1': {'A': np.full((2, 17, 3), np.nan)}})",
                "np.savez('no_meta.npz', positions_2d={'S1': {'Walking': ok2d}})",
                "np.savez('meta_key.npz', positions_2d={'S1': {'Walking': ok2d}},",
                "         metadata={'layout_name': 'h36m', 'keypoints_symmetry': [[4], [1]]})",
                "np.savez('cam_joints.npz', positions_2d={'S1': {'Walking': ok2d + [np.zeros((2, 16, 2))]}},",
                "         metadata=meta)",
                "np.savez('cam_list.npz', positions_2d={'S1': {'Walking': np.zeros((2, 17, 2))}}, metadata=meta)"), dir);
        assertError("no_key.npz", false, "missing entry 'positions_3d' (the archive holds [poses])");
        assertError("bad_shape.npz", false, "positions_3d/S1/Walking: expected a float array [frames, 17 or 32, 3], "
                + "got a float32 array of shape (2, 32, 2)");
        assertError("bad_joints.npz", false, "positions_3d/S1/Walking: expected 17 or 32 joints");
        assertError("int_array.npz", false, "positions_3d/S1/Walking: expected a float array [frames, 17 or 32, 3], "
                + "got an int64 array of shape (2, 17, 3)");
        assertError("bad_nesting.npz", false, "positions_3d/S1: expected a dict action -> array [frames, joints, 3], "
                + "got a list");
        assertError("mixed.npz", false, "positions_3d/S1/B: has 17 joints but positions_3d/S1/A has 32");
        assertError("nan.npz", false, "positions_3d/S1/A: sequence S1/A: non-finite position at frame 0");
        assertError("no_meta.npz", true, "missing entry 'metadata'");
        assertError("meta_key.npz", true, "metadata/num_joints: missing");
        assertError("cam_joints.npz", true, "positions_2d/S1/Walking/1: expected 17 joints (metadata/num_joints)");
        assertError("cam_list.npz", true, "positions_2d/S1/Walking: expected a list of per-camera arrays");
    }

    private void assertError(String name, boolean twoD, String problemStart) {
        Path file = dir.resolve(name);
        FormatException e = assertThrows(FormatException.class,
                () -> {
                    if (twoD) {
                        VideoPose3DArchive.read2d(file);
                    } else {
                        VideoPose3DArchive.read3d(file, 50, true);
                    }
                }, name);
        assertEquals(file.toString(), e.source(), e.getMessage());
        assertTrue(e.problem().startsWith(problemStart), e.getMessage());
    }

    @Test
    void plainNpzReadingStillRefusesObjectArrays() throws IOException {
        ReferencePython.run(WRITE_3D, dir);
        FormatException e = assertThrows(FormatException.class, () -> Npz.read(dir.resolve("data_3d_3dhp.npz")));
        assertTrue(e.getMessage().contains("object arrays"), e.getMessage());
    }
}
