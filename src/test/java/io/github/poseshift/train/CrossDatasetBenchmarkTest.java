package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.poseshift.data.Domains;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossDatasetBenchmarkTest {

    @Test
    void sourceOnlyLosesToTheOracleOnTheStudio() throws IOException {
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(Domains.preset("h36m-like"),
                List.of(Domains.preset("3dhp-like")), CrossDatasetBenchmark.BASELINES, CrossDatasetBenchmark.Budget.tiny(), 5,
                Device.cpu(), new java.io.PrintWriter(System.out, true));
        List<CrossDatasetBenchmark.Result> results = run.results();
        assertEquals(List.of("h36m-like", "3dhp-like"), List.copyOf(run.viewpoints().keySet()));
        // The studio's cameras climb far higher than the lab's.
        double labTop = run.viewpoints().get("h36m-like").stream().mapToDouble(v -> v[0]).max().orElseThrow();
        double studioTop = run.viewpoints().get("3dhp-like").stream().mapToDouble(v -> v[0]).max().orElseThrow();
        assertTrue(studioTop > labTop + 20, studioTop + " vs " + labTop);
        assertEquals(2, results.size());
        double sourceOnly = results.get(0).summary().mpjpeMm();
        double oracle = results.get(1).summary().mpjpeMm();
        System.out.printf("tiny benchmark on 3dhp-like: source-only %.1f mm, oracle %.1f mm%n", sourceOnly, oracle);
        assertEquals("source-only", results.get(0).method());
        assertTrue(oracle < 0.8 * sourceOnly, "oracle " + oracle + " vs source-only " + sourceOnly);
        // Measured: source-only 335.0 mm, oracle 172.7 mm (seed 5).
        assertTrue(oracle < 200, "oracle " + oracle + " mm");
        assertEquals(0.5, CrossDatasetBenchmark.gapClosed(100, 60, 80), 1e-12);

        // The report's tables and plot series, as the CLI and the notebooks read them.
        CrossDatasetBenchmark.Result oracleResult = run.result("3dhp-like", "oracle");
        assertEquals(1.0, run.gapClosed(oracleResult), 1e-12);
        assertEquals(0.0, run.gapClosed(run.result("3dhp-like", "source-only")), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> run.result("ski-like", "oracle"));
        assertEquals(List.of("source-only", "oracle"), List.copyOf(run.predictions("3dhp-like").keySet()));
        String[] csv = run.summaryCsv().split("\n");
        assertEquals("target,method,mpjpe_mm,pa_mpjpe_mm,pck150,auc,gap_closed", csv[0]);
        assertEquals(3, csv.length);
        assertTrue(csv[2].startsWith("3dhp-like,oracle,") && csv[2].endsWith(",1.0000"), csv[2]);
        assertEquals(List.of("source-only (source)", "oracle (3dhp-like)"), List.copyOf(run.lossCurves().keySet()));
        assertEquals(17, run.perJointMpjpeMm().get("3dhp-like oracle").length);
        assertEquals(oracleResult.predicted().numPoses(), oracleResult.viewpoints().size());
        double[][] byElevation = run.mpjpeByElevation("source-only", 10).get("3dhp-like");
        assertTrue(byElevation[0].length >= 2, "the studio's test views span several elevation bins");
    }

    @Test
    void theNotebooksBudgetComesFromTheEnvironment() {
        assertEquals("default", CrossDatasetBenchmark.Budget.fromEnvironment(Map.of()).name());
        assertEquals("default", CrossDatasetBenchmark.Budget.fromEnvironment(Map.of("POSESHIFT_BUDGET", " ")).name());
        assertEquals("tiny", CrossDatasetBenchmark.Budget.fromEnvironment(Map.of("POSESHIFT_BUDGET", "tiny ")).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossDatasetBenchmark.Budget.fromEnvironment(Map.of("POSESHIFT_BUDGET", "huge")));
        assertTrue(e.getMessage().startsWith("POSESHIFT_BUDGET: "), e.getMessage());
    }
}
