package io.github.poseshift.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The per-group error table of the papers (one row per action, then the means), as a Tablesaw
 * {@link Table} and as aligned text, Markdown or CSV. Two mean rows, because they differ and papers
 * use both: the mean over groups (each action weighs the same — what Human3.6M tables report) and the
 * mean over poses (each frame weighs the same — what a test-set loader's plain average gives).
 */
public final class ErrorTable {

    /** CSV / Tablesaw column names after the group column. */
    public static final List<String> METRIC_COLUMNS =
            List.of("frames", "mpjpe_mm", "n_mpjpe_mm", "pa_mpjpe_mm", "pck150", "auc");

    private static final List<String> DISPLAY_HEADERS =
            List.of("frames", "MPJPE mm", "N-MPJPE mm", "PA-MPJPE mm", "PCK@150 %", "AUC %");

    private final String groupName;
    private final List<String> rowLabels;
    private final List<MetricSummary> rows;
    private final boolean withMeans;

    private ErrorTable(String groupName, List<String> rowLabels, List<MetricSummary> rows, boolean withMeans) {
        this.groupName = groupName;
        this.rowLabels = List.copyOf(rowLabels);
        this.rows = List.copyOf(rows);
        this.withMeans = withMeans;
    }

    /**
     * One row per distinct label (first-appearance order), then {@code mean (over <group>s)} and
     * {@code mean (over poses)}.
     *
     * @param groupName what the labels are, e.g. {@code action}, {@code subject}, {@code camera}
     * @param errors    the errors to summarise
     * @param labels    one label per pose
     */
    public static ErrorTable byGroup(String groupName, PoseErrors errors, List<String> labels) {
        Map<String, MetricSummary> groups = errors.byLabel(labels);
        List<String> names = new ArrayList<>(groups.keySet());
        List<MetricSummary> rows = new ArrayList<>(groups.values());
        names.add(meanOverGroupsLabel(groupName));
        rows.add(MetricSummary.meanOf(groups.values()));
        names.add("mean (over poses)");
        rows.add(errors.summary());
        return new ErrorTable(groupName, names, rows, true);
    }

    /**
     * One row per named set of errors, without mean rows: different predictions of the same poses side by
     * side (say, the same lifter with and without adaptation, or a pose rotated, scaled and noised), where an
     * average over the rows would mean nothing.
     *
     * @param groupName what the rows are, e.g. {@code prediction}
     * @param errors    the errors of each row, in row order
     * @throws IllegalArgumentException when there are no rows
     */
    public static ErrorTable comparison(String groupName, Map<String, PoseErrors> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors to compare");
        }
        List<MetricSummary> rows = errors.values().stream().map(PoseErrors::summary).toList();
        return new ErrorTable(groupName, new ArrayList<>(errors.keySet()), rows, false);
    }

    /** The label of the mean-over-groups row, e.g. {@code mean (over actions)}. */
    public static String meanOverGroupsLabel(String groupName) {
        return "mean (over " + groupName + "s)";
    }

    /** The group column's name. */
    public String groupName() {
        return groupName;
    }

    /** Row labels, the two mean rows last (tables made by {@link #byGroup}). */
    public List<String> rowLabels() {
        return rowLabels;
    }

    /** Row values, aligned with {@link #rowLabels()}. */
    public List<MetricSummary> rows() {
        return rows;
    }

    /** The row with this label. */
    public MetricSummary row(String label) {
        int i = rowLabels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("no row '" + label + "'; rows are " + rowLabels);
        }
        return rows.get(i);
    }

    /**
     * The mean over groups (each group weighs the same).
     *
     * @throws IllegalStateException for a {@link #comparison} table, which has no mean rows
     */
    public MetricSummary meanOverGroups() {
        requireMeans();
        return rows.get(rows.size() - 2);
    }

    /**
     * The mean over poses (each pose weighs the same).
     *
     * @throws IllegalStateException for a {@link #comparison} table, which has no mean rows
     */
    public MetricSummary meanOverPoses() {
        requireMeans();
        return rows.get(rows.size() - 1);
    }

    private void requireMeans() {
        if (!withMeans) {
            throw new IllegalStateException("a comparison of " + groupName + "s has no mean rows");
        }
    }

    /** A new Tablesaw table with the group column then {@link #METRIC_COLUMNS}. */
    public Table table() {
        StringColumn group = StringColumn.create(groupName, rowLabels);
        IntColumn frames = IntColumn.create("frames", rows.stream().mapToInt(MetricSummary::poses).toArray());
        return Table.create(groupName + " errors", group, frames,
                DoubleColumn.create("mpjpe_mm", rows.stream().mapToDouble(MetricSummary::mpjpeMm)),
                DoubleColumn.create("n_mpjpe_mm", rows.stream().mapToDouble(MetricSummary::nMpjpeMm)),
                DoubleColumn.create("pa_mpjpe_mm", rows.stream().mapToDouble(MetricSummary::paMpjpeMm)),
                DoubleColumn.create("pck150", rows.stream().mapToDouble(MetricSummary::pck150)),
                DoubleColumn.create("auc", rows.stream().mapToDouble(MetricSummary::auc)));
    }

    /** Aligned plain text, one decimal, for the terminal. */
    public String toText() {
        List<String[]> cells = displayCells();
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            // A rule under the header, and above the two mean rows when there are any.
            if (r == 1 || withMeans && r == cells.size() - 2) {
                sb.append(rule(width)).append('\n');
            }
            String[] row = cells.get(r);
            for (int c = 0; c < row.length; c++) {
                String cell = c == 0 ? pad(row[c], width[c], false) : pad(row[c], width[c], true);
                sb.append(c == 0 ? "" : "  ").append(cell);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A GitHub Markdown table, one decimal. */
    public String toMarkdown() {
        List<String[]> cells = displayCells();
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            sb.append("| ").append(String.join(" | ", cells.get(r))).append(" |\n");
            if (r == 0) {
                sb.append("|---").append("|---:".repeat(cells.get(0).length - 1)).append("|\n");
            }
        }
        return sb.toString();
    }

    /** CSV with a header row, four decimals, labels quoted when they contain a comma or quote. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(groupName).append(',').append(String.join(",", METRIC_COLUMNS)).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            MetricSummary m = rows.get(r);
            sb.append(csvField(rowLabels.get(r))).append(',').append(m.poses());
            for (double v : new double[] {m.mpjpeMm(), m.nMpjpeMm(), m.paMpjpeMm(), m.pck150(), m.auc()}) {
                sb.append(',').append(String.format(Locale.ROOT, "%.4f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #toCsv()} to {@code file}. */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return toText();
    }

    private List<String[]> displayCells() {
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add(groupName);
        header.addAll(DISPLAY_HEADERS);
        cells.add(header.toArray(String[]::new));
        for (int r = 0; r < rows.size(); r++) {
            MetricSummary m = rows.get(r);
            cells.add(new String[] {rowLabels.get(r), Integer.toString(m.poses()), f1(m.mpjpeMm()), f1(m.nMpjpeMm()),
                f1(m.paMpjpeMm()), f1(m.pck150()), f1(m.auc())});
        }
        return cells;
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    private static String rule(int[] width) {
        int total = 0;
        for (int w : width) {
            total += w;
        }
        return "-".repeat(total + 2 * (width.length - 1));
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
