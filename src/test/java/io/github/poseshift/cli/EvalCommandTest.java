package io.github.poseshift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.JointSubset;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
        assertBadInput(withLabels("walk\n"), labels().toString(), "1 labels for 2 poses");
        assertBadInput(withLabels("walk\n\nsit\n"), labels().toString(), "line 2 is empty");
    }

    private Path labels() {
        return dir.resolve("labels.txt");
    }

    /** Writes {@code text} to {@link #labels()} and scores the two poses with those actions. */
    private Run withLabels(String text) throws IOException {
        Files.writeString(labels(), text);
        return run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--actions", labels().toString());
    }

    @Test
    void aFolderInsteadOfAFileIsOneLineNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("predictions"));
        assertBadInput(run("eval", "--pred", folder.toString(), "--gt", gt.toString()), folder.toString(),
                "is a folder, not a .npy file");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", folder.toString()), folder.toString(),
                "is a folder");
        assertBadInput(run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--actions", folder.toString()),
                folder.toString(), "is a folder, not a text file of labels");
    }

    @Test
    void labelsMayEndInOneEmptyLineButNotInSpaces() throws IOException {
        Run ok = withLabels(" walk \nsit\n\n");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().lines().anyMatch(l -> l.startsWith("walk ")), "labels are stripped: " + ok.out());
        assertBadInput(withLabels("walk\nsit\n  \n"), labels().toString(), "line 3 is empty");
        assertBadInput(withLabels("walk\nsit\nsit\n"), labels().toString(), "3 labels for 2 poses");
    }

    /**
     * Arrays longer than a block are scored block by block; the numbers are those of the whole arrays
     * scored at once in memory, to the last bit, with the last block a partial one.
     */
    @Test
    void blockByBlockScoringIsTheWholeArraysToTheLastBit() throws IOException {
        int n = 2 * EvalCommand.BLOCK_POSES + 123;
        Random rng = new Random(11);
        float[] truth = new float[n * 17 * 3];
        float[] guess = new float[truth.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (float) (rng.nextGaussian() * 0.3 + (i % 3 == 2 ? 4 : 0));
            guess[i] = (float) (truth[i] + rng.nextGaussian() * 0.06);
        }
        Npy.write(gt, NpyArray.ofFloats(truth, n, 17, 3));
        Npy.write(pred, NpyArray.ofFloats(guess, n, 17, 3));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(i % 1000 < 400 ? "walk" : i % 7 == 0 ? "sit" : "eat");
        }
        Path actions = dir.resolve("actions.txt");
        Files.write(actions, labels);
        for (String subset : List.of("all", "3dhp14")) {
            Run r = run("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--json", "--root-relative",
                    "--actions", actions.toString(), "--joints", subset, "--per-joint");
            assertEquals(0, r.code(), r.err());
            JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();

            int[] joints = JointSubset.byName(subset).joints();
            PoseErrors whole = PoseErrors.compute(
                    PoseArray.of(Npy.read(pred).toDoubles(), 17).rootRelative(0).selectJoints(joints),
                    PoseArray.of(Npy.read(gt).toDoubles(), 17).rootRelative(0).selectJoints(joints), LengthUnit.METRES);
            ErrorTable table = ErrorTable.byGroup("action", whole, labels);
            assertSame(whole.summary(), o, subset);
            for (String action : List.of("walk", "sit", "eat")) {
                assertSame(table.row(action), o.getAsJsonObject("per_action").getAsJsonObject(action), action);
            }
            assertSame(table.meanOverGroups(), o.getAsJsonObject("mean_over_actions"), "mean over actions");
            JsonObject perJoint = o.getAsJsonObject("per_joint");
            for (int k = 0; k < joints.length; k++) {
                JsonObject joint = perJoint.getAsJsonObject(Skeletons.H36M17.jointName(joints[k]));
                assertEquals(List.of("mpjpe_mm", "pa_mpjpe_mm"), List.copyOf(joint.keySet()));
                assertEquals(whole.perJointMpjpeMm()[k], joint.get("mpjpe_mm").getAsDouble(), 0);
                assertEquals(whole.perJointPaMpjpeMm()[k], joint.get("pa_mpjpe_mm").getAsDouble(), 0);
            }
        }
    }

    private static void assertSame(MetricSummary expected, JsonObject actual, String what) {
        assertEquals(expected.mpjpeMm(), actual.get("mpjpe_mm").getAsDouble(), 0, what);
        assertEquals(expected.nMpjpeMm(), actual.get("n_mpjpe_mm").getAsDouble(), 0, what);
        assertEquals(expected.paMpjpeMm(), actual.get("pa_mpjpe_mm").getAsDouble(), 0, what);
        assertEquals(expected.pck150(), actual.get("pck150").getAsDouble(), 0, what);
        assertEquals(expected.auc(), actual.get("auc").getAsDouble(), 0, what);
        assertEquals(expected.poses(), actual.get("frames").getAsInt(), what);
    }

    @Test
    void nanInALaterBlockIsLocatedByItsPoseInTheFile() throws IOException {
        int n = EvalCommand.BLOCK_POSES + 10;
        float[] data = new float[n * 17 * 3];
        data[((EvalCommand.BLOCK_POSES + 5) * 17 + 16) * 3 + 2] = Float.POSITIVE_INFINITY;
        Path inf = dir.resolve("inf.npy");
        Npy.write(inf, NpyArray.ofFloats(data, n, 17, 3));
        Path zeros = dir.resolve("zeros.npy");
        Npy.write(zeros, NpyArray.ofFloats(new float[data.length], n, 17, 3));
        assertBadInput(run("eval", "--pred", inf.toString(), "--gt", zeros.toString()), inf.toString(),
                "Infinity at pose " + (EvalCommand.BLOCK_POSES + 5) + ", joint 16 (RWrist), axis z");
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
