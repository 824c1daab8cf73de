package io.github.poseshift.cli;

import static io.github.poseshift.cli.EvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing overwritten: the output rules of {@code benchmark}, {@code train}, {@code synth} and
 * {@code render} ({@link OutputFolder}), and input checked before any training. Every refusal is one line naming
 * the user's file, folder, field or option, exit code 2, and nothing of the user's changed.
 */
class OutputRulesTest {

    @TempDir
    Path dir;

    /** Each command's arguments up to {@code --out}, small enough to run at once if the rules let it. */
    private static final List<List<String>> WRITERS = List.of(
            List.of("benchmark", "--budget", "tiny", "--targets", "ski-like", "--methods", "source-only"),
            List.of("train", "--method", "oracle", "--target", "ski-like", "--budget", "tiny", "--epochs", "1"),
            List.of("synth", "--domain", "ski-like", "--subjects", "2", "--frames", "10"),
            List.of("render", "--domain", "ski-like", "--count", "1", "--size", "64"));

    private static EvalCommandTest.Run into(List<String> command, Path out) {
        List<String> args = new ArrayList<>(command);
        args.add("--out");
        args.add(out.toString());
        return run(args.toArray(String[]::new));
    }

    private static void assertOneLine(EvalCommandTest.Run r, String expected) {
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(expected, r.err().strip());
    }

