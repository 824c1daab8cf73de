package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.poseshift.data.Domains;
import java.io.IOException;
import java.util.List;
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
    }
}
