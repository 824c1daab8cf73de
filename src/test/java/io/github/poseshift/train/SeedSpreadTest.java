package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.eval.MetricSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedSpreadTest {

    private static CrossDatasetBenchmark.Result result(String method, double mpjpe) {
        return new CrossDatasetBenchmark.Result("3dhp-like", method, new MetricSummary(10, mpjpe, mpjpe, mpjpe / 2, 50, 20),
                null, null, null, null, null, List.of(), List.of());
    }

    private static CrossDatasetBenchmark.Run run(double sourceOnly, double adapted, double oracle) {
        return new CrossDatasetBenchmark.Run(List.of(result("source-only", sourceOnly), result("adaptpose", adapted),
                result("oracle", oracle)), Map.of());
    }

    @Test
    void meanAndSampleStandardDeviationPerTargetAndMethod() {
        SeedSpread spread = new SeedSpread(List.of(0L, 1L, 2L),
                List.of(run(300, 200, 100), run(300, 220, 100), run(300, 240, 100)));
        List<SeedSpread.Spread> adapted = spread.spreads().get("3dhp-like adaptpose");
        SeedSpread.Spread mpjpe = adapted.get(0);
        assertEquals("mpjpe_mm", mpjpe.metric());
        assertEquals(220, mpjpe.mean(), 1e-9);
        assertEquals(20, mpjpe.std(), 1e-9); // sqrt((400 + 0 + 400) / 2)
        SeedSpread.Spread gap = adapted.get(4);
        assertEquals("gap_closed", gap.metric());
        assertEquals(0.4, gap.mean(), 1e-9); // (300 − 220) / (300 − 100)
        assertEquals(0.1, gap.std(), 1e-9);
        assertEquals(0, spread.spreads().get("3dhp-like oracle").get(0).std(), 0);
        assertEquals(List.of(200.0, 220.0, 240.0),
                java.util.Arrays.stream(spread.mpjpeMm("3dhp-like", "adaptpose")).boxed().toList());

        String text = spread.text();
        assertTrue(text.contains("3 seeds: [0, 1, 2]"), text);
        assertTrue(text.contains("220.0 ± 20.0"), text);
        List<String> rows = text.lines().skip(3).toList();
        assertEquals(3, rows.size(), text);
        assertTrue(rows.stream().allMatch(row -> row.indexOf('±') == rows.get(0).indexOf('±')), "± lines up:\n" + text);
        String csv = spread.csv();
        assertTrue(csv.startsWith("target,method,metric,mean,std,seed_0,seed_1,seed_2\n"), csv);
        assertTrue(csv.contains("3dhp-like,adaptpose,mpjpe_mm,220.0000,20.0000,200.0000,220.0000,240.0000\n"), csv);
        assertTrue(spread.markdown().contains("| 3dhp-like | adaptpose | 220.0 ± 20.0 | 110.0 ± 10.0 |"), spread.markdown());
    }

    @Test
    void seedsAndRunsMustPair() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SeedSpread(List.of(0L, 1L), List.of(run(3, 2, 1))));
        assertTrue(e.getMessage().contains("2 seeds for 1 runs"), e.getMessage());
    }
}
