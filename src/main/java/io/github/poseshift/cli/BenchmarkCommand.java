package io.github.poseshift.cli;

import ai.djl.Device;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.CrossDatasetBenchmark.Result;
import io.github.poseshift.train.Devices;
import io.github.poseshift.train.History;
import io.github.poseshift.viz.Plots;
import io.github.poseshift.viz.SkeletonPlots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: how much accuracy a 2D→3D lifter loses from one domain to others, and how much of that
 * an adaptation method wins back. Today's methods are the two baselines every paper is placed between:
 * source-only and oracle.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cross-dataset benchmark on the bundled synthetic domains: per target, a temporal lifter trained"
                + " on the source (source-only) and on the target's own training subjects (oracle), evaluated on the"
                + " target's test subjects. Writes a report folder with tables and plots."})
final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", defaultValue = "h36m-like", paramLabel = "NAME|SPEC.json",
            description = "Source domain (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(names = "--targets", defaultValue = "3dhp-like,3dpw-like,ski-like", split = ",", paramLabel = "NAME|SPEC.json",
            description = "Target domains, comma-separated (default: ${DEFAULT-VALUE}).")
    private List<String> targets;

    @Option(names = "--methods", defaultValue = "source-only,oracle", split = ",", paramLabel = "METHOD",
            description = "Methods, comma-separated (today: source-only, oracle).")
    private List<String> methods;

    @Option(names = "--budget", defaultValue = "default", paramLabel = "tiny|default|full",
            description = "Compute budget: tiny (seconds), default (minutes on 2 CPU cores), full (the paper's model; GPU).")
    private String budget;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train.")
    private String device;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: runs/<timestamp>).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        for (String m : methods) {
            if (!CrossDatasetBenchmark.BASELINES.contains(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "'; available: "
                        + String.join(", ", CrossDatasetBenchmark.BASELINES));
            }
        }
        CrossDatasetBenchmark.Budget b = CrossDatasetBenchmark.Budget.byName(budget);
        DomainSpec sourceSpec = Domains.load(source);
        List<DomainSpec> targetSpecs = new ArrayList<>();
        for (String t : targets) {
            targetSpecs.add(Domains.load(t));
        }
        Path folder = out != null ? out
                : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(folder.resolve("report.md"))) {
            throw new FormatException(folder.toString(), "already holds a report; choose another --out (nothing was"
                    + " overwritten)");
        }
        Device dev = Devices.choose(device);
        String deviceName = dev.isGpu() ? "gpu " + dev.getDeviceId() : "cpu";
        PrintWriter outWriter = spec.commandLine().getOut();
        outWriter.printf(Locale.ROOT, "benchmark: source %s, targets %s, budget %s, seed %d, device %s%n",
                sourceSpec.name(), targetSpecs.stream().map(DomainSpec::name).toList(), b.name(), seed, deviceName);
        outWriter.flush();
        long start = System.nanoTime();
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(sourceSpec, targetSpecs, methods, b, seed, dev,
                outWriter);
        List<Result> results = run.results().stream().filter(r -> methods.contains(r.method())).toList();
        double minutes = (System.nanoTime() - start) / 60e9;

        Files.createDirectories(folder);
        StringBuilder report = new StringBuilder();
        report.append("# PoseShift cross-dataset benchmark\n\n")
                .append(String.format(Locale.ROOT, "Source `%s`, budget `%s`, seed %d, device %s, %.1f minutes.%n%n",
                        sourceSpec.name(), b.name(), seed, deviceName, minutes));
        for (DomainSpec t : targetSpecs) {
            outWriter.println();
            outWriter.println("== " + t.name() + " (test subjects " + t.split().testSubjects() + ")");
            report.append("## ").append(t.name()).append("\n\n");
            String drawing = "skeletons_" + t.name() + ".png";
            skeletons(results, t.name(), folder.resolve(drawing));
            report.append("Test windows at the lower quartile, median and upper quartile of the source-only lifter's"
                    + " error, every method's prediction over the truth, in the camera's frame:\n\n![predicted vs true skeletons](")
                    .append(drawing).append(")\n\n");
            for (Result r : results) {
                if (!r.target().equals(t.name())) {
                    continue;
                }
                outWriter.println("-- " + r.method());
                outWriter.print(r.actions().toText());
                report.append("### ").append(r.method()).append("\n\n").append(r.actions().toMarkdown()).append('\n');
                r.actions().writeCsv(folder.resolve("actions_" + t.name() + "_" + r.method() + ".csv"));
            }
        }
        String summaryText = summary(results, folder);
        outWriter.println();
        outWriter.print(summaryText);
        report.append("## Summary\n\n").append(summaryMarkdown(results)).append('\n')
                .append("Gap closed = (source-only − method) / (source-only − oracle) in MPJPE.\n\n")
                .append("![loss curves](loss_curves.png)\n\n![per-joint errors](per_joint_errors.png)\n\n")
                .append("## Cameras\n\nWhere each domain's cameras stand relative to the subject: the further a target's"
                        + " cameras are from the source's, the larger its gap.\n\n")
                .append("![camera viewpoints](camera_viewpoints.png)\n\n![camera distances](camera_distances.png)\n");
        lossCurves(results, folder.resolve("loss_curves.png"));
        perJointErrors(results, folder.resolve("per_joint_errors.png"));
        cameraPlots(run.viewpoints(), folder);
        Files.writeString(folder.resolve("report.md"), report.toString(), StandardCharsets.UTF_8);
        outWriter.printf(Locale.ROOT, "%nreport: %s (summary.csv, per-action CSVs, loss curves, per-joint errors, skeleton"
                + " drawings, camera viewpoints and distances) in %.1f minutes%n", folder.resolve("report.md"), minutes);
        return 0;
    }

    private static double gap(List<Result> results, Result r) {
        MetricSummary sourceOnly = find(results, r.target(), "source-only");
        MetricSummary oracle = find(results, r.target(), "oracle");
        return sourceOnly == null || oracle == null ? Double.NaN
                : CrossDatasetBenchmark.gapClosed(sourceOnly.mpjpeMm(), oracle.mpjpeMm(), r.summary().mpjpeMm());
    }

    private static MetricSummary find(List<Result> results, String target, String method) {
        return results.stream().filter(r -> r.target().equals(target) && r.method().equals(method)).map(Result::summary)
                .findFirst().orElse(null);
    }

    /** Writes summary.csv and returns the aligned text table. */
    private static String summary(List<Result> results, Path folder) throws IOException {
        StringBuilder csv = new StringBuilder("target,method,mpjpe_mm,pa_mpjpe_mm,pck150,auc,gap_closed\n");
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-12s %-12s %9s %11s %8s %6s %10s%n",
                "target", "method", "MPJPE mm", "PA-MPJPE mm", "PCK@150", "AUC", "gap closed"));
        for (Result r : results) {
            MetricSummary m = r.summary();
            double g = gap(results, r);
            csv.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.4f,%.4f,%.4f%n", r.target(), r.method(), m.mpjpeMm(),
                    m.paMpjpeMm(), m.pck150(), m.auc(), g));
            text.append(String.format(Locale.ROOT, "%-12s %-12s %9.1f %11.1f %8.1f %6.1f %10.2f%n", r.target(), r.method(),
                    m.mpjpeMm(), m.paMpjpeMm(), m.pck150(), m.auc(), g));
        }
        Files.writeString(folder.resolve("summary.csv"), csv.toString(), StandardCharsets.UTF_8);
        return text.toString();
    }

    private static String summaryMarkdown(List<Result> results) {
        StringBuilder md = new StringBuilder("| target | method | MPJPE mm | PA-MPJPE mm | PCK@150 % | AUC % | gap closed |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            MetricSummary m = r.summary();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f |%n", r.target(), r.method(),
                    m.mpjpeMm(), m.paMpjpeMm(), m.pck150(), m.auc(), gap(results, r)));
        }
        return md.toString();
    }

    private static void lossCurves(List<Result> results, Path file) throws IOException {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (Result r : results) {
            String name = r.method().equals("source-only") ? "source-only (source)" : "oracle (" + r.target() + ")";
            List<History.Point> epochs = r.history().series("epoch_loss_mm");
            curves.putIfAbsent(name, new double[][] {epochs.stream().mapToDouble(History.Point::epoch).toArray(),
                epochs.stream().mapToDouble(History.Point::value).toArray()});
        }
        Plots.lines("Training loss", "epoch", "MPJPE on training windows (mm)", curves, file);
    }

    private static void cameraPlots(Map<String, List<double[]>> viewpoints, Path folder) throws IOException {
        Map<String, double[][]> angles = new LinkedHashMap<>();
        Map<String, double[]> distances = new LinkedHashMap<>();
        viewpoints.forEach((domain, vps) -> {
            angles.put(domain, new double[][] {vps.stream().mapToDouble(v -> v[1]).toArray(),
                vps.stream().mapToDouble(v -> v[0]).toArray()});
            distances.put(domain, vps.stream().mapToDouble(v -> v[2]).toArray());
        });
        Plots.scatter("Camera viewpoints relative to the subject", "azimuth (°, 0 = in front, + = subject's left)",
                "elevation (°)", angles, folder.resolve("camera_viewpoints.png"));
        Plots.histograms("Camera distances", "distance to the pelvis (m)", distances, 20,
                folder.resolve("camera_distances.png"));
    }

    /**
     * Three test windows of {@code target} — at the lower quartile, median and upper quartile of the
     * source-only lifter's error — with every method's prediction drawn over the truth.
     */
    private static void skeletons(List<Result> results, String target, Path file) throws IOException {
        List<Result> forTarget = results.stream().filter(r -> r.target().equals(target)).toList();
        Result reference = forTarget.stream().filter(r -> r.method().equals("source-only")).findFirst()
                .orElse(forTarget.get(0));
        double[] perPose = reference.errors().perPoseMpjpeMm();
        List<SkeletonPlots.SkeletonPanel> panels = new ArrayList<>();
        // The quartiles of the error, not its extremes: one outlier metres off would shrink every other
        // drawing, which all share its scale.
        int[] quartiles = SkeletonPlots.pickSamples(perPose, 5);
        for (int sample : java.util.Arrays.copyOfRange(quartiles, 1, 4)) {
            Map<String, PoseArray> predictions = new LinkedHashMap<>();
            StringBuilder title = new StringBuilder(target + " · " + reference.labels().get(sample) + " · window " + sample);
            for (Result r : forTarget) {
                predictions.put(r.method(), r.predicted());
                title.append(String.format(Locale.ROOT, "%s %s %.0f mm", predictions.size() == 1 ? " ·" : ",", r.method(),
                        r.errors().perPoseMpjpeMm()[sample]));
            }
            panels.add(SkeletonPlots.SkeletonPanel.of(title.toString(), reference.truth(), predictions, sample));
        }
        // The lifters' targets are root-relative camera coordinates (x right, y down, z forward).
        SkeletonPlots.skeletonPanels(Skeletons.H36M17, panels, SkeletonPlots.Frame.CAMERA, 3, file);
    }

    private static void perJointErrors(List<Result> results, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500).title("Per-joint MPJPE on the targets")
                .xAxisTitle("joint").yAxisTitle("MPJPE (mm)").build();
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> joints = Skeletons.H36M17.jointNames();
        for (Result r : results) {
            double[] perJoint = r.errors().perJointMpjpeMm();
            List<Double> values = new ArrayList<>();
            for (double v : perJoint) {
                values.add(v);
            }
            chart.addSeries(r.target() + " " + r.method(), joints, values);
        }
        String name = file.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    }
}
