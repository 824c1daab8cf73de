package io.github.poseshift.cli;

import ai.djl.Device;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.method.Methods;
import io.github.poseshift.train.ImageAdaptation;
import io.github.poseshift.method.adaptpose.AdaptPoseMethods;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.SeedSpread;
import io.github.poseshift.train.CrossDatasetBenchmark.Result;
import io.github.poseshift.train.Devices;
import io.github.poseshift.train.ImageBenchmark;
import io.github.poseshift.viz.ImagePlots;
import io.github.poseshift.viz.Plots;
import io.github.poseshift.viz.SkeletonPlots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: how much accuracy a 2D→3D lifter loses from one domain to others, and how much of that
 * an adaptation method wins back: the baselines every paper is placed between (source-only below; target-only
 * and oracle, the bound, above) and the adaptation methods ({@link Methods#adaptations()}: every paper's method
 * and its ablations).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cross-dataset benchmark on the bundled synthetic domains: per target, a temporal lifter trained"
                + " on the source (source-only), on the target's own training subjects (target-only) and on both with"
                + " their 3D labels (oracle, the bound), evaluated on the target's test subjects, and between them any"
                + " adaptation method (--methods) that starts from the"
                + " source-only lifter and sees only the target's 2D keypoints (ahup-spa: the mean body proportions of"
                + " its training subjects). Writes a report folder with tables and plots."})
