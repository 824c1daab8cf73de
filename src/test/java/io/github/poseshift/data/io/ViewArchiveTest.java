package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewArchiveTest {

    @TempDir
    Path dir;

    private static List<ViewSequence> views(String preset) throws IOException {
        var spec = Domains.parse("{\"extends\": \"" + preset + "\", \"name\": \"" + preset + "\","
                + " \"motion\": {\"subjects\": 2, \"framesPerSequence\": 20,"
                + " \"actions\": {\"walking\": 1, \"waving\": 0.5}},"
                + " \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}", preset, null);
        return SyntheticDomain.generate(spec, 9).views();
    }

    @Test
    void readsBackBitExactlyStaticAndMovingCameras() throws IOException {
        for (String preset : List.of("h36m-like", "3dpw-like")) {
            List<ViewSequence> original = views(preset);
            Path folder = dir.resolve(preset);
            ViewArchive.write(folder, original);
            List<ViewSequence> back = ViewArchive.read(folder, Skeletons.H36M17);
            assertEquals(original.size(), back.size());
            for (int i = 0; i < back.size(); i++) {
                ViewSequence a = original.get(i);
                ViewSequence b = back.get(i);
                assertArrayEquals(a.poses().positions(), b.poses().positions());
                assertArrayEquals(a.keypoints(), b.keypoints());
                assertArrayEquals(a.confidence(), b.confidence());
                assertEquals(a.cameras(), b.cameras(), "cameras of view " + i);
                assertEquals(a.poses().action(), b.poses().action());
                assertEquals(a.poses().fps(), b.poses().fps());
            }
        }
    }

    @Test
    void numpyLoadsTheArraysWithoutPickle() throws IOException {
        ViewArchive.write(dir.resolve("d"), views("h36m-like"));
        String out = ReferencePython.run(String.join("\n",
                "import numpy as np",
                "z = np.load('d/poses.npz', allow_pickle=False)",
                "keys = sorted(z.keys())",
                "assert 'positions_3d/S1/walking_0' in keys, keys[:5]",
                "assert z['positions_3d/S1/walking_0'].shape == (20, 17, 3)",
                "assert z['positions_2d/S1/walking_0/cam3'].shape == (20, 17, 2)",
                "assert z['confidence/S2/waving_0/cam0'].dtype == np.float32",
                "print(len(keys))"), dir);
        // 2 subjects x 3 sequences (walking x2, waving x1) x (1 + 4 cameras x 2 arrays).
        assertEquals(2 * 3 * 9, Integer.parseInt(out.strip()));
    }

    @Test
    void neverOverwritesAndNamesMissingArrays() throws IOException {
        Path folder = dir.resolve("x");
        ViewArchive.write(folder, views("h36m-like"));
        FormatException e = assertThrows(FormatException.class, () -> ViewArchive.write(folder, views("h36m-like")));
        assertTrue(e.getMessage().contains("nothing was overwritten"), e.getMessage());

        Npz.write(folder.resolve("poses.npz"), java.util.Map.of("positions_3d/S1/walking_0",
                NpyArray.ofFloats(new float[20 * 51], 20, 17, 3)), false);
        e = assertThrows(FormatException.class, () -> ViewArchive.read(folder, Skeletons.H36M17));
        assertTrue(e.getMessage().contains("missing array 'positions_2d/S1/walking_0/cam0'"), e.getMessage());
        e = assertThrows(FormatException.class, () -> ViewArchive.read(folder, Skeletons.MPI_INF_3DHP17));
        assertTrue(e.getMessage().contains("expected sequences on skeleton 'mpi_inf_3dhp17'"), e.getMessage());
        Files.writeString(folder.resolve("cameras.json"), "{broken");
        e = assertThrows(FormatException.class, () -> ViewArchive.read(folder, Skeletons.H36M17));
        assertTrue(e.getMessage().startsWith(folder.resolve("cameras.json") + ": not valid JSON"), e.getMessage());
    }
}
