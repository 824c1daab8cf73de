package io.github.poseshift.viz;

import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Headless XChart plots: each factory builds a chart, and either returns it (to show in a notebook with
 * {@link #image}) or also writes it as a PNG (the variants taking a {@code Path}, for reports).
 */
public final class Plots {

    private Plots() {}

    /**
     * The chart rendered as an image at its own size. A notebook cell whose last expression is this image
     * shows it as a PNG (the Java kernel renders any {@code java.awt.image.RenderedImage}).
     */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Writes the chart as a PNG at {@code file} (the {@code .png} suffix is added when missing), whole or not at
     * all ({@link AtomicFiles}).
     */
    public static void save(Chart<?, ?> chart, Path file) throws IOException {
        Path png = file.toString().endsWith(".png") ? file : file.resolveSibling(file.getFileName() + ".png");
        AtomicFiles.writePng(png, image(chart));
    }

    /**
     * A line chart of named series, each {@code {x[], y[]}}, saved as a PNG at {@code file} (the
     * {@code .png} suffix is added by XChart when missing).
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path file)
            throws IOException {
        XYChart chart = lines(title, xLabel, yLabel, series);
        save(chart, file);
        return chart;
    }

    /**
     * A line chart of named series, each {@code {x[], y[]}} (further rows are ignored), 800 × 500 pixels.
     * Empty series are left out; series of fewer than 30 points get a marker at every point.
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        return lines(title, xLabel, yLabel, series, 800, 500);
    }

    /** {@link #lines(String, String, String, Map)} at {@code width} × {@code height} pixels (e.g. a {@link #grid} panel). */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, int width,
            int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(0);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            if (e.getValue()[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(e.getValue()[0].length < 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return chart;
    }

    /** A scatter plot of named point sets, each {@code {x[], y[]}}, saved as a PNG. */
    public static XYChart scatter(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path file)
            throws IOException {
        XYChart chart = scatter(title, xLabel, yLabel, series);
        save(chart, file);
        return chart;
    }

    /** A scatter plot of named point sets, each {@code {x[], y[]}}, 800 × 500 pixels. */
    public static XYChart scatter(String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        return chart;
    }

    /** Histograms of named samples over {@code bins} common bins, drawn as outlines, saved as a PNG. */
    public static XYChart histograms(String title, String xLabel, Map<String, double[]> samples, int bins, Path file)
            throws IOException {
        XYChart chart = histograms(title, xLabel, samples, bins);
        save(chart, file);
        return chart;
    }

    /**
     * Histograms of named samples over {@code bins} common bins spanning all samples, each bin the share of its
     * sample (so samples of different sizes compare), 800 × 500 pixels; the y axis reads "share of each sample".
     */
    public static XYChart histograms(String title, String xLabel, Map<String, double[]> samples, int bins) {
        return histograms(title, xLabel, "share of each sample", samples, bins);
    }

    /**
     * {@link #histograms(String, String, Map, int)} with the y axis titled {@code yLabel}. Each sample is drawn as
     * the outline of its bars (a step line), not as filled bars: translucent bars that overlap blend into colours
     * no legend names, while outlines stay readable however many samples share a bin.
     *
     * @throws IllegalArgumentException when bins is below 1 or a sample holds a value that is not finite
     */
    public static XYChart histograms(String title, String xLabel, String yLabel, Map<String, double[]> samples,
            int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("a histogram needs at least one bin, got " + bins);
        }
        samples.forEach((name, values) -> {
            if (!Arrays.stream(values).allMatch(Double::isFinite)) {
                throw new IllegalArgumentException("histogram '" + title + "': sample '" + name
                        + "' holds a value that is not finite (NaN or infinite)");
            }
        });
        double lo = samples.values().stream().flatMapToDouble(Arrays::stream).min().orElse(0);
        double hi = samples.values().stream().flatMapToDouble(Arrays::stream).max().orElse(1);
        double width = hi > lo ? (hi - lo) / bins : 1;
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setMarkerSize(0);
        // XChart puts the ticks of equally spaced x values on those values, here bin edges: label them with as many
        // decimals as tell neighbouring edges apart, and an edge that rounds to 0 as 0, not "-0.00".
        DecimalFormat edges = new DecimalFormat(binLabelPattern(width), DecimalFormatSymbols.getInstance(Locale.ROOT));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
            String label = edges.format(x);
            return label.matches("-0(\\.0*)?") ? label.substring(1) : label;
        });
        // The theme's colours are translucent; where two outlines coincide they would blend into a third colour.
        chart.getStyler().setSeriesColors(Arrays.stream(chart.getStyler().getSeriesColors())
                .map(c -> new Color(c.getRed(), c.getGreen(), c.getBlue())).toArray(Color[]::new));
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            double[] shares = new double[bins];
            for (double v : e.getValue()) {
                shares[Math.min(bins - 1, (int) ((v - lo) / width))] += 1.0 / e.getValue().length;
            }
            XYSeries s = chart.addSeries(e.getKey(), stepX(lo, width, bins), stepY(shares));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(2f);
        }
        return chart;
    }

    /**
     * Several charts side by side as one image, {@code columns} per row, each at its own size (rows as tall as
     * their tallest chart): small multiples where one chart would hold too many series.
     *
     * @throws IllegalArgumentException when there are no charts or columns is below 1
     */
    public static BufferedImage grid(List<? extends Chart<?, ?>> charts, int columns) {
        if (charts.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a grid needs at least one chart and one column, got " + charts.size()
                    + " charts and " + columns + " columns");
        }
        List<BufferedImage> images = charts.stream().map(Plots::image).toList();
        int rows = (images.size() + columns - 1) / columns;
        int[] colWidth = new int[columns];
        int[] rowHeight = new int[rows];
        for (int i = 0; i < images.size(); i++) {
            colWidth[i % columns] = Math.max(colWidth[i % columns], images.get(i).getWidth());
            rowHeight[i / columns] = Math.max(rowHeight[i / columns], images.get(i).getHeight());
        }
        BufferedImage out = new BufferedImage(Arrays.stream(colWidth).sum(), Arrays.stream(rowHeight).sum(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0, y = 0; i < images.size(); i++) {
            int x = Arrays.stream(colWidth, 0, i % columns).sum();
            g.drawImage(images.get(i), x, y, null);
            if (i % columns == columns - 1) {
                y += rowHeight[i / columns];
            }
        }
        g.dispose();
        return out;
    }

    /**
     * Gives every chart the y range that holds all of their series, so that small multiples compare by height:
     * from the smallest to the largest y of any series (from 0 when all are positive, as errors and shares are).
     */
    public static void shareYAxis(List<XYChart> charts) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYChart chart : charts) {
            for (XYSeries s : chart.getSeriesMap().values()) {
                for (double y : s.getYData()) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (!(hi >= lo)) {
            return;
        }
        for (XYChart chart : charts) {
            chart.getStyler().setYAxisMin(Math.min(0, lo));
            chart.getStyler().setYAxisMax(hi);
        }
    }

    /** A decimal pattern that labels values {@code width} apart distinctly: "0" for 1 and wider, "0.0" for 0.1, ... */
    static String binLabelPattern(double width) {
        if (!(width > 0) || width >= 1) {
            return "0";
        }
        int decimals = Math.min(6, (int) Math.ceil(-Math.log10(width) - 1e-9));
        return "0." + "0".repeat(decimals);
    }

    /** x of a step outline over {@code bins} bins from {@code lo}: every bin edge twice (the outline rises and falls there). */
    private static double[] stepX(double lo, double width, int bins) {
        double[] x = new double[2 * bins + 2];
        for (int k = 0; k <= bins; k++) {
            x[2 * k] = lo + k * width;
            x[2 * k + 1] = x[2 * k];
        }
        return x;
    }

    /** y of a step outline: 0, each bin's height at both its edges, 0. */
    private static double[] stepY(double[] heights) {
        double[] y = new double[2 * heights.length + 2];
        for (int b = 0; b < heights.length; b++) {
            y[2 * b + 1] = heights[b];
            y[2 * b + 2] = heights[b];
        }
        return y;
    }

    /**
     * Grouped bars: one group per category (e.g. a joint), one bar per named series in each group; every
     * series holds one value per category. 1000 × 500 pixels, category labels at 45°.
     *
     * @throws IllegalArgumentException when a series has a different number of values from the categories
     */
    public static CategoryChart bars(String title, String xLabel, String yLabel, List<String> categories,
            Map<String, double[]> series) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLabelRotation(45);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            chart.addSeries(e.getKey(), categories, boxed(e.getKey(), e.getValue(), categories.size()));
        }
        return chart;
    }

    /**
     * Where each domain's cameras stand relative to the subject: azimuth (x) against elevation (y), one point
     * per view, one colour per domain.
     *
     * @param viewpoints per domain, every view's {elevation °, azimuth °, distance m} ({@link DomainGap#viewpoint})
     */
    public static XYChart cameraViewpoints(Map<String, List<double[]>> viewpoints) {
        Map<String, double[][]> angles = new java.util.LinkedHashMap<>();
        viewpoints.forEach((domain, vps) -> angles.put(domain, new double[][] {column(vps, 1), column(vps, 0)}));
        return scatter("Camera viewpoints relative to the subject", "azimuth (°, 0 = in front, + = subject's left)",
                "elevation (°)", angles);
    }

    /**
     * How far each domain's cameras are from the subject: histograms (20 bins, outlines) of the distance to
     * the pelvis, per domain.
     *
     * @param viewpoints per domain, every view's {elevation °, azimuth °, distance m} ({@link DomainGap#viewpoint})
     */
    public static XYChart cameraDistances(Map<String, List<double[]>> viewpoints) {
        Map<String, double[]> distances = new java.util.LinkedHashMap<>();
        viewpoints.forEach((domain, vps) -> distances.put(domain, column(vps, 2)));
        return histograms("Camera distances", "distance to the pelvis (m)", "share of views", distances, 20);
    }

    /**
     * Means with ±1 standard deviation error bars of the same quantities in several domains, grouped by
     * quantity: e.g. {@link DomainGap#boneLengthRatioSummary} of each domain. The quantities are those of the
     * first domain, in its order; every other domain must have the same ones.
     *
     * @throws IllegalArgumentException when the domains summarise different quantities
     */
    public static CategoryChart summaries(String title, String xLabel, String yLabel,
            Map<String, List<DomainGap.Summary>> summaries) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        List<String> quantities = null;
        for (Map.Entry<String, List<DomainGap.Summary>> e : summaries.entrySet()) {
            List<String> names = e.getValue().stream().map(DomainGap.Summary::quantity).toList();
            if (quantities == null) {
                quantities = names;
            } else if (!quantities.equals(names)) {
                throw new IllegalArgumentException("domain '" + e.getKey() + "' summarises " + names + ", the first "
                        + quantities);
            }
            List<Double> means = e.getValue().stream().map(DomainGap.Summary::mean).toList();
            List<Double> stds = e.getValue().stream().map(DomainGap.Summary::std).toList();
            CategorySeries s = chart.addSeries(e.getKey(), names, means, stds);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(v -> v[c]).toArray();
    }

    private static List<Double> boxed(String name, double[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException("series '" + name + "' has " + values.length + " values for " + expected
                    + " categories");
        }
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