final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--modality", defaultValue = "pose", paramLabel = "pose|image",
            description = "What the models see: pose (2D keypoints, the temporal lifter; the default) or image (rendered"
                    + " person crops of each domain's image style, an image pose model; methods source-only, mean-pose,"
                    + " oracle and the image adaptations, see --methods; budgets: tiny ~2 minutes on one thread, default"
                    + " well under an hour on 2 cores, full for a GPU).")
    private String modality;

    @Option(names = "--source", defaultValue = "h36m-like", paramLabel = "NAME|SPEC.json",
            description = "Source domain (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(names = "--targets", defaultValue = "3dhp-like,3dpw-like,ski-like", split = ",", paramLabel = "NAME|SPEC.json",
            description = "Target domains, comma-separated (default: ${DEFAULT-VALUE}).")
    private List<String> targets;

    @Option(names = "--methods", split = ",", paramLabel = "METHOD",
            description = "Methods, comma-separated: source-only, target-only, oracle, adaptpose, AdaptPose's ablations"
                    + " (rows adaptpose-bg1, -bg2, -bg3, -a1 ... -a5, -no-ba, -no-bl, -no-camera, -no-dd, -no-d3d,"
                    + " -no-feedback, -no-selection, -no-perturbation, or --ablation) and variants"
                    + " adaptpose-deterministic-axis, -quaternion, -euler, -reprojection; poseda and its ablations"
                    + " poseda-gpa, poseda-lpa; ahup-spa (the source-only lifter with AHuP's skeletal pose adaptation head,"
                    + " trained as the paper does on the source's true poses) and ahup-spa-refine (the head trained on the"
                    + " lifter's outputs instead); with --modality image source-only, mean-pose (the source's mean training"
                    + " pose for every crop), oracle, and Yang et al. 2018 (yang2018, its Table 2 rows yang2018-map, -geo,"
                    + " -baseline, -fix2d, -no-pretrain, and the diagnostic yang2018-no-image; the target's 2D labels are"
                    + " used, never its 3D) (default: source-only,target-only,oracle; with --modality image"
                    + " source-only,mean-pose,oracle).")
    private List<String> methods;

    @Option(names = "--ablation", split = ",", paramLabel = "ABLATION",
            description = "AdaptPose's ablations as extra rows, comma-separated: BG1, BG2, BG3 the bone generator designs"
                    + " of the paper's table 6 (BG3 is AdaptPose's); A1 ... A5 the rows of its table 5 (bone generation,"
                    + " camera generation, domain discriminator and selection added to the baseline); components: each"
                    + " component switched off alone. Rows adaptpose-bg1, ..., placed before target-only and oracle.")
    private List<String> ablations;

    @Option(names = "--budget", defaultValue = "default", paramLabel = "tiny|default|full",
            description = "Compute budget: tiny (seconds), default (minutes on 2 CPU cores), full (the paper's model; GPU).")
    private String budget;

    @Option(names = "--frames", paramLabel = "N",
            description = "Frames the lifter sees: 1 or a power of 3 up to 243 (default: the budget's, tiny 9, default"
                    + " and full 27).")
    private Integer frames;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "Run under N seeds (--seed, --seed+1, ...) and report mean ± std of every row; tables and"
                    + " plots show the first seed (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train.")
    private String device;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: runs/<timestamp>).")
    private Path out;

    @Option(names = "--cache", defaultValue = "runs/cache/image-source", paramLabel = "DIR|none",
            description = "--modality image: where the pretrained source model is kept and looked up, keyed by a hash"
                    + " of the source spec, budget, seed and code; none to train it without caching (default:"
                    + " ${DEFAULT-VALUE}).")
    private String cache;

    @Override
    public Integer call() throws IOException {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        if (methods == null) {
            methods = modality.equals("image") ? ImageBenchmark.METHODS : CrossDatasetBenchmark.BASELINES;
        }
        methods = withAblations(methods, ablations == null ? List.of() : ablations);
        return switch (modality) {
            case "pose" -> poses();
            case "image" -> images();
            default -> throw new IllegalArgumentException("unknown modality '" + modality + "'; use pose or image");
        };
    }

    private Integer poses() throws IOException {
        List<Adaptation> adaptations = Methods.adaptations();
        methods.forEach(m -> CrossDatasetBenchmark.adaptation(m, adaptations));
        CrossDatasetBenchmark.Budget b = CrossDatasetBenchmark.Budget.byName(budget);
        if (frames != null) {
            b = b.withReceptiveField(frames);
        }
        Setup setup = setup();
        try {
            return poses(setup, b, adaptations);
        } catch (Throwable t) {
            setup.folder().abandon(t);
            throw t;
        }
    }

    private Integer poses(Setup setup, CrossDatasetBenchmark.Budget b, List<Adaptation> adaptations) throws IOException {
        int lifterFrames = b.network().receptiveField();
        DomainSpec sourceSpec = setup.source();
        List<DomainSpec> targetSpecs = setup.targets();
        Device dev = setup.device();
        String deviceName = setup.deviceName();
        PrintWriter outWriter = spec.commandLine().getOut();
        outWriter.printf(Locale.ROOT, "benchmark: source %s, targets %s, budget %s, %d-frame lifter, seed %d, device"
                + " %s%n", sourceSpec.name(), targetSpecs.stream().map(DomainSpec::name).toList(), b.name(), lifterFrames,
                seed, deviceName);
        outWriter.flush();
        long start = System.nanoTime();
        List<Long> seedList = new ArrayList<>();
        List<CrossDatasetBenchmark.Run> runs = eachSeed(outWriter, seedList,
                s -> CrossDatasetBenchmark.run(sourceSpec, targetSpecs, methods, b, s, dev, outWriter, adaptations));
        double minutes = (System.nanoTime() - start) / 60e9;
        String header = "# PoseShift cross-dataset benchmark\n\n" + String.format(Locale.ROOT, "Source `%s`, budget `%s`,"
                + " %d-frame lifter, %s, device %s, %.1f minutes.%n%n", sourceSpec.name(), b.name(), lifterFrames,
                seeds > 1 ? "seeds " + seedList : "seed " + seed, deviceName, minutes);
        report(setup.folder().path(), header, targetSpecs, runs, seedList, minutes, "Test windows", "lifter",
                (target, dir) -> "", "");
        return 0;
    }

    /**
     * {@code --modality image}: the baselines and the image adaptations on rendered crops ({@link ImageBenchmark}),
     * under one or more seeds, reported as the poses are.
     */
    private Integer images() throws IOException {
        List<ImageAdaptation> adaptations = Methods.imageAdaptations();
        ImageBenchmark.checkMethods(methods, adaptations);
        if (frames != null) {
            throw new IllegalArgumentException("--frames applies to --modality pose only (the image model sees one crop)");
        }
        ImageBenchmark.Budget b = ImageBenchmark.Budget.byName(budget);
        Setup setup = setup();
        try {
            return images(setup, b, adaptations);
        } catch (Throwable t) {
            setup.folder().abandon(t);
            throw t;
        }
    }

    private Integer images(Setup setup, ImageBenchmark.Budget b, List<ImageAdaptation> adaptations) throws IOException {
        PrintWriter outWriter = spec.commandLine().getOut();
        outWriter.printf(Locale.ROOT, "benchmark on images: source %s, targets %s, budget %s (%d fresh training crops"
                + " of %d×%d per epoch, up to %d test crops per target, %d source epochs, %d oracle epochs), seed %d, device"
                + " %s%n", setup.source().name(), setup.targets().stream().map(DomainSpec::name).toList(), b.name(),
                b.trainImages(), b.imageSize(), b.imageSize(), b.testImages(), b.epochs(), b.oracleEpochs(), seed,
                setup.deviceName());
        outWriter.flush();
        long start = System.nanoTime();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Path cacheFolder = cache.equals("none") ? null : Path.of(cache);
        List<Long> seedList = new ArrayList<>();
        List<ImageBenchmark.Run> imageRuns = eachSeed(outWriter, seedList, s -> ImageBenchmark.run(setup.source(),
                setup.targets(), methods, b, s, setup.device(), threads, outWriter, cacheFolder, adaptations));
        List<CrossDatasetBenchmark.Run> runs = imageRuns.stream().map(ImageBenchmark.Run::poses).toList();
        ImageBenchmark.Run run = imageRuns.get(0);
        double minutes = (System.nanoTime() - start) / 60e9;
        String header = "# PoseShift cross-dataset benchmark on images\n\n" + String.format(Locale.ROOT, "Source `%s`,"
                + " budget `%s` (%d fresh training crops of %d×%d per epoch, up to %d test crops per target, %d source"
                + " epochs, %d oracle epochs), %s, device %s, %.1f minutes. The image model's 3D goes through each"
                + " crop's camera with the true root depth. The oracle fine-tunes the source model on the target's"
                + " labelled training crops.%n%n", setup.source().name(), b.name(), b.trainImages(), b.imageSize(),
                b.imageSize(), b.testImages(), b.epochs(), b.oracleEpochs(), seeds > 1 ? "seeds " + seedList : "seed " + seed,
                setup.deviceName(), minutes);
        // The source's own test subjects come first: how well the model learnt its domain.
        List<DomainSpec> sections = new ArrayList<>(List.of(setup.source()));
        sections.addAll(setup.targets());
        report(setup.folder().path(), header, sections, runs, seedList, minutes, "Test crops",
                "model", (target, dir) -> {
            String file = "examples_" + target + ".png";
            AtomicFiles.writePng(dir.resolve(file), examples(run, target, 6));
            return "Test crops at evenly spaced quantiles of the source-only model's error (best first), the truth in"
                    + " green and each method's 2D prediction in red:\n\n![example crops](" + file + ")\n\n";
        }, ", example crops");
        return 0;
    }

    /** One run of the benchmark under one seed. */
    @FunctionalInterface
    private interface SeedRun<R> {
        R run(long seed) throws IOException;
    }

    /** {@code run} under {@code --seed}, {@code --seed}+1, ... ({@code --seeds} of them), each seed added to {@code seedList}. */
    private <R> List<R> eachSeed(PrintWriter out, List<Long> seedList, SeedRun<R> run) throws IOException {
        List<R> results = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            if (seeds > 1) {
                out.printf(Locale.ROOT, "-- seed %d (%d of %d)%n", seed + i, i + 1, seeds);
                out.flush();
            }
            seedList.add(seed + i);
            results.add(run.run(seed + i));
        }
        return results;
    }

    /**
     * {@code methods} with the rows of the AdaptPose ablations named in {@code ablations}
     * ({@link AdaptPoseMethods.Ablation}) inserted before the first of {@code target-only} and {@code oracle}
     * (appended when there is neither), each once and in the order given.
     */
    static List<String> withAblations(List<String> methods, List<String> ablations) {
        List<String> all = new ArrayList<>(methods);
        int at = all.size();
        for (String bound : List.of("target-only", "oracle")) {
            if (all.contains(bound)) {
                at = Math.min(at, all.indexOf(bound));
            }
        }
        for (String a : ablations) {
            for (String name : AdaptPoseMethods.Ablation.byName(a).rows()) {
                if (!all.contains(name)) {
                    all.add(at++, name);
                }
            }
        }
        return all;
    }

    /**
     * {@code count} test crops of {@code target} at evenly spaced quantiles of the first method's MPJPE, one row
     * per method, its 2D prediction over the truth.
     */
    static java.awt.image.BufferedImage examples(ImageBenchmark.Run run, String target, int count) {
        Map<String, PoseArray> predictions = run.poses().predictions(target);
        Result first = run.poses().result(target, predictions.keySet().iterator().next());
        ImageBenchmark.Examples e = run.examples(target, SkeletonPlots.pickSamples(first.errors().perPoseMpjpeMm(), count));
        return ImagePlots.examples(Skeletons.H36M17, e.crops(), e.labels(), e.truth2d(), e.predicted2d(), e.errorsMm(), 3);
    }

    /** What a report adds under each target's heading: writes its files into the folder, returns its Markdown. */
    private interface TargetSection {
        String write(String target, Path folder) throws IOException;
    }

    /** What both modalities start from: the domains, the claimed report folder, the device. */
    private record Setup(DomainSpec source, List<DomainSpec> targets, OutputFolder folder, Device device,
            String deviceName) {}

    /** Loads every domain and chooses the device, then claims the report folder: all before any training. */
    private Setup setup() throws IOException {
        DomainSpec sourceSpec = Domains.load(source);
        List<DomainSpec> targetSpecs = new ArrayList<>();
        for (String t : targets) {
            targetSpecs.add(Domains.load(t));
        }
        Device dev = Devices.choose(device);
        OutputFolder folder = out != null ? OutputFolder.claim(out, false) : OutputFolder.claimNew(
                Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        return new Setup(sourceSpec, targetSpecs, folder, dev, dev.isGpu() ? "gpu " + dev.getDeviceId() : "cpu");
    }

    /**
     * Prints the per-action tables and the summary and writes the report folder: {@code report.md} (after
     * {@code header}), {@code summary.csv}, per-action CSVs, skeleton drawings, loss curves, per-joint errors,
     * camera plots, and with several seeds their spread; {@code section} adds to each target's part; {@code
     * samples} and {@code model} name what is scored in the drawings' caption ("Test windows", "lifter").
     */
    private void report(Path folder, String header, List<DomainSpec> targetSpecs, List<CrossDatasetBenchmark.Run> runs,
            List<Long> seedList, double minutes, String samples, String model, TargetSection section, String sectionFiles)
            throws IOException {
        PrintWriter outWriter = spec.commandLine().getOut();
        CrossDatasetBenchmark.Run run = runs.get(0);
        List<Result> results = run.results().stream().filter(r -> methods.contains(r.method())).toList();
        CrossDatasetBenchmark.Run shown = new CrossDatasetBenchmark.Run(results, run.viewpoints());
        StringBuilder report = new StringBuilder(header);
        for (DomainSpec t : targetSpecs) {
            outWriter.println();
            outWriter.println("== " + t.name() + " (test subjects " + t.split().testSubjects() + ")");
            report.append("## ").append(t.name()).append("\n\n");
            String drawing = "skeletons_" + t.name() + ".png";
            skeletons(shown, t.name(), folder.resolve(drawing));
            report.append(samples).append(" at the lower quartile, median and upper quartile of the source-only ")
                    .append(model).append("'s error, every method's prediction over the truth, in the camera's frame:\n\n"
                    + "![predicted vs true skeletons](")
                    .append(drawing).append(")\n\n");
            report.append(section.write(t.name(), folder));
            for (Result r : results) {
                if (!r.target().equals(t.name())) {
                    continue;
                }
                outWriter.println("-- " + r.method());
                outWriter.print(r.actions().toText());
                report.append("### ").append(r.method()).append("\n\n").append(r.actions().toMarkdown()).append('\n');
                AtomicFiles.writeString(folder.resolve("actions_" + t.name() + "_" + r.method() + ".csv"),
                        r.actions().toCsv());
            }
        }
        AtomicFiles.writeString(folder.resolve("summary.csv"), shown.summaryCsv());
        outWriter.println();
        outWriter.print(shown.summaryText());
        report.append("## Summary\n\n").append(seeds > 1 ? "Seed " + seed + ":\n\n" : "").append(shown.summaryMarkdown())
                .append('\n').append("Gap closed = (source-only − method) / (source-only − oracle) in MPJPE.\n\n");
        if (seeds > 1) {
            List<CrossDatasetBenchmark.Run> shownRuns = runs.stream().map(r -> new CrossDatasetBenchmark.Run(
                    r.results().stream().filter(x -> methods.contains(x.method())).toList(), r.viewpoints())).toList();
            SeedSpread spread = new SeedSpread(seedList, shownRuns);
            outWriter.println();
            outWriter.print(spread.text());
            AtomicFiles.writeString(folder.resolve("seeds.csv"), spread.csv());
            report.append("## Seed spread\n\n").append(spread.markdown()).append('\n');
        }
        report
                .append("![loss curves](loss_curves.png)\n\n![per-joint errors](per_joint_errors.png)\n\n")
                .append("## Cameras\n\nWhere each domain's cameras stand relative to the subject: the further a target's"
                        + " cameras are from the source's, the larger its gap.\n\n")
                .append("![camera viewpoints](camera_viewpoints.png)\n\n![camera distances](camera_distances.png)\n");
        Plots.lines("Training loss", "epoch", "MPJPE on training windows (mm)", shown.lossCurves(),
                folder.resolve("loss_curves.png"));
        Plots.save(Plots.bars("Per-joint MPJPE on the targets", "joint", "MPJPE (mm)", Skeletons.H36M17.jointNames(),
                shown.perJointMpjpeMm()), folder.resolve("per_joint_errors.png"));
        Plots.save(Plots.cameraViewpoints(run.viewpoints()), folder.resolve("camera_viewpoints.png"));
        Plots.save(Plots.cameraDistances(run.viewpoints()), folder.resolve("camera_distances.png"));
        AtomicFiles.writeString(folder.resolve("report.md"), report.toString());
        outWriter.printf(Locale.ROOT, "%nreport: %s (summary.csv, per-action CSVs, loss curves, per-joint errors, skeleton"
                + " drawings, camera viewpoints and distances%s) in %.1f minutes%n", folder.resolve("report.md"),
                sectionFiles, minutes);
    }

    /**
     * Three test windows of {@code target} — at the lower quartile, median and upper quartile of the
     * source-only lifter's error — with every method's prediction drawn over the truth.
     */
    private static void skeletons(CrossDatasetBenchmark.Run run, String target, Path file) throws IOException {
        Map<String, PoseArray> predictions = drawable(run.predictions(target));
        Result first = run.result(target, predictions.keySet().iterator().next());
        List<SkeletonPlots.SkeletonPanel> panels = SkeletonPlots.quartilePanels(target, first.truth(), predictions,
                first.labels());
        // The lifters' targets are root-relative camera coordinates (x right, y down, z forward).
        SkeletonPlots.skeletonPanels(Skeletons.H36M17, panels, SkeletonPlots.Frame.CAMERA, 3, file);
    }

    /**
     * At most {@link SkeletonPlots#MAX_PREDICTIONS} of a run's predictions, as many colours as a figure tells apart:
     * the first (source-only) and the last two (the baselines trained on the target) always, the rows between them
     * in order until the figure is full; an ablation's extra rows are in the tables, not the drawing.
     */
    static Map<String, PoseArray> drawable(Map<String, PoseArray> predictions) {
        int max = SkeletonPlots.MAX_PREDICTIONS;
        if (predictions.size() <= max) {
            return predictions;
        }
        List<String> names = new ArrayList<>(predictions.keySet());
        List<String> kept = new ArrayList<>(names.subList(0, max - 2));
        kept.addAll(names.subList(names.size() - 2, names.size()));
        Map<String, PoseArray> out = new java.util.LinkedHashMap<>();
        kept.forEach(n -> out.put(n, predictions.get(n)));
        return out;
    }
}
