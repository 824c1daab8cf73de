package io.github.poseshift.train;

import io.github.poseshift.eval.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The same benchmark run under several seeds, summarised as mean ± standard deviation per target and method.
 * Adversarial methods are seed-sensitive (AdaptPose's authors say to change the seed when the GAN collapses),
 * so one seed's number says little; the spread says how much to trust a difference between two rows.
 *
 * @param seeds the seeds, in the order of {@code runs}
 * @param runs  one benchmark run per seed, with the same targets and methods
 */
public record SeedSpread(List<Long> seeds, List<CrossDatasetBenchmark.Run> runs) {

    /** @throws IllegalArgumentException when the lists differ in length or are empty */
    public SeedSpread {
        if (seeds.isEmpty() || seeds.size() != runs.size()) {
            throw new IllegalArgumentException(seeds.size() + " seeds for " + runs.size() + " runs");
        }
        seeds = List.copyOf(seeds);
        runs = List.copyOf(runs);
    }

    /**
     * Mean ± standard deviation over the seeds of one metric of one method on one target.
     *
     * @param values the metric under each seed, in seed order
     */
    public record Spread(String target, String method, String metric, double[] values) {

        /** The mean over the seeds. */
        public double mean() {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum / values.length;
        }

        /** The sample standard deviation (n − 1); 0 for one seed. */
        public double std() {
            if (values.length < 2) {
                return 0;
            }
            double mean = mean();
            double sum = 0;
            for (double v : values) {
                sum += (v - mean) * (v - mean);
            }
            return Math.sqrt(sum / (values.length - 1));
        }
    }

    /**
     * Every (target, method) of the first run, in its order, with the values over the seeds of {@code mpjpe_mm},
     * {@code pa_mpjpe_mm}, {@code pck150}, {@code auc} and {@code gap_closed}, in that order.
     */
    public Map<String, List<Spread>> spreads() {
        Map<String, List<Spread>> out = new LinkedHashMap<>();
        for (CrossDatasetBenchmark.Result first : runs.get(0).results()) {
            List<Spread> row = new ArrayList<>();
            row.add(spread(first, "mpjpe_mm", (run, r) -> r.summary().mpjpeMm()));
            row.add(spread(first, "pa_mpjpe_mm", (run, r) -> r.summary().paMpjpeMm()));
            row.add(spread(first, "pck150", (run, r) -> r.summary().pck150()));
            row.add(spread(first, "auc", (run, r) -> r.summary().auc()));
            row.add(spread(first, "gap_closed", CrossDatasetBenchmark.Run::gapClosed));
            out.put(first.target() + " " + first.method(), row);
        }
        return out;
    }

    /** The MPJPE of {@code method} on {@code target} under each seed, in seed order. */
    public double[] mpjpeMm(String target, String method) {
        return runs.stream().mapToDouble(run -> run.result(target, method).summary().mpjpeMm()).toArray();
    }

    private interface Metric {
        double of(CrossDatasetBenchmark.Run run, CrossDatasetBenchmark.Result result);
    }

    private Spread spread(CrossDatasetBenchmark.Result first, String metric, Metric m) {
        double[] values = runs.stream()
                .mapToDouble(run -> m.of(run, run.result(first.target(), first.method()))).toArray();
        return new Spread(first.target(), first.method(), metric, values);
    }

    /**
     * The spreads as a Tablesaw table, one row per target, method and metric: {@code target,method,metric,mean,std}
     * and one column {@code seed_<seed>} per seed (the columns of {@code seeds.csv}).
     */
    public Table table() {
        List<Spread> all = spreads().values().stream().flatMap(List::stream).toList();
        Table table = Table.create("seed spread",
                StringColumn.create("target", all.stream().map(Spread::target)),
                StringColumn.create("method", all.stream().map(Spread::method)),
                StringColumn.create("metric", all.stream().map(Spread::metric)),
                DoubleColumn.create("mean", all.stream().mapToDouble(Spread::mean)),
                DoubleColumn.create("std", all.stream().mapToDouble(Spread::std)));
        for (int i = 0; i < seeds.size(); i++) {
            int seed = i;
            table.addColumns(DoubleColumn.create("seed_" + seeds.get(i), all.stream().mapToDouble(s -> s.values()[seed])));
        }
        return table;
    }

    /**
     * One row per target and method, a {@code mean ± std} cell ({@link Tables#plusMinus}) per metric in a column named
     * like it: what people read.
     */
    public Table meanStdTable() {
        List<List<Spread>> rows = List.copyOf(spreads().values());
        Table table = Table.create("mean ± std over seeds",
                StringColumn.create("target", rows.stream().map(row -> row.get(0).target())),
                StringColumn.create("method", rows.stream().map(row -> row.get(0).method())));
        for (int m = 0; !rows.isEmpty() && m < rows.get(0).size(); m++) {
            int metric = m;
            String name = rows.get(0).get(metric).metric();
            table.addColumns(StringColumn.create(name, rows.stream()
                    .map(row -> Tables.plusMinus(name, row.get(metric).mean(), row.get(metric).std()))));
        }
        return table;
    }

    /** Aligned text ({@link Tables#text}) of {@link #meanStdTable()}, after the seeds. */
    public String text() {
        return String.format(Locale.ROOT, "%d seeds: %s%n", seeds.size(), seeds) + Tables.text(meanStdTable());
    }

    /** CSV ({@link Tables#csv}) of {@link #table()}: {@code target,method,metric,mean,std,<one column per seed>}. */
    public String csv() {
        return Tables.csv(table());
    }

    /** A GitHub Markdown table ({@link Tables#markdown}) of {@link #meanStdTable()}, after a line naming the seeds. */
    public String markdown() {
        return String.format(Locale.ROOT, "Mean ± standard deviation over %d seeds (%s).%n%n", seeds.size(),
                seeds.stream().map(String::valueOf).collect(Collectors.joining(", "))) + Tables.markdown(meanStdTable());
    }
}
