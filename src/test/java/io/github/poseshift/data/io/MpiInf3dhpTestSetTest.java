package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A MATLAB v7.3 file in the 3DHP test-set layout, written with h5py (a 512-byte MATLAB header, then HDF5). */
class MpiInf3dhpTestSetTest {

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void needH5py() {
        ReferencePython.requireModule("h5py");
    }

    private static final String WRITER = String.join("\n",
            "import sys, numpy as np, h5py",
            "rng = np.random.default_rng(0)",
            "n = 40",
            "annot3 = rng.normal(0, 300, (n, 1, 17, 3)); annot3[..., 2] += 4000",
            "annot3[..., 1] -= 200",
            "fx, fy, cx, cy = 1500.07, 1500.66, 1017.38, 1043.06",
            "annot2 = np.stack([fx * annot3[..., 0] / annot3[..., 2] + cx, fy * annot3[..., 1] / annot3[..., 2] + cy], -1)",
            "valid = np.ones((n, 1)); valid[10:13] = 0",
            "activity = np.ones((n, 1)); activity[20:] = 5",
            "with h5py.File(sys.argv[1], 'w', userblock_size=512) as f:",
            "    f['univ_annot3'] = annot3; f['annot3'] = annot3 * 1.1; f['annot2'] = annot2",
            "    f['valid_frame'] = valid; f['activity_annotation'] = activity",
            "with open(sys.argv[1], 'r+b') as f:",
            "    f.write(b'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .')",
            "np.save(sys.argv[2], annot3[:, 0].astype(np.float32))",
            "np.save(sys.argv[3], annot2[:, 0].astype(np.float32))");

    @Test
    void readsRunsOfValidFramesPerActivityInAZUpWorld() throws IOException {
        Path mat = dir.resolve("annot_data.mat");
        ReferencePython.run(WRITER, dir, mat.toString(), dir.resolve("a3.npy").toString(), dir.resolve("a2.npy").toString());
        List<ViewSequence> views = MpiInf3dhpTestSet.read(mat, "TS1", 50, 2048, 2048);
        // Frames 0-9 and 13-19 standing/walking (10-12 invalid), 20-39 on the floor.
        assertEquals(List.of(10, 7, 20), views.stream().map(ViewSequence::numFrames).toList());
        assertEquals(List.of("Standing/Walking", "Standing/Walking", "On the floor"),
                views.stream().map(v -> v.poses().action()).toList());
        var k = views.get(0).camera(0).intrinsics();
        assertEquals(1500.07, k.fx(), 1e-2);
        assertEquals(1043.06, k.cy(), 1e-2);
        assertEquals(2048, k.width());

        // The camera-frame poses (metres, H36M order) come back through the camera; the world is Z up.
        JointMap map = JointMap.mpiInf3dhpToH36m();
        float[] annot3 = map.apply(Npy.read(dir.resolve("a3.npy")).toFloats(), 3);
        float[] annot2 = map.apply(Npy.read(dir.resolve("a2.npy")).toFloats(), 2);
        ViewSequence second = views.get(1);
        float[] cam = second.cameraPositions();
        for (int i = 0; i < cam.length; i++) {
            assertEquals(annot3[13 * 51 + i] / 1000f, cam[i], 1e-6f);
        }
        assertArrayEquals(Arrays.copyOfRange(annot2, 13 * 34, 20 * 34), second.keypoints());
        // Camera y points down, so a joint lower in the image (larger camera y) is lower in the world.
        assertEquals(-cam[1], second.poses().get(0, 0, 2), 1e-6f);
        assertEquals(50.0, second.poses().fps());
    }

    @Test
    void badFilesNameTheProblem() throws IOException {
        Path notHdf = dir.resolve("old.mat");
        Files.write(notHdf, new byte[2048]);
        FormatException e = assertThrows(FormatException.class, () -> MpiInf3dhpTestSet.read(notHdf, "TS1", 50, 2048, 2048));
        assertTrue(e.getMessage().contains("not a readable MATLAB v7.3 (HDF5) file"), e.getMessage());

        Path missing = dir.resolve("missing.mat");
        ReferencePython.run(String.join("\n", "import sys, numpy as np, h5py",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f['annot3'] = np.zeros((5, 1, 17, 3)) + 1000; f['annot2'] = np.zeros((5, 1, 17, 2))",
                "    f['valid_frame'] = np.ones((5, 1))"), dir, missing.toString());
        e = assertThrows(FormatException.class, () -> MpiInf3dhpTestSet.read(missing, "TS1", 50, 2048, 2048));
        assertTrue(e.getMessage().contains("no dataset 'activity_annotation'"), e.getMessage());

        Path shape = dir.resolve("shape.mat");
        ReferencePython.run(String.join("\n", "import sys, numpy as np, h5py",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f['univ_annot3'] = np.zeros((5, 1, 16, 3))"), dir, shape.toString());
        e = assertThrows(FormatException.class, () -> MpiInf3dhpTestSet.read(shape, "TS1", 50, 2048, 2048));
        assertTrue(e.getMessage().contains("univ_annot3 has dimensions [5, 1, 16, 3]; expected [frames, 1, 17, 3]"),
                e.getMessage());
    }
}
