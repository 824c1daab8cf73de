package io.github.poseshift.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Headless XChart plots written as PNG. */
public final class Plots {

    private Plots() {}

    /**
     * A line chart of named series, each {@code {x[], y[]}}, saved as a PNG at {@code file} (the
     * {@code .png} suffix is added by XChart when missing).
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path file)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setMarkerSize(0);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            if (e.getValue()[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(e.getValue()[0].length < 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        save(chart, file);
        return chart;
    }

    /** A scatter plot of named point sets, each {@code {x[], y[]}}, saved as a PNG. */
    public static XYChart scatter(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path file)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        save(chart, file);
        return chart;
    }

    /** Overlaid histograms of named samples over {@code bins} common bins, saved as a PNG. */
    public static CategoryChart histograms(String title, String xLabel, Map<String, double[]> samples, int bins, Path file)
            throws IOException {
        double lo = samples.values().stream().flatMapToDouble(java.util.Arrays::stream).min().orElse(0);
        double hi = samples.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle("share of views").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            List<Double> values = java.util.Arrays.stream(e.getValue()).boxed().toList();
            Histogram h = new Histogram(values, bins, lo, hi + 1e-9);
            List<Double> shares = h.getyAxisData().stream().map(c -> c / values.size()).toList();
            chart.addSeries(e.getKey(), h.getxAxisData(), shares);
        }
        save(chart, file);
        return chart;
    }

    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        String name = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    }
}
