package io.github.poseshift.eval;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumberColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * How PoseShift writes its tables. Every table is a Tablesaw {@link Table} whose columns stand in the order the
 * output shows them; this class writes it as CSV (through Tablesaw's CSV writer), as a GitHub Markdown table or as
 * aligned text, and is the one place that decides how a column looks: its heading for people and its number format
 * for people and in CSV, both by the column's name. Tablesaw 0.44 has no Markdown writer, and its printer
 * ({@link Table#print()}) titles the table and centres its headings, hence the two small writers here.
 *
 * <p>Numbers: millimetres and percentages one decimal for people and four in CSV, a share of the gap closed two
 * decimals for people, counts as integers, a training history's values nine significant digits (a float reads back
 * exactly). Text columns are left-aligned, number columns right-aligned ({@code ---:} in Markdown).
 */
public final class Tables {

    /**
     * How one column looks.
     *
     * @param heading its heading in Markdown and text (CSV keeps the column's name, which scripts read)
     * @param shown   its {@link String#format} pattern in Markdown and text
     * @param csv     its {@link String#format} pattern in CSV
     */
    private record ColumnFormat(String heading, String shown, String csv) {}

    private static final String COUNT = "%d";

    /** The columns whose heading or numbers differ from the defaults, by column name. */
    private static final Map<String, ColumnFormat> KNOWN = Map.of(
            "mpjpe_mm", measure("MPJPE mm"),
            "n_mpjpe_mm", measure("N-MPJPE mm"),
            "pa_mpjpe_mm", measure("PA-MPJPE mm"),
            "pck150", measure("PCK@150 %"),
            "auc", measure("AUC %"),
            "gap_closed", new ColumnFormat("gap closed", "%.2f", "%.4f"),
            "value", new ColumnFormat("value", "%.4g", "%.9g"));

    private static final String PLUS_MINUS = " ± ";
    /**
     * An undefined value (NaN: e.g. the gap closed of a run without an oracle) as people read it; CSV keeps
     * {@code NaN} for scripts.
     */
    private static final String UNDEFINED = "–";
    private static final String GAP = "  ";

    private Tables() {}

    private static ColumnFormat measure(String heading) {
        return new ColumnFormat(heading, "%.1f", "%.4f");
    }

    private static ColumnFormat formatOf(Column<?> column) {
        ColumnFormat known = KNOWN.get(column.name());
        String heading = known != null ? known.heading() : column.name();
        if (column instanceof IntColumn || column instanceof LongColumn || column instanceof ShortColumn) {
            return new ColumnFormat(heading, COUNT, COUNT);
        }
        return known != null ? known : measure(heading);
    }

    /** Numbers, and text cells of a known number column (such as {@link #plusMinus}'s), are right-aligned. */
    private static boolean rightAligned(Column<?> column) {
        return column instanceof NumericColumn || KNOWN.containsKey(column.name());
    }

    /**
     * The CSV text of {@code table}: a header of its column names, then one line per row, numbers in each
     * column's CSV format, fields quoted where they hold a comma, quote or line break; NaN is written {@code NaN}.
     */
    public static String csv(Table table) {
        StringWriter out = new StringWriter();
        formatted(table, ColumnFormat::csv, "NaN").write().csv(CsvWriteOptions.builder(out).usePrintFormatters(true)
                .lineEnd("\n").ignoreLeadingWhitespaces(false).ignoreTrailingWhitespaces(false).build());
        return out.toString();
    }

    /** Writes {@link #csv} to {@code file}. */
    public static void writeCsv(Table table, Path file) throws IOException {
        Files.writeString(file, csv(table), StandardCharsets.UTF_8);
    }

    /** A GitHub Markdown table: the columns' headings, then the rows with numbers as people read them. */
    public static String markdown(Table table) {
        List<String[]> cells = shownCells(table);
        StringBuilder md = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            String[] row = Arrays.stream(cells.get(r)).map(cell -> cell.replace("|", "\\|")).toArray(String[]::new);
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
            if (r == 0) {
                md.append('|');
                table.columns().forEach(c -> md.append(rightAligned(c) ? "---:|" : "---|"));
                md.append('\n');
            }
        }
        return md.toString();
    }

    /**
     * Aligned plain text for the terminal: the headings, a rule, the rows; cells of the form {@code mean ± std}
     * line up on the ±.
     *
     * @param ruleAboveRows rows (0 = the first after the headings) to draw a rule above, e.g. the mean rows
     */
    public static String text(Table table, int... ruleAboveRows) {
        List<String[]> cells = shownCells(table);
        int columns = table.columnCount();
        for (int c = 0; c < columns; c++) {
            alignPlusMinus(cells, c);
        }
        int[] width = new int[columns];
        for (String[] row : cells) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        String rule = "-".repeat(Arrays.stream(width).sum() + GAP.length() * Math.max(0, columns - 1));
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            int row = r - 1;
            if (r == 1 || r > 1 && Arrays.stream(ruleAboveRows).anyMatch(i -> i == row)) {
                text.append(rule).append('\n');
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = cells.get(r)[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? "" : GAP).append(rightAligned(table.column(c)) ? pad + cell : cell + pad);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /**
     * A mean and its standard deviation as people read them in {@code column}'s format, e.g. {@code 220.0 ± 20.0}
     * ({@code –} when the mean is undefined): the cell of a table of spreads, whose column is then named like the
     * metric.
     */
    public static String plusMinus(String column, double mean, double std) {
        if (Double.isNaN(mean)) {
            return UNDEFINED;
        }
        String shown = KNOWN.containsKey(column) ? KNOWN.get(column).shown() : measure(column).shown();
        return String.format(Locale.ROOT, shown, mean) + PLUS_MINUS + String.format(Locale.ROOT, shown, std);
    }

    /** The headings, then every row's cells as {@link String}s in each column's format for people. */
    private static List<String[]> shownCells(Table table) {
        Table shown = formatted(table, ColumnFormat::shown, UNDEFINED);
        List<String[]> cells = new ArrayList<>();
        cells.add(table.columns().stream().map(c -> formatOf(c).heading()).toArray(String[]::new));
        for (int r = 0; r < shown.rowCount(); r++) {
            int row = r;
            cells.add(shown.columns().stream().map(c -> c.getString(row)).toArray(String[]::new));
        }
        return cells;
    }

    /**
     * A copy of {@code table} whose number columns print in the pattern {@code pattern} picks from their format, and
     * a missing value (NaN) as {@code missing}.
     */
    private static Table formatted(Table table, Function<ColumnFormat, String> pattern, String missing) {
        Table copy = table.copy();
        for (Column<?> column : copy.columns()) {
            if (column instanceof NumberColumn<?, ?> numbers) {
                numbers.setPrintFormatter(new Printf(pattern.apply(formatOf(column))), missing);
            }
        }
        return copy;
    }

    /**
     * Pads both sides of the ± in column {@code c} so that every {@code mean ± std} cell there lines up on it (other
     * cells, such as an undefined value, stay as they are).
     */
    private static void alignPlusMinus(List<String[]> cells, int c) {
        List<String[]> spreads = cells.subList(1, cells.size()).stream().filter(row -> row[c].contains(PLUS_MINUS))
                .toList();
        int left = 0;
        int right = 0;
        for (String[] row : spreads) {
            int at = row[c].indexOf(PLUS_MINUS);
            left = Math.max(left, at);
            right = Math.max(right, row[c].length() - at - PLUS_MINUS.length());
        }
        for (String[] row : spreads) {
            int at = row[c].indexOf(PLUS_MINUS);
            String mean = row[c].substring(0, at);
            String std = row[c].substring(at + PLUS_MINUS.length());
            row[c] = " ".repeat(left - mean.length()) + mean + PLUS_MINUS + " ".repeat(right - std.length()) + std;
        }
    }

    /** A {@link String#format} pattern (locale-independent) as the {@link NumberFormat} Tablesaw's printer takes. */
    private static final class Printf extends NumberFormat {

        private static final long serialVersionUID = 1L;

        private final String pattern;

        Printf(String pattern) {
            this.pattern = pattern;
        }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition position) {
            return to.append(String.format(Locale.ROOT, pattern, number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition position) {
            return to.append(String.format(Locale.ROOT, pattern, number));
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("a print format only prints");
        }
    }
}
