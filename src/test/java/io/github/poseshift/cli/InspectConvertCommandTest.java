package io.github.poseshift.cli;

import static io.github.poseshift.cli.EvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectConvertCommandTest {

    @TempDir
    Path dir;

    @Test
    void inspectAndConvertARealBvh() throws IOException {
        Path bvh = SharedData.bandaiNamcoClips().resolve("dataset-1_walk_normal_001.bvh");
        EvalCommandTest.Run r = run("inspect", bvh.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(List.of("format", "skeleton", "joints", "fps", "sequences"), List.copyOf(o.keySet()));
        assertEquals("bvh", o.get("format").getAsString());
        assertEquals("bandai-namco", o.get("skeleton").getAsString());
        assertEquals(30.0, o.get("fps").getAsDouble(), 0.01);
        assertEquals(195, o.getAsJsonArray("sequences").get(0).getAsJsonObject().get("frames").getAsInt());

        Path out = dir.resolve("walk.npy");
        r = run("convert", bvh.toString(), "--skeleton", "h36m17", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        NpyArray poses = Npy.read(out);
        assertArrayEquals(new int[] {195, 17, 3}, poses.shape());
        // Metres, Z up: the head top of the first frame is well above the pelvis.
        float[] p = poses.toFloats();
        assertTrue(p[10 * 3 + 2] - p[2] > 0.5, "head " + p[32] + " pelvis " + p[2]);

        r = run("convert", bvh.toString(), "--out", out.toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("nothing was overwritten"), r.err());
    }

    @Test
    void convertPicksOneSequenceOfASynthArchive() throws IOException {
        Path synth = dir.resolve("synth");
        assertEquals(0, run("synth", "--domain", "ski-like", "--out", synth.toString(), "--subjects", "2", "--frames", "12")
                .code());
        Path npz = synth.resolve("poses.npz");
        EvalCommandTest.Run ambiguous = run("convert", npz.toString(), "--out", dir.resolve("a.npy").toString());
        assertTrue(ambiguous.err().contains("pick one with --sequence SUBJECT/ACTION, e.g. S1/ski_tuck_0"), ambiguous.err());
        assertFalse(Files.exists(dir.resolve("a.npy")));
        EvalCommandTest.Run r = run("convert", npz.toString(), "--out", dir.resolve("a.npy").toString(), "--sequence",
                "S2/turning_1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("12 frames x 17 joints x 3 (metres, Z up), 30.00 fps"), r.out());
        EvalCommandTest.Run i = run("inspect", npz.toString(), "--json");
        JsonObject o = JsonParser.parseString(i.out()).getAsJsonObject();
        assertEquals("poseshift-npz", o.get("format").getAsString());
        // 2 subjects x (8 ski_tuck + 2 turning sequences: twice the weights 4 and 1).
        assertEquals(2 * 10, o.getAsJsonArray("sequences").size());
    }

    @Test
    void badFilesAreOneLineWithExitTwo() throws IOException {
        Path truncated = dir.resolve("cut.bvh");
        String clip = Files.readString(SharedData.bandaiNamcoClips().resolve("dataset-1_walk_normal_001.bvh"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.writeString(truncated, clip.substring(0, clip.length() / 2), java.nio.charset.StandardCharsets.ISO_8859_1);
        EvalCommandTest.Run r = run("convert", truncated.toString(), "--out", dir.resolve("t.npy").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("poseshift convert: " + truncated + ": line "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("t.npy")));

        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "hello");
        r = run("inspect", txt.toString());
        assertTrue(r.err().contains("unknown file type '.txt'"), r.err());

        Path twoD = dir.resolve("kp.npz");
        io.github.poseshift.testing.ReferencePython.run(String.join("\n", "import numpy as np",
                "np.savez('kp.npz', positions_2d={'S1': {'Walk': [np.zeros((3, 17, 2), np.float32)]}},",
                "         metadata={'layout_name': 'h36m', 'num_joints': 17,",
                "                   'keypoints_symmetry': [[4, 5, 6, 11, 12, 13], [1, 2, 3, 14, 15, 16]]})"), dir);
        r = run("convert", twoD.toString(), "--out", dir.resolve("kp.npy").toString());
        assertTrue(r.err().contains("holds 2D keypoints only"), r.err());
        r = run("inspect", twoD.toString(), "--json");
        assertEquals("videopose3d-2d", JsonParser.parseString(r.out()).getAsJsonObject().get("format").getAsString());
    }
}
