package io.github.poseshift.method.adaptpose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.poseshift.data.Domains;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptPoseTest {

    /**
     * On the tiny 3dhp-like benchmark (seed 5), AdaptPose beats both the source-only lifter and the same
     * lifter trained for the same extra epochs on the source alone (selection keeping nothing): the gain
     * comes from the generated windows, not from training longer. Measured in fresh JVMs: source-only 334.7 mm,
     * longer source training 276.9 mm, AdaptPose 191.7, 191.7 and 193.0 mm; the same run has given up to 265.7 mm
     * (train --method adaptpose in a fresh-clone CI run; see AdaptPose's notes on determinism), which the bounds
     * still pass: 50 mm below source-only and 10 mm below longer source training.
     */
    @Test
    void aTinySeededRunBeatsSourceOnlyAndLongerSourceTraining() throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.tiny();
        AdaptPoseConfig config = AdaptPoseConfig.forBudget(tiny);
        AdaptPoseConfig nothingKept = config.withMaxErrorRatio(1.0);
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(Domains.preset("h36m-like"),
                List.of(Domains.preset("3dhp-like")), List.of("source-only", "adaptpose", "source-longer"), tiny, 5,
                Device.cpu(), new PrintWriter(System.out, true),
                List.of(AdaptPoseMethods.adaptation(config), AdaptPoseMethods.adaptation("source-longer", nothingKept)));
        double sourceOnly = run.result("3dhp-like", "source-only").summary().mpjpeMm();
        double longer = run.result("3dhp-like", "source-longer").summary().mpjpeMm();
        double adapted = run.result("3dhp-like", "adaptpose").summary().mpjpeMm();
        System.out.printf("tiny 3dhp-like: source-only %.1f mm, source trained longer %.1f mm, adaptpose %.1f mm%n",
                sourceOnly, longer, adapted);
        assertTrue(adapted < longer - 10, "adaptpose " + adapted + " vs source trained longer " + longer);
        assertTrue(adapted < sourceOnly - 50, "adaptpose " + adapted + " vs source-only " + sourceOnly);
        History h = run.result("3dhp-like", "adaptpose").history();
        List<History.Point> kept = h.series("kept_share");
        assertTrue(kept.stream().allMatch(p -> p.value() > 0.05), "selection keeps generated windows: " + kept);
        assertTrue(h.series("generator_loss").stream().allMatch(p -> Double.isFinite(p.value())), "G stays finite");
        List<History.Point> feedback = h.series("feedback_loss");
        assertEquals(0, feedback.get(0).value(), 0, "no feedback in the warm-up epoch");
        assertTrue(feedback.subList(1, feedback.size()).stream().allMatch(p -> p.value() > 0 && Double.isFinite(p.value())),
                "the lifter's feedback reaches the generator after the warm-up: " + feedback);
    }

    @Test
    void everyAblationHasItsOwnNameAndUnknownMethodsAreNamed() {
        List<String> names = AdaptPoseMethods.adaptations().stream().map(io.github.poseshift.train.Adaptation::name).toList();
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "unique names: " + names);
        assertTrue(names.containsAll(List.of("adaptpose", "adaptpose-no-ba", "adaptpose-no-feedback", "adaptpose-euler")),
                names.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossDatasetBenchmark.run(Domains.preset("h36m-like"), List.of(Domains.preset("3dhp-like")),
                        List.of("source-only", "adaptpose-no-tripod"), CrossDatasetBenchmark.Budget.tiny(), 0, Device.cpu(),
                        null, AdaptPoseMethods.adaptations()));
        assertTrue(e.getMessage().contains("unknown method 'adaptpose-no-tripod'"), e.getMessage());
    }

    /**
     * The ablations name the paper's rows: table 6's bone generator designs, table 5's build-up (read from its tick
     * counts and sec. 6.3), and one component off at a time; every row is a method of the benchmark.
     */
    @Test
    void theAblationsAreThePapersRows() {
        assertEquals(List.of("adaptpose-bg2"), AdaptPoseMethods.Ablation.byName(" bg2").rows());
        assertEquals(List.of("adaptpose-a4"), AdaptPoseMethods.Ablation.byName("A4").rows());
        List<String> names = AdaptPoseMethods.adaptations().stream().map(io.github.poseshift.train.Adaptation::name).toList();
        for (AdaptPoseMethods.Ablation a : AdaptPoseMethods.Ablation.values()) {
            assertTrue(names.containsAll(a.rows()), a + " " + a.rows() + " among " + names);
        }
        // Table 5: A1 bone generation alone (no camera, no domain discriminator, no selection); A4 everything but it.
        assertEquals(new AdaptPoseConfig.Components(true, true, false, false, true, true, false),
                AdaptPoseConfig.Components.table5(true, false, false, false));
        assertEquals(new AdaptPoseConfig.Components(false, false, true, true, false, true, true),
                AdaptPoseConfig.Components.table5(false, true, true, true));
        assertEquals(AdaptPoseConfig.Components.all(), AdaptPoseConfig.Components.table5(true, true, true, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdaptPoseMethods.Ablation.byName("A6"));
        assertTrue(e.getMessage().contains("A1, A2, A3, A4, A5 (table 5)"), e.getMessage());
    }

    /**
     * A probe records what the generator does before training and after each epoch, and the training it watches
     * is the unprobed one to the bit: the probe draws its noise from its own generator and runs every network in
     * evaluation mode (the run is seeded per epoch, {@code AdversarialLoop}, so the first run in the JVM does not
     * shift the second).
     */
    @Test
    void aProbeWatchesTheGeneratorWithoutChangingTheTraining() throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.tiny();
        var sourceSpec = tiny.apply(Domains.preset("h36m-like"));
        var targetSpec = tiny.apply(Domains.preset("3dhp-like"));
        var fps = sourceSpec.motion().fps();
        var source = io.github.poseshift.data.PoseDataset.of(CrossDatasetBenchmark.generate(sourceSpec, tiny, 1).views(),
                sourceSpec.split().trainSubjects(), tiny.trainWindows(fps));
        var targetDomain = CrossDatasetBenchmark.generate(targetSpec, tiny, 1);
        var target = io.github.poseshift.data.PoseDataset.of(targetDomain.views(), targetSpec.split().trainSubjects(),
                tiny.trainWindows(fps));
        var intrinsics = targetDomain.views().stream().map(v -> v.camera(0).intrinsics()).distinct().toList();
        var training = tiny.training(3).withEpochs(2);
        AdaptPoseConfig config = AdaptPoseConfig.forBudget(tiny);
        AdaptPoseProbe probe = new AdaptPoseProbe(64, 9);
        History probed = adaptFreshLifter(tiny, source, target, intrinsics, training, config, probe);
        History unprobed = adaptFreshLifter(tiny, source, target, intrinsics, training, config, null);
        assertEquals(unprobed.toCsv(), probed.toCsv(), "probing changed the training");

        assertEquals(List.of(0, 1, 2), probe.snapshots().stream().map(AdaptPoseProbe.Snapshot::epoch).toList());
        AdaptPoseProbe.Snapshot first = probe.first();
        assertEquals(64, first.size());
        assertEquals(51, first.afterCamera()[0].length);
        assertEquals(64, first.generatedViewpoints().length);
        int kept = 0;
        for (int i = 0; i < first.size(); i++) {
            // RT places the root at least the base depth away; bone-length ratios stay within BL's ±0.2.
            assertTrue(first.generatedViewpoints()[i][2] >= AdaptPose.BENCHMARK_BASE_DEPTH - 1e-3,
                    java.util.Arrays.toString(first.generatedViewpoints()[i]));
            for (float r : first.boneLengthRatios()[i]) {
                assertTrue(Math.abs(r) <= 0.2f, "ratio " + r);
            }
            assertEquals(0, first.source()[i][0], 0, "root-relative");
            // Selection (sec. 4.4) keeps only windows harder than their source window, and not absurdly so.
            if (first.kept()[i]) {
                kept++;
                assertTrue(first.errorRatio()[i] > 1 && first.errorRatio()[i] < config.maxErrorRatio(),
                        "kept window " + i + " has error ratio " + first.errorRatio()[i]);
            }
        }
        assertEquals(kept / 64.0, first.keptShare(), 0);
        assertTrue(probe.snapshots().stream().anyMatch(snap -> snap.keptShare() > 0), "selection keeps some windows");
    }

    private static History adaptFreshLifter(CrossDatasetBenchmark.Budget tiny, io.github.poseshift.data.PoseDataset source,
            io.github.poseshift.data.PoseDataset target, List<io.github.poseshift.geometry.Camera.Intrinsics> intrinsics,
            io.github.poseshift.train.LifterTraining.Config training, AdaptPoseConfig config, AdaptPoseProbe probe) {
        try (ai.djl.Model lifter = ai.djl.Model.newInstance("lifter", Device.cpu())) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(11);
            var net = new io.github.poseshift.nn.TemporalConvNet(tiny.network());
            lifter.setBlock(net);
            net.initialize(lifter.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, net.receptiveField(), 34));
            return AdaptPose.adapt(lifter, source, target, intrinsics, AdaptPose.BENCHMARK_BASE_DEPTH, training, config,
                    null, probe);
        }
    }
}
