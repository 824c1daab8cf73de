package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossDatasetBenchmarkTest {

    /**
     * The three baselines on tiny 3dhp-like, seed 5: source-only, target-only (the target's training windows) and the
     * oracle (the source's and the target's, the target's listed {@link CrossDatasetBenchmark#oracleRepeats} times),
     * each trained on exactly those windows (its steps per epoch say so) and in that row order.
     */
    @Test
    void sourceOnlyLosesToTargetOnlyAndTheOracleOnTheStudio() throws IOException {
        DomainSpec source = Domains.preset("h36m-like");
        DomainSpec studio = Domains.preset("3dhp-like");
        CrossDatasetBenchmark.Budget budget = CrossDatasetBenchmark.Budget.tiny();
        StringWriter logText = new StringWriter();
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(source, List.of(studio), CrossDatasetBenchmark.BASELINES,
                budget, 5, Device.cpu(), new PrintWriter(logText, true));
        System.out.print(logText);
        List<CrossDatasetBenchmark.Result> results = run.results();
        assertEquals(List.of("h36m-like", "3dhp-like"), List.copyOf(run.viewpoints().keySet()));
        // The studio's cameras climb far higher than the lab's.
        double labTop = run.viewpoints().get("h36m-like").stream().mapToDouble(v -> v[0]).max().orElseThrow();
        double studioTop = run.viewpoints().get("3dhp-like").stream().mapToDouble(v -> v[0]).max().orElseThrow();
        assertTrue(studioTop > labTop + 20, studioTop + " vs " + labTop);
        assertEquals(List.of("source-only", "target-only", "oracle"), results.stream().map(CrossDatasetBenchmark.Result::method)
                .toList());

        // Each baseline's windows, made as the benchmark makes them.
        double fps = budget.apply(source).motion().fps();
        int sourceWindows = PoseDataset.of(CrossDatasetBenchmark.generate(source, budget, 5).views(),
                budget.apply(source).split().trainSubjects(), budget.trainWindows(fps)).size();
        int studioWindows = PoseDataset.of(CrossDatasetBenchmark.generate(studio, budget, 5).views(),
                budget.apply(studio).split().trainSubjects(), budget.trainWindows(fps)).size();
        int repeats = CrossDatasetBenchmark.oracleRepeats(sourceWindows, studioWindows);
        int oracleWindows = sourceWindows + repeats * studioWindows;
        String log = logText.toString();
        assertTrue(log.contains(String.format(Locale.ROOT, "oracle: training on h36m-like + 3dhp-like (%d windows: %d of the"
                + " source, %d of the target × %d)", oracleWindows, sourceWindows, studioWindows, repeats)), log);
        assertTrue(log.contains("target-only: training on 3dhp-like (" + studioWindows + " windows)"), log);
        int[] windows = {sourceWindows, studioWindows, oracleWindows};
        for (int i = 0; i < 3; i++) {
            int steps = budget.epochs() * ((windows[i] + budget.batchSize() - 1) / budget.batchSize());
            assertEquals(steps, results.get(i).history().series("train_loss_mm").size(), results.get(i).method());
        }

        double sourceOnly = results.get(0).summary().mpjpeMm();
        double targetOnly = results.get(1).summary().mpjpeMm();
        double oracle = results.get(2).summary().mpjpeMm();
        System.out.printf("tiny benchmark on 3dhp-like: source-only %.1f mm, target-only %.1f mm, oracle %.1f mm%n",
                sourceOnly, targetOnly, oracle);
        // Measured (seed 5, one thread): source-only 335.3 mm, target-only 172.6 mm, oracle 136.3 mm.
        assertTrue(targetOnly < 0.8 * sourceOnly, "target-only " + targetOnly + " vs source-only " + sourceOnly);
        assertTrue(targetOnly < 200, "target-only " + targetOnly + " mm");
        assertTrue(oracle < 0.8 * sourceOnly, "oracle " + oracle + " vs source-only " + sourceOnly);
        assertTrue(oracle < 200, "oracle " + oracle + " mm");
        assertEquals(0.5, CrossDatasetBenchmark.gapClosed(100, 60, 80), 1e-12);

        // The report's tables and plot series, as the CLI and the notebooks read them.
        CrossDatasetBenchmark.Result oracleResult = run.result("3dhp-like", "oracle");
        assertEquals(1.0, run.gapClosed(oracleResult), 1e-12);
        assertEquals(0.0, run.gapClosed(run.result("3dhp-like", "source-only")), 1e-12);
        assertEquals((sourceOnly - targetOnly) / (sourceOnly - oracle), run.gapClosed(results.get(1)), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> run.result("ski-like", "oracle"));
        assertEquals(List.of("source-only", "target-only", "oracle"), List.copyOf(run.predictions("3dhp-like").keySet()));
        String[] csv = run.summaryCsv().split("\n");
        assertEquals("target,method,mpjpe_mm,pa_mpjpe_mm,pck150,auc,gap_closed", csv[0]);
        assertEquals(4, csv.length);
        assertTrue(csv[2].startsWith("3dhp-like,target-only,"), csv[2]);
        assertTrue(csv[3].startsWith("3dhp-like,oracle,") && csv[3].endsWith(",1.0000"), csv[3]);
        assertEquals(List.of("source-only (source)", "target-only (3dhp-like)", "oracle (3dhp-like)"),
                List.copyOf(run.lossCurves().keySet()));
        assertEquals(17, run.perJointMpjpeMm().get("3dhp-like oracle").length);
        assertEquals(oracleResult.predicted().numPoses(), oracleResult.viewpoints().size());
        double[][] byElevation = run.mpjpeByElevation("source-only", 10).get("3dhp-like");
        assertTrue(byElevation[0].length >= 2, "the studio's test views span several elevation bins");
    }

    /**
     * A target whose lifter input is root-frobenius (AdaptPose sec. 6, ski-like) is scored with a source-only lifter
     * of its own, trained once with that input; targets of screen input share the other. Tiny budget, seed 3.
     */
    @Test
    void eachLifterInputGetsItsOwnSourceOnlyLifter() throws IOException {
        DomainSpec ski = Domains.preset("ski-like");
        DomainSpec skiOnScreen = Domains.parse("{\"extends\": \"ski-like\", \"name\": \"ski-screen\", \"lifterInput\":"
                + " \"screen\"}", "ski-screen.json", null);
        StringWriter logText = new StringWriter();
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(Domains.preset("h36m-like"), List.of(ski, skiOnScreen,
                Domains.preset("3dpw-like")), List.of("source-only"), CrossDatasetBenchmark.Budget.tiny(), 3, Device.cpu(),
                new PrintWriter(logText, true));
        String log = logText.toString();
        System.out.print(log);
        assertEquals(2, log.lines().filter(l -> l.startsWith("source-only: training on h36m-like")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.endsWith("windows), its 2D input root-frobenius-normalised")).count(),
                log);
        History frobenius = run.result("ski-like", "source-only").history();
        History screen = run.result("ski-screen", "source-only").history();
        assertTrue(frobenius != screen);
        assertTrue(run.result("3dpw-like", "source-only").history() == screen);
        assertEquals(List.of("source-only (source)", "source-only (source, as ski-screen sees it)"),
                List.copyOf(run.lossCurves().keySet()));
        // Both learned, and the two lifters differ on the same test windows.
        for (History h : List.of(frobenius, screen)) {
            double[] epochs = h.byEpoch("epoch_loss_mm")[1];
            assertTrue(epochs[epochs.length - 1] < 0.5 * epochs[0], java.util.Arrays.toString(epochs));
        }
        double a = run.result("ski-like", "source-only").summary().mpjpeMm();
        double b = run.result("ski-screen", "source-only").summary().mpjpeMm();
        System.out.printf("tiny ski-like source-only, seed 3: root-frobenius %.1f mm, screen %.1f mm%n", a, b);
        assertTrue(Math.abs(a - b) > 0.1, a + " vs " + b);
    }

    /** The oracle's windows: the source's, then the target's as many times over as make them about as many. */
    @Test
    void theOracleBalancesTheTargetAgainstTheSource() {
        assertEquals(4, CrossDatasetBenchmark.oracleRepeats(27200, 7515));
        assertEquals(1, CrossDatasetBenchmark.oracleRepeats(27200, 57600));
        assertEquals(1, CrossDatasetBenchmark.oracleRepeats(100, 100));
        assertEquals(1, CrossDatasetBenchmark.oracleRepeats(100, 134));
        assertEquals(2, CrossDatasetBenchmark.oracleRepeats(100, 45));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossDatasetBenchmark.trainingWindows("oracle-ish", null, null));
        assertEquals("unknown baseline 'oracle-ish'; baselines: source-only, target-only, oracle", e.getMessage());
    }

    @Test
    void theNotebooksBudgetComesFromTheEnvironment() {
        assertEquals(CrossDatasetBenchmark.Budget.Kind.DEFAULT, CrossDatasetBenchmark.Budget.fromEnvironment(Map.of()).kind());
        assertEquals("default", CrossDatasetBenchmark.Budget.fromEnvironment(Map.of()).name());
        assertEquals("default", CrossDatasetBenchmark.Budget.fromEnvironment(Map.of("POSESHIFT_BUDGET", " ")).name());
        assertEquals("tiny", CrossDatasetBenchmark.Budget.fromEnvironment(Map.of("POSESHIFT_BUDGET", "tiny ")).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossDatasetBenchmark.Budget.fromEnvironment(Map.of("POSESHIFT_BUDGET", "huge")));
        assertTrue(e.getMessage().startsWith("POSESHIFT_BUDGET: "), e.getMessage());
    }

    /** Budgets are kinds, spelled by their user-facing names in and out, any case in. */
    @Test
    void everyBudgetKindHasItsNameAndItsBudget() {
        for (CrossDatasetBenchmark.Budget.Kind kind : CrossDatasetBenchmark.Budget.Kind.values()) {
            CrossDatasetBenchmark.Budget b = CrossDatasetBenchmark.Budget.of(kind);
            assertEquals(kind, b.kind());
            assertEquals(kind.label(), b.name());
            assertEquals(kind, CrossDatasetBenchmark.Budget.byName(kind.label().toUpperCase(Locale.ROOT)).kind());
            assertEquals(kind, b.withReceptiveField(9).kind());
            assertEquals(kind, ImageBenchmark.Budget.of(kind).kind());
            assertEquals(kind.label(), ImageBenchmark.Budget.of(kind).name());
        }
        assertEquals(List.of("tiny", "default", "full"), java.util.Arrays.stream(CrossDatasetBenchmark.Budget.Kind.values())
                .map(CrossDatasetBenchmark.Budget.Kind::label).toList());
        assertEquals(3, CrossDatasetBenchmark.Budget.tiny().subjects());
        assertEquals(5, CrossDatasetBenchmark.Budget.standard().subjects());
        assertEquals(0, CrossDatasetBenchmark.Budget.full().subjects());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossDatasetBenchmark.Budget.byName("Huge"));
        assertEquals("unknown budget 'Huge'; use tiny, default or full", e.getMessage());
    }
}
