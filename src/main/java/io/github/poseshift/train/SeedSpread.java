package io.github.poseshift.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** Aligned text: target, method, then mean ± std of each metric, and the seeds. */
    public String text() {
        int width = Math.max(12, runs.get(0).results().stream().mapToInt(r -> r.method().length()).max().orElse(0));
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d seeds: %s%n", seeds.size(), seeds));
        text.append(String.format(Locale.ROOT, "%-12s %-" + width + "s %15s %15s %15s %15s %15s%n", "target", "method",
                "MPJPE mm", "PA-MPJPE mm", "PCK@150", "AUC", "gap closed"));
        for (List<Spread> row : spreads().values()) {
            text.append(String.format(Locale.ROOT, "%-12s %-" + width + "s", row.get(0).target(), row.get(0).method()));
            for (int i = 0; i < row.size(); i++) {
                Spread s = row.get(i);
                text.append(String.format(Locale.ROOT, i < 4 ? " %7.1f ± %5.1f" : " %7.2f ± %5.2f", s.mean(), s.std()));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** CSV: {@code target,method,metric,mean,std,<one column per seed>}. */
    public String csv() {
        StringBuilder csv = new StringBuilder("target,method,metric,mean,std");
        seeds.forEach(s -> csv.append(",seed_").append(s));
        csv.append('\n');
        for (List<Spread> row : spreads().values()) {
            for (Spread s : row) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.4f,%.4f", s.target(), s.method(), s.metric(), s.mean(),
                        s.std()));
                for (double v : s.values()) {
                    csv.append(String.format(Locale.ROOT, ",%.4f", v));
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    /** A GitHub Markdown table of mean ± std. */
    public String markdown() {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Mean ± standard deviation over %d seeds (%s).%n%n",
                seeds.size(), seeds.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")));
        md.append("| target | method | MPJPE mm | PA-MPJPE mm | PCK@150 % | AUC % | gap closed |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (List<Spread> row : spreads().values()) {
            md.append("| ").append(row.get(0).target()).append(" | ").append(row.get(0).method()).append(" |");
            for (int i = 0; i < row.size(); i++) {
                Spread s = row.get(i);
                md.append(String.format(Locale.ROOT, i < 4 ? " %.1f ± %.1f |" : " %.2f ± %.2f |", s.mean(), s.std()));
            }
            md.append('\n');
        }
        return md.toString();
    }
}