    private static List<Path> contents(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> !p.equals(folder)).sorted().toList();
        }
    }

    @Test
    void aUsersFileInOutIsNeverOverwritten() throws IOException {
        Path out = Files.createDirectory(dir.resolve("mine"));
        Files.writeString(out.resolve("history.csv"), "my numbers");
        Files.writeString(out.resolve("summary.csv"), "my summary");
        for (List<String> command : WRITERS) {
            EvalCommandTest.Run r = into(command, out);
            assertOneLine(r, "poseshift " + command.get(0) + ": " + out + ": is not empty (it holds history.csv,"
                    + " summary.csv); choose a new or empty folder (nothing was overwritten)");
            assertFalse(r.out().contains("epoch"), r.out());
        }
        assertEquals("my numbers", Files.readString(out.resolve("history.csv")));
        assertEquals("my summary", Files.readString(out.resolve("summary.csv")));
        assertEquals(2, contents(out).size());

        Path file = Files.writeString(dir.resolve("report.md"), "my report");
        for (List<String> command : WRITERS) {
            assertOneLine(into(command, file), "poseshift " + command.get(0) + ": " + file + ": is a file, not a folder;"
                    + " --out names a folder (new or empty) to write into (nothing was overwritten)");
        }
        assertEquals("my report", Files.readString(file));
    }

    /** Root writes into read-only folders, so the unwritable place is under a regular file, and /proc. */
    @Test
    void anUnwritableOutFailsBeforeTheFirstEpoch() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        Path out = file.resolve("run");
        for (List<String> command : WRITERS) {
            EvalCommandTest.Run r = into(command, out);
            assertOneLine(r, "poseshift " + command.get(0) + ": " + out + ": cannot be made: " + file + " is a file,"
                    + " not a folder");
            assertFalse(r.out().contains("epoch"), r.out());
        }
        if (Files.isDirectory(Path.of("/proc/self"))) {
            EvalCommandTest.Run r = into(WRITERS.get(1), Path.of("/proc/poseshift-run"));
            assertOneLine(r, "poseshift train: /proc/poseshift-run: cannot be made: /proc does not take new folders");
            assertFalse(r.out().contains("epoch"), r.out());
        }
        assertEquals("mine", Files.readString(file));
    }

    /**
     * Every target is loaded, made and split before the first epoch: a broken clip of the second target, or a test
     * split its clips do not reach, fails before the first target trains, naming the file, and leaves no folder.
     */
    @Test
    void aBadSecondTargetIsRefusedBeforeTraining() throws IOException {
        Path clip = SharedData.bandaiNamcoClips().resolve("dataset-1_walk_normal_001.bvh");
        Path clips = Files.createDirectory(dir.resolve("clips"));
        Files.copy(clip, clips.resolve(clip.getFileName()));
        Path spec = dir.resolve("recorded.json");
        // The tiny budget makes 3 subjects; one clip gives motion to S1 only.
        Files.writeString(spec, "{\"extends\": \"h36m-like\", \"name\": \"recorded\", \"motion\": {\"source\": \"bvh\","
                + " \"path\": \"clips\", \"jointMap\": \"bandai-namco\", \"unit\": \"auto\", \"subjects\": 2, \"fps\": 30},"
                + " \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}");
        Path out = dir.resolve("run");
        List<String> benchmark = List.of("benchmark", "--budget", "tiny", "--targets", "ski-like," + spec);
        EvalCommandTest.Run r = into(benchmark, out);
        assertOneLine(r, "poseshift benchmark: " + clips + ": no motion of split.testSubjects [S2, S3] of domain"
                + " 'recorded'; it holds motion of [S1]; its clips are dealt to motion.subjects S1..S3 in file order");
        assertFalse(r.out().contains("epoch"), r.out());
        r = run("train", "--method", "source-only", "--target", spec.toString(), "--budget", "tiny", "--out",
                out.toString());
        assertOneLine(r, "poseshift train: " + clips + ": no motion of split.testSubjects [S2, S3] of domain"
                + " 'recorded'; it holds motion of [S1]; its clips are dealt to motion.subjects S1..S3 in file order");
        assertFalse(r.out().contains("epoch"), r.out());

        String text = Files.readString(clip, StandardCharsets.ISO_8859_1);
        Path broken = clips.resolve("dataset-1_run_normal_001.bvh");
        Files.writeString(broken, text.substring(0, text.indexOf("MOTION") / 2), StandardCharsets.ISO_8859_1);
        r = into(benchmark, out);
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("poseshift benchmark: " + broken + ": line "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("epoch"), r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void sizesAndCountsAreBoundedWithTheLimitInTheMessage() {
        Path out = dir.resolve("x");
        assertOneLine(run("synth", "--domain", "h36m-like", "--out", out.toString(), "--frames", "2000000000"),
                "poseshift synth: --frames must be 1 to 100000, got 2000000000");
        assertOneLine(run("synth", "--domain", "h36m-like", "--out", out.toString(), "--subjects", "2000000000"),
                "poseshift synth: --subjects must be 2 to 1000, got 2000000000");
        assertOneLine(run("synth", "--domain", "h36m-like", "--out", out.toString(), "--subjects", "1000"),
                "poseshift synth: h36m-like: motion: 1000 subjects (motion.subjects) × 17 sequences each (from"
                        + " motion.actions) × 500 frames (motion.framesPerSequence) × 4 cameras (cameras.perScene) make"
                        + " 34000000 camera-view frames; at most 2000000 (about 0.6 KB of memory each)");
        assertOneLine(run("render", "--domain", "h36m-like", "--out", out.toString(), "--threads", "100000"),
                "poseshift render: --threads must be 1 to 256, got 100000");
        assertOneLine(run("benchmark", "--frames", "0", "--out", out.toString()),
                "poseshift benchmark: the lifter sees 1 frame or a power of 3 (3, 9, 27, 81, 243), not 0");
        assertOneLine(run("benchmark", "--frames", "729", "--out", out.toString()),
                "poseshift benchmark: the lifter sees 1 frame or a power of 3 (3, 9, 27, 81, 243), not 729");
        assertOneLine(run("train", "--method", "oracle", "--target", "ski-like", "--frames", "0", "--out", out.toString()),
                "poseshift train: the lifter sees 1 frame or a power of 3 (3, 9, 27, 81, 243), not 0");
        assertFalse(Files.exists(out));
    }

    @Test
    void aMontageRefusesTheOptionsItWouldIgnore() {
        Path picture = dir.resolve("montage.png");
        assertOneLine(run("render", "--montage", picture.toString(), "--out", dir.resolve("r").toString()),
                "poseshift render: --out does not apply to --montage, which writes one picture of small domains to its"
                        + " FILE; drop one of them");
        assertOneLine(run("render", "--montage", picture.toString(), "--count", "10"),
                "poseshift render: --count does not apply to --montage, which writes one picture of small domains to"
                        + " its FILE; drop one of them");
        assertFalse(Files.exists(picture));
        assertFalse(Files.exists(dir.resolve("r")));
    }

    @Test
    void aZeroFrameBvhIsRefusedAtConvert() throws IOException {
        String text = Files.readString(SharedData.bandaiNamcoClips().resolve("dataset-1_walk_normal_001.bvh"),
                StandardCharsets.ISO_8859_1);
        int motion = text.indexOf("MOTION");
        String header = text.substring(0, motion) + "MOTION\nFrames: 0\nFrame Time: 0.0333333\n";
        Path empty = Files.writeString(dir.resolve("empty.bvh"), header, StandardCharsets.ISO_8859_1);
        Path out = dir.resolve("empty.npy");
        EvalCommandTest.Run r = run("convert", empty.toString(), "--out", out.toString());
        assertOneLine(r, "poseshift convert: " + empty + ": line " + (header.lines().count() - 1)
                + ": the clip declares 0 frames");
        assertFalse(Files.exists(out));
    }

    /**
     * A disk that fills up mid-write, simulated by a file-size limit ({@code ulimit -f}) on a child JVM: its writes
     * fail part-way as on a full disk ("File too large" instead of "No space left on device"; the JVM ignores the
     * signal the limit raises). The run ends in one line naming the file being written, exit 2, and leaves no
     * partial file, temporary file or half folder: a new folder is removed, an empty one emptied.
     */
    @Test
    void aWriteThatFailsPartWayLeavesNothingBehind() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Path synth = dir.resolve("synth");
        Child c = child(64, "synth", "--domain", "ski-like", "--subjects", "2", "--frames", "100", "--out",
                synth.toString());
        assertEquals(2, c.code(), c.err());
        assertEquals("poseshift synth: " + synth.resolve("poses.npz") + ": could not write: File too large",
                c.err().strip());

        Path render = dir.resolve("render");
        c = child(8, "render", "--domain", "ski-like", "--count", "20", "--size", "128", "--threads", "2", "--out",
                render.toString());
        assertEquals(2, c.code(), c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertTrue(c.err().strip().matches("poseshift render: " + java.util.regex.Pattern.quote(render.toString())
                + "/(rgb|mask|parts|labels)/0000\\d\\d\\.(png|npz): could not write: File too large"), c.err());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        c = child(8, "render", "--domain", "ski-like", "--count", "20", "--size", "128", "--out", empty.toString());
        assertEquals(2, c.code(), c.err());
        assertEquals(List.of(), contents(empty));
        assertEquals(List.of(empty), contents(dir), "no partial file, temporary file or half folder");
    }

    private record Child(int code, String err) {}

    /** The CLI in a child JVM whose files may grow to {@code kilobytes}. */
    private Child child(int kilobytes, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f " + kilobytes + " && exec \"$@\"",
                "bash", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), PoseShiftCli.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("poseshift-child", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child JVM did not finish");
            return new Child(p.exitValue(), Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }
}
