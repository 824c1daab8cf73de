package io.github.poseshift.train;

import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.eval.Tables;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.AddCellToColumnException;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Losses and metrics over training: named series of (step, value) points, e.g. {@code train_loss} per
 * step and {@code val_mpjpe_mm} per epoch (x = the step at the epoch's end). Saved as a long-format CSV
 * ({@code series,step,epoch,value}) that pandas, Tablesaw or a spreadsheet read directly.
 */
public final class History {

    private static final List<String> COLUMNS = List.of("series", "step", "epoch", "value");

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

    /** The points as a Tablesaw table, one row per point: {@code series,step,epoch,value} (as the CSV). */
    public Table table() {
        StringColumn names = StringColumn.create("series");
        IntColumn steps = IntColumn.create("step");
        IntColumn epochs = IntColumn.create("epoch");
        DoubleColumn values = DoubleColumn.create("value");
        series.forEach((name, points) -> points.forEach(p -> {
            names.append(name);
            steps.append(p.step());
            epochs.append(p.epoch());
            values.append(p.value());
        }));
        return Table.create("history", names, steps, epochs, values);
    }

    /** Writes the CSV to {@code file}, whole or not at all ({@link AtomicFiles}). */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, toCsv());
    }

    /** The CSV text ({@link Tables#csv}) of {@link #table()}. */
    public String toCsv() {
        return Tables.csv(table());
    }

    /**
     * Parses the text of {@link #toCsv} with Tablesaw's CSV reader. An empty value reads as NaN (Tablesaw's
     * missing number, which is also how a NaN loss is written); an empty step or epoch is an error.
     *
     * @param source names the file in error messages
     */
    public static History parseCsv(String csv, String source) throws FormatException {
        Table table;
        try {
            table = Table.read().csv(CsvReadOptions.builder(new StringReader(csv)).columnTypes(History::columnType)
                    // Only an empty field is missing: a series may be called NA or N/A.
                    .missingValueIndicator("").build());
        } catch (AddCellToColumnException e) {
            throw new FormatException(source, "row " + e.getRowNumber() + " after the header: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new FormatException(source, "not a readable CSV: " + e.getMessage(), e);
        }
        if (!table.columnNames().equals(COLUMNS)) {
            throw new FormatException(source, "not a training history: expected the header " + String.join(",", COLUMNS)
                    + ", found " + (table.columnCount() == 0 ? "nothing" : String.join(",", table.columnNames())));
        }
        StringColumn names = table.stringColumn("series");
        IntColumn steps = table.intColumn("step");
        IntColumn epochs = table.intColumn("epoch");
        DoubleColumn values = table.doubleColumn("value");
        History history = new History();
        for (int r = 0; r < table.rowCount(); r++) {
            if (steps.isMissing(r) || epochs.isMissing(r)) {
                throw new FormatException(source, "row " + (r + 1) + " after the header has no "
                        + (steps.isMissing(r) ? "step" : "epoch"));
            }
            history.record(names.get(r), steps.getInt(r), epochs.getInt(r), values.getDouble(r));
        }
        return history;
    }

    private static ColumnType columnType(String column) {
        return switch (column) {
            case "step", "epoch" -> ColumnType.INTEGER;
            case "value" -> ColumnType.DOUBLE;
            default -> ColumnType.STRING;
        };
    }
}
