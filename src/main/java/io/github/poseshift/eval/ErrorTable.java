package io.github.poseshift.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The per-group error table of the papers (one row per action, then the means), as a Tablesaw
 * {@link Table}, written as aligned text, Markdown or CSV by {@link Tables}. Two mean rows, because they
 * differ and papers use both: the mean over groups (each action weighs the same — what Human3.6M tables
 * report) and the mean over poses (each frame weighs the same — what a test-set loader's plain average gives).
 */
public final class ErrorTable {

    /** CSV / Tablesaw column names after the group column. */
    public static final List<String> METRIC_COLUMNS =
            List.of("frames", "mpjpe_mm", "n_mpjpe_mm", "pa_mpjpe_mm", "pck150", "auc");

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
        return byGroup(groupName, errors.sums(PoseGroups.of(labels)));
    }

    /**
     * The same table from the totals of a test set scored block by block: one row per group with poses
     * (in the order of the groups' names), then the two means.
     *
     * @param groupName what the groups are, e.g. {@code action}
     * @param sums      totals made with groups ({@link ErrorSums#ErrorSums(int, PoseGroups)})
     */
    public static ErrorTable byGroup(String groupName, ErrorSums sums) {
        Map<String, MetricSummary> groups = sums.byGroup();
        List<String> names = new ArrayList<>(groups.keySet());
        List<MetricSummary> rows = new ArrayList<>(groups.values());
        names.add(meanOverGroupsLabel(groupName));
        rows.add(MetricSummary.meanOf(groups.values()));
        names.add("mean (over poses)");
        rows.add(sums.summary());
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

    /** Aligned plain text for the terminal ({@link Tables#text}), a rule above the mean rows. */
    public String toText() {
        return withMeans ? Tables.text(table(), rows.size() - 2) : Tables.text(table());
    }

    /** A GitHub Markdown table ({@link Tables#markdown}). */
    public String toMarkdown() {
        return Tables.markdown(table());
    }

    /** CSV with a header row ({@link Tables#csv}): the group column then {@link #METRIC_COLUMNS}. */
    public String toCsv() {
        return Tables.csv(table());
    }

    /** Writes {@link #toCsv()} to {@code file}. */
    public void writeCsv(Path file) throws IOException {
        Tables.writeCsv(table(), file);
    }

    @Override
    public String toString() {
        return toText();
    }
}
