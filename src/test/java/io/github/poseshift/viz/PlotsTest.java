package io.github.poseshift.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.DomainGap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @TempDir
    Path dir;

    @Test
    void chartsBecomeImagesForNotebooksAndPngsForReports() throws IOException {
        Map<String, List<double[]>> viewpoints = Map.of("lab", List.of(new double[] {5, 10, 4}, new double[] {8, -30, 5}),
                "studio", List.of(new double[] {60, 0, 3}));
        BufferedImage image = Plots.image(Plots.cameraViewpoints(viewpoints));
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        Path file = dir.resolve("distances.png");
        Plots.save(Plots.cameraDistances(viewpoints), file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(800, read.getWidth());
        // A histogram drawn, not a blank canvas: more than one colour in the plot area.
        assertTrue(read.getRGB(400, 250) != read.getRGB(5, 5) || read.getRGB(300, 400) != read.getRGB(5, 5));
        assertTrue(Files.size(file) > 1000);
    }

    /** Each histogram is an outline whose heights are the shares of its sample in each bin. */
    @Test
    void histogramsAreOutlinesOfEachSamplesShares() {
        Map<String, double[]> samples = new java.util.LinkedHashMap<>();
        samples.put("a", new double[] {0, 0, 1, 3});
        samples.put("b", new double[] {2, 4});
        var chart = Plots.histograms("t", "x", samples, 2);
        var a = chart.getSeriesMap().get("a");
        // Two bins over [0, 4], [0, 2) and [2, 4] (the last bin holds the maximum): a has 3 of 4 values in the
        // first (0, 0, 1), b both of its values in the second.
        assertArrayEquals(new double[] {0, 0, 2, 2, 4, 4}, a.getXData(), 1e-12);
        assertArrayEquals(new double[] {0, 0.75, 0.75, 0.25, 0.25, 0}, a.getYData(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0}, chart.getSeriesMap().get("b").getYData(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Plots.histograms("t", "x", samples, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.histograms("t", "x", Map.of("c", new double[] {1, Double.NEGATIVE_INFINITY}), 2));
        assertTrue(e.getMessage().contains("sample 'c' holds a value that is not finite"), e.getMessage());
        // Ticks at bin edges: one decimal for edges 0.1 apart, and an edge that rounds to 0 from below reads "0.0".
        var symmetric = Plots.histograms("t", "x", Map.of("r", new double[] {-0.3, 0.1, 0.3}), 6);
        var tick = symmetric.getStyler().getxAxisTickLabelsFormattingFunction();
        assertEquals("0.0", tick.apply(-1.3877787807814457e-17));
        assertEquals("0.0", tick.apply(-0.004));
        assertEquals("-0.1", tick.apply(-0.1));
    }

    /** Histogram bin edges are labelled so that neighbours read differently (ratios of ±0.2 must not all read "0"). */
    @Test
    void histogramBinLabelsTellNeighboursApart() {
        assertEquals("0", Plots.binLabelPattern(2.5));
        assertEquals("0", Plots.binLabelPattern(1));
        assertEquals("0.0", Plots.binLabelPattern(0.5));
        assertEquals("0.0", Plots.binLabelPattern(0.1));
        assertEquals("0.00", Plots.binLabelPattern(0.02));
        assertEquals("0.000", Plots.binLabelPattern(0.0011));
        for (double[] range : List.of(new double[] {-0.2, 0.2, 20}, new double[] {1.0, 2.4, 30}, new double[] {0, 90, 18})) {
            double width = (range[1] - range[0]) / range[2];
            java.text.DecimalFormat format = new java.text.DecimalFormat(Plots.binLabelPattern(width),
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
            java.util.Set<String> labels = new java.util.HashSet<>();
            for (int b = 0; b < range[2]; b++) {
                labels.add(format.format(range[0] + (b + 0.5) * width));
            }
            assertEquals((int) range[2], labels.size(), "distinct labels for bins " + width + " wide: " + labels);
        }
    }

    @Test
    void gridPlacesChartsSideBySideOnACommonYRange() {
        var low = Plots.lines("low", "x", "y", Map.of("s", new double[][] {{0, 1}, {1, 2}}));
        var high = Plots.lines("high", "x", "y", Map.of("s", new double[][] {{0, 1}, {5, 9}}));
        Plots.shareYAxis(List.of(low, high));
        assertEquals(0.0, low.getStyler().getYAxisMin());
        assertEquals(9.0, low.getStyler().getYAxisMax());
        assertEquals(9.0, high.getStyler().getYAxisMax());
        BufferedImage grid = Plots.grid(List.of(low, high, low), 2);
        assertEquals(1600, grid.getWidth());
        assertEquals(1000, grid.getHeight());
        assertThrows(IllegalArgumentException.class, () -> Plots.grid(List.of(), 2));
    }

    @Test
    void barsAndSummariesCheckTheirSeries() {
        List<String> joints = List.of("Hip", "Knee");
        assertEquals(1000, Plots.image(Plots.bars("t", "joint", "mm", joints, Map.of("a", new double[] {1, 2}))).getWidth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.bars("t", "joint", "mm", joints, Map.of("a", new double[] {1})));
        assertTrue(e.getMessage().contains("'a' has 1 values for 2 categories"), e.getMessage());
        DomainGap.Summary knee = new DomainGap.Summary("knee", 3, 0.2, 0.01, 0.18, 0.22);
        DomainGap.Summary hip = new DomainGap.Summary("hip", 3, 0.1, 0.01, 0.08, 0.12);
        assertEquals(1000, Plots.image(Plots.summaries("t", "bone", "ratio", orderedPair(List.of(knee), List.of(knee))))
                .getWidth());
        e = assertThrows(IllegalArgumentException.class,
                () -> Plots.summaries("t", "bone", "ratio", orderedPair(List.of(knee), List.of(hip))));
        assertTrue(e.getMessage().contains("summarises [hip]"), e.getMessage());
    }

    private static Map<String, List<DomainGap.Summary>> orderedPair(List<DomainGap.Summary> a, List<DomainGap.Summary> b) {
        Map<String, List<DomainGap.Summary>> m = new java.util.LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }
}
