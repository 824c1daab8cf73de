package io.github.poseshift.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.geometry.Procrustes;
import io.github.poseshift.geometry.Rotation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The notebook-facing views of {@link PoseErrors} and {@link ErrorTable#comparison}. */
class PoseErrorsTest {

    /** Two poses of two joints, every joint of pose p off by (p+1)·0.05 m along x. */
    private static PoseErrors twoPoses() {
        PoseArray truth = PoseArray.of(new double[12], 2);
        PoseArray predicted = PoseArray.of(new double[] {0.05, 0, 0, 0.05, 0, 0, 0.10, 0, 0, 0.10, 0, 0}, 2);
        return PoseErrors.compute(predicted, truth, LengthUnit.METRES);
    }

    @Test
    void thePckCurveEndsAtPck150AndAveragesToTheAuc() {
        PoseErrors errors = twoPoses();
        double[][] curve = errors.pckCurveMm();
        assertArrayEquals(Metrics.AUC_THRESHOLDS_MM, curve[0]);
        assertEquals(errors.summary().pck150(), curve[1][curve[1].length - 1], 1e-12);
        double mean = 0;
        for (double v : curve[1]) {
            mean += v;
        }
        assertEquals(errors.summary().auc(), mean / curve[1].length, 1e-9);
        // Joints 50 mm and 100 mm off: none below 50, half between, all by 150.
        assertEquals(0, curve[1][0], 1e-12);
        assertEquals(100, curve[1][curve[1].length - 1], 1e-12);
    }

    @Test
    void mpjpeByBinAveragesThePosesOfEachBin() {
        PoseErrors errors = twoPoses();
        double[][] byBin = errors.mpjpeByBin(new double[] {12, 47}, 10);
        assertArrayEquals(new double[] {15, 45}, byBin[0], 1e-12);
        assertArrayEquals(new double[] {50, 100}, byBin[1], 1e-9);
        double[][] oneBin = errors.mpjpeByBin(new double[] {3, 7}, 10);
        assertArrayEquals(new double[] {75}, oneBin[1], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> errors.mpjpeByBin(new double[] {1}, 10));
        assertThrows(IllegalArgumentException.class, () -> errors.mpjpeByBin(new double[] {1, Double.NaN}, 10));
        assertThrows(IllegalArgumentException.class, () -> errors.mpjpeByBin(new double[] {1, 2}, 0));
    }

    @Test
    void whatEachMetricForgivesShowsInAComparison() {
        Random rng = new Random(3);
        double[] data = new double[5 * 17 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = 0.3 * rng.nextGaussian();
        }
        PoseArray truth = PoseArray.of(data, 17);
        Procrustes.Similarity turned = new Procrustes.Similarity(0.8, Rotation.aboutZ(0.4), new double[3]);
        Map<String, PoseErrors> rows = new LinkedHashMap<>();
        rows.put("same", PoseErrors.compute(truth, truth, LengthUnit.METRES));
        rows.put("turned and shrunk", PoseErrors.compute(truth.transformed(turned), truth, LengthUnit.METRES));
        rows.put("noised", PoseErrors.compute(truth.plusNoise(0.02, new Random(4)), truth, LengthUnit.METRES));
        ErrorTable table = ErrorTable.comparison("prediction", rows);
        assertEquals(java.util.List.of("same", "turned and shrunk", "noised"), table.rowLabels());
        MetricSummary turnedRow = table.row("turned and shrunk");
        assertTrue(turnedRow.mpjpeMm() > 50, "turning changes MPJPE: " + turnedRow);
        assertEquals(0, turnedRow.paMpjpeMm(), 1e-6, "Procrustes removes rotation and scale");
        assertTrue(table.row("noised").paMpjpeMm() > 5, "noise stays after alignment: " + table.row("noised"));
        assertThrows(IllegalStateException.class, table::meanOverPoses);
        assertTrue(!table.toString().isBlank());
        assertThrows(IllegalArgumentException.class, () -> ErrorTable.comparison("prediction", Map.of()));
    }

    @Test
    void noiseIsSeededAndItsSizeIsChecked() {
        PoseArray zeros = PoseArray.of(new double[3 * 17 * 3], 17);
        PoseArray a = zeros.plusNoise(0.01, new Random(9));
        PoseArray b = zeros.plusNoise(0.01, new Random(9));
        assertEquals(a.get(2, 16, 2), b.get(2, 16, 2));
        assertTrue(a.get(2, 16, 2) != 0);
        assertEquals(0, zeros.plusNoise(0, new Random(1)).get(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> zeros.plusNoise(-1, new Random(1)));
    }
}
