package io.github.poseshift.cli;

import static io.github.poseshift.cli.EvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.testing.ReferencePython;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    /** The figures of {@code bench --json}, each a positive number. */
    static final List<String> FIGURES = List.of("tcn27_train_steps_per_s", "tcn27_train_samples_per_s",
            "mlp_train_steps_per_s", "mlp_train_samples_per_s", "tcn27_infer_poses_per_s", "pa_mpjpe_poses_per_s",
            "peak_heap_mb", "peak_rss_mb", "image_train_samples_per_s", "render64_images_per_s",
            "render128_images_per_s");

    /** The figures {@code bench/pytorch_reference.py --json} shares with {@code bench --json}, same meaning. */
    static final List<String> REFERENCE_FIGURES = List.of("tcn27_train_steps_per_s", "tcn27_train_samples_per_s",
            "mlp_train_steps_per_s", "mlp_train_samples_per_s", "tcn27_infer_poses_per_s", "image_train_samples_per_s",
            "peak_rss_mb");

    /** The settings the figures were measured with. */
    static final List<String> SETTINGS = List.of("device", "threads", "batch", "channels", "image_batch",
            "image_parameters");

    @TempDir
    Path dir;

    @Test
    void aTinyBenchPrintsOneJsonObjectWithEveryFigure() {
        // One thread: on a machine whose cores are busy with other work, two OpenMP threads wait for
        // each other on every small operation, which would turn this second into half a minute.
        EvalCommandTest.Run r = run("bench", "--json", "--steps", "2", "--batch", "8", "--channels", "16", "--poses",
                "2000", "--threads", "1", "--render-images", "8", "--render-threads", "2", "--image-steps", "1",
                "--image-batch", "2");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        Set<String> expected = new LinkedHashSet<>(FIGURES);
        expected.addAll(SETTINGS);
        expected.add("render_threads");
        assertEquals(expected, json.keySet());
        for (String key : FIGURES) {
            double value = json.get(key).getAsDouble();
            assertTrue(value > 0 && Double.isFinite(value), key + " = " + value);
        }
        assertEquals(8 * json.get("tcn27_train_steps_per_s").getAsDouble(),
                json.get("tcn27_train_samples_per_s").getAsDouble(), 1e-9);
        assertEquals(8, json.get("batch").getAsInt());
        assertEquals(16, json.get("channels").getAsInt());
        assertEquals(1, json.get("threads").getAsInt());
        assertEquals(2, json.get("image_batch").getAsInt());
        assertEquals(BenchCommand.trainableParameters(ImagePoseModel.Config.defaults()),
                json.get("image_parameters").getAsLong());
        assertEquals(2, json.get("render_threads").getAsInt());
        assertTrue(json.get("device").getAsString().matches("cpu|gpu \\d+"), json.get("device").toString());
        assertTrue(r.err().contains("PA-MPJPE         2000 poses:"), r.err());
    }

    @Test
    void withoutJsonItPrintsATable() {
        EvalCommandTest.Run r = run("bench", "--steps", "1", "--batch", "4", "--channels", "8", "--poses", "500",
                "--threads", "1", "--render-images", "4", "--image-steps", "1", "--image-batch", "2");
        assertEquals(0, r.code(), r.err());
        for (String row : List.of("TCN-27 training", "SimpleBaseline training", "TCN-27 inference",
                "PA-MPJPE (500 poses)", "peak heap", "peak RSS", "image model training", "render 64×64",
                "render 128×128")) {
            assertTrue(r.out().contains(row), row + " missing from\n" + r.out());
        }
        assertTrue(r.out().startsWith("device "), r.out());
    }

    @Test
    void badSizesAreOneLine() {
        EvalCommandTest.Run r = run("bench", "--batch", "0");
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift bench: --batch must be at least 1, got 0", r.err().strip());
        r = run("bench", "--image-steps", "0");
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift bench: --image-steps must be at least 1, got 0", r.err().strip());
        r = run("bench", "--device", "tpu");
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("unknown device 'tpu'"), r.err());
    }

    /**
     * The PyTorch reference prints the figures it shares with {@code bench --json} under the same keys.
     * Skipped wherever Debian's python3-torch is missing, CI included: .ci/run does not install it (a
     * large package needed by nothing else), so this runs on developer machines that have it.
     */
    @Test
    void thePytorchReferencePrintsTheSameKeys() {
        ReferencePython.optionalModule("torch", "apt-get install python3-torch (bench/pytorch_reference.py)");
        Path reference = Path.of(System.getProperty("poseshift.project.dir", "."), "bench", "pytorch_reference.py")
                .toAbsolutePath();
        // Run as a script (not imported), with its own path as argv[0]; the temporary folder holds the
        // captured output.
        String script = "import runpy, sys; sys.argv[0] = sys.argv.pop(1); runpy.run_path(sys.argv[0], run_name='__main__')";
        String out = ReferencePython.run(script, dir, reference.toString(), "--json", "--steps", "2", "--batch", "8", "--channels",
                "16", "--threads", "1", "--image-steps", "1", "--image-batch", "2");
        JsonObject json = JsonParser.parseString(out).getAsJsonObject();
        Set<String> expected = new LinkedHashSet<>(REFERENCE_FIGURES);
        expected.addAll(SETTINGS);
        // The TCN's layout (Conv1d by default) and which BLAS library Debian's torch loaded (the figures
        // mean little with the unoptimised reference one).
        expected.add("tcn_layout");
        expected.add("blas");
        assertEquals(expected, json.keySet());
        Map<String, Double> figures = REFERENCE_FIGURES.stream()
                .collect(Collectors.toMap(k -> k, k -> json.get(k).getAsDouble()));
        figures.forEach((k, v) -> assertTrue(v > 0 && Double.isFinite(v), k + " = " + v));
        assertEquals(8, json.get("batch").getAsInt());
        assertEquals(16, json.get("channels").getAsInt());
        assertEquals(1, json.get("threads").getAsInt());
        assertEquals("cpu", json.get("device").getAsString());
        assertEquals("conv1d", json.get("tcn_layout").getAsString());
        assertEquals(2, json.get("image_batch").getAsInt());
        // The script's default image network is ImagePoseModel.Config.defaults(), layer for layer.
        assertEquals(BenchCommand.trainableParameters(ImagePoseModel.Config.defaults()),
                json.get("image_parameters").getAsLong(),
                "bench/pytorch_reference.py's IMAGE_* defaults no longer build ImagePoseModel.Config.defaults()");
    }
}
