package io.github.poseshift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    @TempDir
    Path dir;

    private Path gt;
    private Path pred;

    /** Result of one CLI run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PoseShiftCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void writeArrays() throws IOException {
        // Two poses; the prediction is 10 mm off along x on every joint of pose 0, exact on pose 1.
        float[] truth = new float[2 * 17 * 3];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (i % 7) * 0.1f;
        }
        float[] guess = truth.clone();
        for (int j = 0; j < 17; j++) {
            guess[j * 3] += 0.01f;
        }
        gt = dir.resolve("gt.npy");
        pred = dir.resolve("pred.npy");
        Npy.write(gt, NpyArray.ofFloats(truth, 2, 17, 3));
        Npy.write(pred, NpyArray.ofFloats(guess, 2, 17, 3));
    }

    @Test
    void jsonHasTheDocumentedKeys() throws IOException {
        Path actions = dir.resolve("a.txt");
        Files.writeString(actions, "walk\nsit\n");
        Run r = run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--json", "--actions", actions.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(List.of("mpjpe_mm", "n_mpjpe_mm", "pa_mpjpe_mm", "pck150", "auc", "frames", "per_action",
                "mean_over_actions"), List.copyOf(o.keySet()));
        assertEquals(5.0, o.get("mpjpe_mm").getAsDouble(), 1e-3);
        assertEquals(100.0, o.get("pck150").getAsDouble(), 0);
        assertEquals(2, o.get("frames").getAsInt());
        assertEquals(10.0, o.getAsJsonObject("per_action").getAsJsonObject("walk").get("mpjpe_mm").getAsDouble(), 1e-3);
        assertEquals(0.0, o.getAsJsonObject("per_action").getAsJsonObject("sit").get("mpjpe_mm").getAsDouble(), 1e-9);
    }

    @Test
    void textReportsMetricsAndThePerActionTable() throws IOException {
        Path actions = dir.resolve("a.txt");
        Files.writeString(actions, "walk\nsit");
        Run r = run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--actions", actions.toString(),
                "--per-joint");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*MPJPE\\s+5\\.00 mm")), r.out());
        assertTrue(r.out().contains("mean (over actions)"), r.out());
        assertTrue(r.out().contains("RWrist"), r.out());
    }

    @Test
    void millimetreUnitScalesNothing() {
        Run r = run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--json", "--unit", "mm");
        assertEquals(0.005, JsonParser.parseString(r.out()).getAsJsonObject().get("mpjpe_mm").getAsDouble(), 1e-6);
    }

    @Test
    void missingFileIsOneLineNamingIt() {
        Path nowhere = dir.resolve("nowhere.npy");
        Run r = run("eval", "--pred", nowhere.toString(), "--gt", gt.toString());
        assertBadInput(r, nowhere.toString(), "no such file");
    }

    @Test
    void wrongShapeNamesFileAndShapes() throws IOException {
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, NpyArray.ofFloats(new float[2 * 16 * 3], 2, 16, 3));
        assertBadInput(run("eval", "--pred", bad.toString(), "--gt", gt.toString()), bad.toString(),
                "expected shape [N, 17, 3]", "[2, 16, 3]", "--skeleton");
        Path flat = dir.resolve("flat.npy");
        Npy.write(flat, NpyArray.ofFloats(new float[51], 51));
        assertBadInput(run("eval", "--pred", flat.toString(), "--gt", gt.toString()), flat.toString(), "[51]");
    }

    @Test
    void nanIsLocated() throws IOException {
        float[] data = new float[2 * 17 * 3];
        data[17 * 3 + 5 * 3 + 1] = Float.NaN;
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, NpyArray.ofFloats(data, 2, 17, 3));
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", nan.toString()), nan.toString(),
                "NaN at pose 1, joint 5 (LKnee), axis y");
    }

    @Test
    void differentPoseCountsAndBadLabels() throws IOException {
        Path one = dir.resolve("one.npy");
        Npy.write(one, NpyArray.ofFloats(new float[51], 1, 17, 3));
        assertBadInput(run("eval", "--pred", one.toString(), "--gt", gt.toString()), "holds 1 poses but");
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "walk\n");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--actions", labels.toString()),
                labels.toString(), "1 labels for 2 poses");
        Files.writeString(labels, "walk\n\nsit\n");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--actions", labels.toString()),
                labels.toString(), "line 2 is empty");
    }

    @Test
    void unreadableNpyAndUnknownNames() throws IOException {
        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "definitely not numpy");
        assertBadInput(run("eval", "--pred", garbage.toString(), "--gt", gt.toString()), garbage.toString(), "npy");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--unit", "cm"), "unknown unit 'cm'");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--skeleton", "coco"),
                "unknown skeleton 'coco'");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--joints", "feet"),
                "unknown joint subset 'feet'");
    }

    @Test
    void helpRendersWithoutFormatWarnings() {
        // picocli reports a bad format string in a description on System.err, not the command's stream.
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            Run r = run("eval", "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("--root-relative"), r.out());
            assertTrue(r.out().contains("AUC (%)"), r.out());
            assertEquals(0, run("--help").code());
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString());
    }

    private static void assertBadInput(Run r, String... fragments) {
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line expected: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' not in: " + err);
        }
    }
}
