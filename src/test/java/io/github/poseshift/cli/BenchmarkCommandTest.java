package io.github.poseshift.cli;

import static io.github.poseshift.cli.EvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkCommandTest {

    @TempDir
    Path dir;

    @Test
    void aTinyRunLeavesAReport() throws IOException {
        Path out = dir.resolve("run");
        EvalCommandTest.Run r = run("benchmark", "--budget", "tiny", "--targets", "ski-like", "--seed", "2", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("benchmark: source h36m-like, targets [ski-like], budget tiny, 9-frame lifter, seed 2, device cpu"),
                r.out());
        assertTrue(r.out().contains("epoch 12/12"), r.out());
        // By default the three baselines: the oracle learns from the lab's windows and the ski slope's.
        assertTrue(r.out().contains("target-only: training on ski-like ("), r.out());
        assertTrue(r.out().contains("oracle: training on h36m-like + ski-like ("), r.out());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("target,method,mpjpe_mm,pa_mpjpe_mm,pck150,auc,gap_closed", summary.get(0));
        assertEquals(4, summary.size());
        assertTrue(summary.get(1).startsWith("ski-like,source-only,") && summary.get(1).endsWith(",0.0000"), summary.get(1));
        assertTrue(summary.get(2).startsWith("ski-like,target-only,"), summary.get(2));
        assertTrue(summary.get(3).startsWith("ski-like,oracle,") && summary.get(3).endsWith(",1.0000"), summary.get(3));
        double sourceOnly = Double.parseDouble(summary.get(1).split(",")[2]);
        double oracle = Double.parseDouble(summary.get(3).split(",")[2]);
        assertTrue(oracle < 0.6 * sourceOnly, "oracle " + oracle + " mm vs source-only " + sourceOnly + " mm");
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| ski-like | target-only |"), report);
        assertTrue(report.contains("| ski-like | oracle |"), report);
        assertTrue(report.contains("| ski_tuck |"), report);
        assertEquals(1000, ImageIO.read(out.resolve("per_joint_errors.png").toFile()).getWidth());
        assertEquals(800, ImageIO.read(out.resolve("loss_curves.png").toFile()).getWidth());
        assertTrue(Files.exists(out.resolve("actions_ski-like_oracle.csv")));
        assertTrue(Files.exists(out.resolve("actions_ski-like_target-only.csv")));
        assertEquals(800, ImageIO.read(out.resolve("camera_viewpoints.png").toFile()).getWidth());
        assertEquals(800, ImageIO.read(out.resolve("camera_distances.png").toFile()).getWidth());
        assertEquals(3 * 660, ImageIO.read(out.resolve("skeletons_ski-like.png").toFile()).getWidth());
        assertTrue(report.contains("![predicted vs true skeletons](skeletons_ski-like.png)"), report);

        EvalCommandTest.Run again = run("benchmark", "--budget", "tiny", "--targets", "ski-like", "--out", out.toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, again.code());
        assertTrue(again.err().contains("nothing was overwritten"), again.err());
    }

    @Test
    void sourceOnlyAloneTrainsNeitherBound() throws IOException {
        Path out = dir.resolve("solo");
        EvalCommandTest.Run r = run("benchmark", "--budget", "tiny", "--targets", "3dpw-like", "--methods", "source-only",
                "--frames", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("budget tiny, 1-frame lifter"), r.out());
        assertFalse(r.out().contains("oracle: training"), r.out());
        assertFalse(r.out().contains("target-only: training"), r.out());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(2, summary.size());
        // Without an oracle there is no gap to close.
        assertTrue(summary.get(1).startsWith("3dpw-like,source-only,") && summary.get(1).endsWith(",NaN"), summary.get(1));
    }

    @Test
    void severalSeedsAddTheirSpread() throws IOException {
        Path out = dir.resolve("seeds");
        EvalCommandTest.Run r = run("benchmark", "--budget", "tiny", "--targets", "ski-like", "--methods", "source-only",
                "--seed", "3", "--seeds", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("-- seed 4 (2 of 2)"), r.out());
        assertTrue(r.out().contains("2 seeds: [3, 4]"), r.out());
        List<String> seeds = Files.readAllLines(out.resolve("seeds.csv"));
        assertEquals("target,method,metric,mean,std,seed_3,seed_4", seeds.get(0));
        String[] mpjpe = seeds.get(1).split(",");
        assertEquals(List.of("ski-like", "source-only", "mpjpe_mm"), List.of(mpjpe[0], mpjpe[1], mpjpe[2]));
        double a = Double.parseDouble(mpjpe[5]);
        double b = Double.parseDouble(mpjpe[6]);
        assertTrue(a != b, "two seeds, two different runs: " + seeds.get(1));
        assertEquals((a + b) / 2, Double.parseDouble(mpjpe[3]), 1e-3);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), Double.parseDouble(mpjpe[4]), 1e-3);
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Seed spread"));
    }

    @Test
    void unknownMethodsAndBudgetsAreOneLine() {
        EvalCommandTest.Run r = run("benchmark", "--methods", "source-only,yang2018", "--out", dir.resolve("x").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        List<String> available = new java.util.ArrayList<>(io.github.poseshift.train.CrossDatasetBenchmark.BASELINES);
        io.github.poseshift.method.Methods.adaptations().forEach(m -> available.add(m.name()));
        assertTrue(available.containsAll(List.of("adaptpose-bg1", "adaptpose-a5", "poseda-lpa", "ahup-spa")), available.toString());
        assertEquals("poseshift benchmark: unknown method 'yang2018'; available: " + String.join(", ", available),
                r.err().strip());
        r = run("benchmark", "--seeds", "0", "--out", dir.resolve("x").toString());
        assertTrue(r.err().contains("--seeds must be at least 1, got 0"), r.err());
        r = run("benchmark", "--frames", "5", "--out", dir.resolve("x").toString());
        assertTrue(r.err().contains("the lifter sees 1 frame or a power of 3 (3, 9, 27, 81, 243), not 5"), r.err());
        r = run("benchmark", "--budget", "huge", "--out", dir.resolve("x").toString());
        assertTrue(r.err().contains("unknown budget 'huge'; use tiny, default or full"), r.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void ablationAddsItsRowsBeforeTheBounds() {
        assertEquals(List.of("source-only", "adaptpose", "adaptpose-bg1", "adaptpose-bg3", "adaptpose-a4", "oracle"),
                BenchmarkCommand.withAblations(List.of("source-only", "adaptpose", "oracle"),
                        List.of("BG1", "bg3", "BG1", "a4")));
        assertEquals(List.of("source-only", "adaptpose-bg2", "target-only", "oracle"),
                BenchmarkCommand.withAblations(List.of("source-only", "target-only", "oracle"), List.of("BG2")));
        assertEquals(List.of("source-only", "adaptpose-bg2", "oracle", "target-only"),
                BenchmarkCommand.withAblations(List.of("source-only", "oracle", "target-only"), List.of("BG2")));
        assertEquals(List.of("source-only", "adaptpose-bg2"),
                BenchmarkCommand.withAblations(List.of("source-only"), List.of("BG2")));
        List<String> components = BenchmarkCommand.withAblations(List.of("source-only"), List.of("components"));
        assertTrue(components.containsAll(List.of("adaptpose-no-camera", "adaptpose-no-dd", "adaptpose-no-perturbation")),
                components.toString());
        EvalCommandTest.Run r = run("benchmark", "--ablation", "BG4", "--out", dir.resolve("x").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift benchmark: unknown ablation 'BG4'; use BG1, BG2, BG3 (table 6), A1, A2, A3, A4, A5"
                + " (table 5) or components", r.err().strip());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** A report's skeleton figure keeps source-only and the two baselines trained on the target, and fills up to eight. */
    @Test
    void aFigureDrawsAtMostEightPredictions() {
        java.util.Map<String, io.github.poseshift.geometry.PoseArray> rows = new java.util.LinkedHashMap<>();
        for (String name : List.of("source-only", "a", "b", "c", "d", "e", "f", "g", "h", "target-only", "oracle")) {
            rows.put(name, null);
        }
        assertEquals(List.of("source-only", "a", "b", "c", "d", "e", "target-only", "oracle"),
                List.copyOf(BenchmarkCommand.drawable(rows).keySet()));
        rows.keySet().retainAll(List.of("source-only", "a", "oracle"));
        assertEquals(List.of("source-only", "a", "oracle"), List.copyOf(BenchmarkCommand.drawable(rows).keySet()));
    }

    @Test
    void imageModalityBadInputIsOneLine() {
        EvalCommandTest.Run r = run("benchmark", "--modality", "video", "--out", dir.resolve("x").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift benchmark: unknown modality 'video'; use pose or image", r.err().strip());
        r = run("benchmark", "--modality", "image", "--methods", "source-only,adaptpose", "--out", dir.resolve("x").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift benchmark: method 'adaptpose' is not available for images; use source-only, mean-pose, oracle,"
                + " yang2018, yang2018-map, yang2018-geo, yang2018-baseline, yang2018-fix2d, yang2018-no-pretrain,"
                + " yang2018-no-image (the other adaptation methods run on poses: --modality pose)", r.err().strip());
        // The image benchmark has no target-only row: its oracle still trains on the target's crops alone.
        r = run("benchmark", "--modality", "image", "--methods", "source-only,target-only", "--out",
                dir.resolve("x").toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift benchmark: method 'target-only' is not available for images; use source-only, mean-pose, oracle,"
                + " yang2018, yang2018-map, yang2018-geo, yang2018-baseline, yang2018-fix2d, yang2018-no-pretrain,"
                + " yang2018-no-image (the other adaptation methods run on poses: --modality pose)", r.err().strip());
        r = run("benchmark", "--modality", "image", "--frames", "27", "--out", dir.resolve("x").toString());
        assertEquals("poseshift benchmark: --frames applies to --modality pose only (the image model sees one crop)",
                r.err().strip());
        r = run("benchmark", "--modality", "image", "--budget", "huge", "--out", dir.resolve("x").toString());
        assertEquals("poseshift benchmark: unknown budget 'huge'; use tiny, default or full", r.err().strip());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** The image report's example crops, from a run far smaller than the tiny budget (which takes minutes). */
    @Test
    void imageExamplesDrawEveryMethodOnTheCrops() throws IOException {
        io.github.poseshift.train.ImageBenchmark.Budget budget = new io.github.poseshift.train.ImageBenchmark.Budget(
                io.github.poseshift.train.CrossDatasetBenchmark.Budget.Kind.TINY,
                2, 20, 48, 16, io.github.poseshift.nn.image.ImagePoseModel.Config.tiny(), 1, 3e-3f, 16, 1,
                io.github.poseshift.render.ImageAugmentation.none());
        io.github.poseshift.train.ImageBenchmark.Run run = io.github.poseshift.train.ImageBenchmark.run(
                io.github.poseshift.data.Domains.preset("h36m-like"), List.of(io.github.poseshift.data.Domains.preset("3dpw-like")),
                List.of("source-only", "oracle"), budget, 1, io.github.poseshift.train.Devices.choose("cpu"), 1, null);
        java.awt.image.BufferedImage examples = BenchmarkCommand.examples(run, "3dpw-like", 4);
        // Four 3×-enlarged 64-pixel crops after a 96-pixel row header, two methods' rows.
        assertEquals(96 + 4 * (192 + 2), examples.getWidth());
        assertEquals(2 * (192 + 16 + 2), examples.getHeight());
    }
}
