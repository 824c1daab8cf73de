package io.github.poseshift.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
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
        String name = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
        return chart;
    }
}
