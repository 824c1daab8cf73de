package io.github.poseshift.cli;

import static io.github.poseshift.cli.EvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.data.io.Npz;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesImagesAndLabels() throws IOException {
        Path out = dir.resolve("ski");
        EvalCommandTest.Run r = run("render", "--domain", "ski-like", "--out", out.toString(), "--count", "3", "--size",
                "64", "--seed", "2", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rendered 3/3"), r.out());
        for (String name : List.of("000000", "000001", "000002")) {
            BufferedImage rgb = ImageIO.read(out.resolve("rgb/" + name + ".png").toFile());
            assertEquals(64, rgb.getWidth());
            assertEquals(64, rgb.getHeight());
            assertEquals(64, ImageIO.read(out.resolve("mask/" + name + ".png").toFile()).getWidth());
            assertEquals(64, ImageIO.read(out.resolve("parts/" + name + ".png").toFile()).getWidth());
            Map<String, NpyArray> labels = Npz.read(out.resolve("labels/" + name + ".npz"));
            assertEquals(List.of("depth", "heatmaps", "joints2d", "visibility", "pose3d", "intrinsics", "rotation",
                    "translation"), List.copyOf(labels.keySet()));
            assertEquals(List.of(17, 64, 64), List.of(labels.get("heatmaps").dim(0), labels.get("heatmaps").dim(1),
                    labels.get("heatmaps").dim(2)));
        }
        List<String> index = Files.readAllLines(out.resolve("index.csv"));
        assertEquals("image,sample,subject,action,view,frame,visible_joints", index.get(0));
        assertEquals(4, index.size());
        assertTrue(Files.isRegularFile(out.resolve("domain.json")));

        // The same command again gives the same bytes.
        Path again = dir.resolve("again");
        assertEquals(0, run("render", "--domain", "ski-like", "--out", again.toString(), "--count", "3", "--size", "64",
                "--seed", "2", "--threads", "1").code());
        for (String file : List.of("rgb/000001.png", "mask/000000.png", "parts/000002.png")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(out.resolve(file)), Files.readAllBytes(again.resolve(file))),
                    file);
        }
        assertEquals(Npz.read(out.resolve("labels/000000.npz")), Npz.read(again.resolve("labels/000000.npz")));
    }

    @Test
    void badInputIsOneLine() throws IOException {
        EvalCommandTest.Run r = run("render", "--domain", "mars-like", "--out", dir.resolve("a").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("poseshift render: mars-like: neither a domain preset (h36m-like"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = run("render", "--domain", "h36m-like", "--out", dir.resolve("b").toString(), "--size", "100");
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift render: --size must be one of [64, 128, 256], got 100", r.err().strip());

        Path full = dir.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("keep.txt"), "mine");
        r = run("render", "--domain", "h36m-like", "--out", full.toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift render: " + full + ": is not empty (it holds keep.txt); choose a new or empty folder"
                + " (nothing was overwritten)", r.err().strip());
        assertEquals("mine", Files.readString(full.resolve("keep.txt")));

        r = run("render", "--domain", "h36m-like", "--out", dir.resolve("c").toString(), "--count", "0");
        assertEquals("poseshift render: --count must be at least 1, got 0", r.err().strip());
        r = run("render", "--domain", "h36m-like", "--out", dir.resolve("d").toString(), "--split", "val");
        assertEquals("poseshift render: unknown split 'val'; use train, test or all", r.err().strip());
        r = run("render", "--out", dir.resolve("e").toString());
        assertEquals("poseshift render: --domain and --out are required (or --montage FILE)", r.err().strip());
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, "{\"extends\": \"3dpw-like\", \"name\": \"3dpw-like\","
                + " \"motion\": {\"subjects\": 2, \"framesPerSequence\": 5},"
                + " \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}");
        r = run("render", "--domain", spec.toString(), "--out", dir.resolve("f").toString(), "--count", "100000");
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("--count 100000 is more than the"), r.err());
        Files.writeString(spec, "{\"extends\": \"3dpw-like\", \"name\": \"3dpw-like\", \"image\": {\"size\": 96}}");
        r = run("render", "--domain", spec.toString(), "--out", dir.resolve("g").toString());
        assertEquals("poseshift render: " + spec + ": image.size: must be one of [64, 128, 256], got 96", r.err().strip());
        Path picture = dir.resolve("montage.png");
        Files.writeString(picture, "mine");
        r = run("render", "--montage", picture.toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift render: " + picture + ": already exists; choose another file or delete it first"
                + " (nothing was overwritten)", r.err().strip());
        assertEquals("mine", Files.readString(picture));
    }
}
