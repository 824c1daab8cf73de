package io.github.poseshift.train;

import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Losses and metrics over training: named series of (step, value) points, e.g. {@code train_loss} per
 * step and {@code val_mpjpe_mm} per epoch (x = the step at the epoch's end). Saved as a long-format CSV
 * ({@code series,step,epoch,value}) that pandas, Tablesaw or a spreadsheet read directly.
 */
public final class History {

    /** One point of a series. */
    public record Point(int step, int epoch, double value) {}

    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    /** Appends a value of series {@code name}. */
    public void record(String name, int step, int epoch, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(step, epoch, value));
    }

    /** The names of the series, in order of first record. */
    public List<String> names() {
        return List.copyOf(series.keySet());
    }

    /** The points of a series (empty when never recorded). */
    public List<Point> series(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    /** A series as {@code {epochs, values}}, the form line plots take. */
    public double[][] byEpoch(String name) {
        List<Point> points = series(name);
        return new double[][] {points.stream().mapToDouble(Point::epoch).toArray(),
            points.stream().mapToDouble(Point::value).toArray()};
    }

    /** The last value of a series. */
    public double last(String name) {
        List<Point> points = series.get(name);
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("no values recorded for '" + name + "'; series: " + names());
        }
        return points.get(points.size() - 1).value();
    }

    /** Writes the CSV to {@code file}. */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    /**
     * Parses the text of {@link #toCsv}.
     *
     * @param source names the file in error messages
     */
    public static History parseCsv(String csv, String source) throws FormatException {
        History history = new History();
        String[] lines = csv.split("\r?\n");
        if (lines.length == 0 || !lines[0].equals("series,step,epoch,value")) {
            throw new FormatException(source, "not a training history: expected the header series,step,epoch,value");
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] f = lines[i].split(",");
            try {
                if (f.length != 4) {
                    throw new NumberFormatException(f.length + " fields instead of 4");
                }
                history.record(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]));
            } catch (NumberFormatException e) {
                throw new FormatException(source, "line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return history;
    }

    /** The CSV text: {@code series,step,epoch,value}, one row per point. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("series,step,epoch,value\n");
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            for (Point p : e.getValue()) {
                sb.append(e.getKey()).append(',').append(p.step()).append(',').append(p.epoch()).append(',')
                        .append(String.format(Locale.ROOT, "%.9g", p.value())).append('\n');
            }
        }
        return sb.toString();
    }
}
