package io.github.poseshift.cli;

import ai.djl.Device;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.method.Methods;
import io.github.poseshift.train.History;
import io.github.poseshift.train.ImageAdaptation;
import io.github.poseshift.train.ImageBenchmark;
import io.github.poseshift.train.ImagePoseTraining;
import io.github.poseshift.train.SourceModelCache;
import io.github.poseshift.train.AdversarialLoop;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.render.ImageDataset;
import ai.djl.Model;
import java.util.ArrayList;
import io.github.poseshift.method.adaptpose.AdaptPose;
import io.github.poseshift.method.adaptpose.AdaptPoseMethods;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.BaselineTraining;
import io.github.poseshift.train.Checkpoint;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.Devices;
import io.github.poseshift.viz.Plots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code poseshift train}: one method of the benchmark trained into a checkpoint folder, then scored on the
 * target's test subjects: a baseline (resumable; the oracle continues a source-only lifter), or an adaptation
 * method applied to a source-only lifter.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the benchmark's temporal lifter as one method: source-only (on the source's training"
                + " subjects), target-only (on the target's) or oracle (a source-only lifter, --init or one trained first"
                + " into OUT/source-only, trained on both with their 3D labels), checkpointing every epoch into --out;"
                + " or an adaptation method (adaptpose, poseda and their ablations, ahup-spa, ahup-spa-refine) that adapts"
                + " a source-only lifter (--init, or one trained first into OUT/source-only) using the target's 2D"
                + " keypoints only (ahup-spa: the mean body proportions of its training subjects). Then score it on the"
                + " target's test"
                + " subjects. Score the checkpoint again later with: poseshift eval --checkpoint DIR --domain NAME."
                + " With --modality image: the image model, source-only or adapted by an image method (yang2018 and its"
                + " ablations), scored on the target's rendered test crops."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--modality", defaultValue = "pose", paramLabel = "pose|image",
            description = "pose: the temporal lifter on 2D keypoints (default); image: the image model on rendered crops,"
                    + " --method source-only (the shared source model, cached as the benchmark caches it) or an image"
                    + " adaptation (yang2018 and its ablations yang2018-map, -geo, -baseline, -fix2d, -no-pretrain,"
                    + " -no-image), which starts from that source model.")
    private String modality;

    @Option(names = "--cache", defaultValue = "runs/cache/image-source", paramLabel = "DIR|none",
            description = "--modality image: the source-model cache, as benchmark --cache (default: ${DEFAULT-VALUE}).")
    private String cache;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "source-only, target-only, oracle, adaptpose, poseda or one of their ablations, ahup-spa or"
                    + " ahup-spa-refine (see"
                    + " benchmark --help).")
    private String method;

    @Option(names = "--ablation", paramLabel = "BG1|...|A5",
            description = "With --method adaptpose: train one row of the paper's ablations instead: BG1, BG2, BG3 (table"
                    + " 6) or A1 ... A5 (table 5); the same as --method adaptpose-bg1, ... (see benchmark --help).")
    private String ablation;

    @Option(names = "--source", defaultValue = "h36m-like", paramLabel = "NAME|SPEC.json",
            description = "Source domain (default: ${DEFAULT-VALUE}); its frame rate sets the windows' rate.")
    private String source;

    @Option(names = "--target", required = true, paramLabel = "NAME|SPEC.json",
            description = "Target domain: scored at the end; target-only and the oracle also train on it.")
    private String target;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint folder.")
    private Path out;

    @Option(names = "--budget", defaultValue = "default", paramLabel = "tiny|default|full",
            description = "Data size, network and schedule (default: ${DEFAULT-VALUE}).")
    private String budget;

    @Option(names = "--init", paramLabel = "DIR",
            description = "The oracle and adaptation methods: the source-only checkpoint to start from (default: train"
                    + " one into OUT/source-only first).")
    private Path init;

    @Option(names = "--frames", paramLabel = "N",
            description = "Frames the lifter sees: 1 or a power of 3 up to 243 (default: the budget's).")
    private Integer frames;

    @Option(names = "--epochs", defaultValue = "0", paramLabel = "N",
            description = "Epochs to train (default: the budget's); for an adaptation, those of its source-only stage;"
                    + " for the oracle, those of each stage.")
    private int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu", description = "Where to train.")
    private String device;

    @Option(names = "--resume", description = "Continue from the checkpoint in --out: method, domains, budget, seed and"
            + " network must be the checkpoint's (--epochs may grow).")
    private boolean resume;

    @Option(names = "--stop-after", defaultValue = "0", paramLabel = "EPOCH",
            description = "Stop after this epoch and keep the checkpoint for --resume (for time-limited jobs).")
    private int stopAfter;

    /** A plot of a run's own series: file, title, y axis and the history series it draws. */
    private record LossPlot(String file, String title, String yLabel, List<String> series) {}

    /**
     * The adaptation methods' loss plots, one point per epoch: AdaptPose's G and D LSGAN losses and the lifter's
     * feedback to G (sec. 3.3); AHuP SPA's two terms, L1 (mm) and 50·‖d − d̄‖².
     */
    private static final List<LossPlot> ADAPTATION_PLOTS = List.of(
            new LossPlot("adversarial_losses.png", "adversarial losses", "loss",
                    List.of("generator_loss", "discriminator_2d_loss", "discriminator_3d_loss", "anchor_discriminator_loss",
                            "plausibility_discriminator_loss", "feedback_loss")),
            new LossPlot("spa_losses.png", "SPA losses", "loss", List.of("l1_loss_mm", "descriptor_term")));

    @Override
    public Integer call() throws IOException {
        switch (modality) {
            case "pose" -> {
                return poses();
            }
            case "image" -> {
                return images();
            }
            default -> throw new IllegalArgumentException("unknown modality '" + modality + "'; use pose or image");
        }
    }

    /**
     * {@code --modality image}: the shared source model (from the cache or trained), adapted by {@code --method} when it
     * is an image adaptation, saved as an image-model checkpoint into {@code --out} and scored on the target's test crops.
     */
    private Integer images() throws IOException {
        List<String> poseOnly = new ArrayList<>();
        if (ablation != null) {
            poseOnly.add("--ablation");
        }
        if (init != null) {
            poseOnly.add("--init");
        }
        if (frames != null) {
            poseOnly.add("--frames");
        }
        if (epochs != 0) {
            poseOnly.add("--epochs");
        }
        if (resume) {
            poseOnly.add("--resume");
        }
        if (stopAfter != 0) {
            poseOnly.add("--stop-after");
        }
        if (!poseOnly.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", poseOnly) + " apply to --modality pose only (an image"
                    + " run takes its epochs from --budget and its source model from the cache)");
        }
        List<ImageAdaptation> adaptations = Methods.imageAdaptations();
        ImageAdaptation adaptation = ImageAdaptation.find(method, adaptations);
        if (adaptation == null && !method.equals("source-only")) {
            throw new IllegalArgumentException("method '" + method + "' is not trained on images; use source-only or "
                    + String.join(", ", adaptations.stream().map(ImageAdaptation::name).toList()));
        }
        ImageBenchmark.Budget b = ImageBenchmark.Budget.byName(budget);
        DomainSpec sourceSpec = Domains.load(source);
        DomainSpec targetSpec = Domains.load(target);
        SyntheticDomain lab = ImageBenchmark.generate(sourceSpec, b, seed);
        SyntheticDomain targetDomain = ImageBenchmark.generate(targetSpec, b, seed);
        ImageDataset test = ImageBenchmark.dataset(targetDomain, "test", b.testImages(), b, seed);
        Device dev = Devices.choose(device);
        OutputFolder.claim(out, false);
        PrintWriter log = spec.commandLine().getOut();
        log.printf(Locale.ROOT, "train on images: %s, source %s, target %s, budget %s, seed %d, device %s%n", method,
                sourceSpec.name(), targetSpec.name(), b.name(), seed, dev.isGpu() ? "gpu " + dev.getDeviceId() : "cpu");
        log.flush();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        Path cacheFolder = cache.equals("none") ? null : Path.of(cache);
        try (Model sourceModel = Model.newInstance("image-source-only", dev);
                Model adapted = Model.newInstance("image-" + method, dev)) {
            SourceModelCache.Entry entry = ImageBenchmark.sourceModel(sourceModel, lab, b, seed, threads, log, cacheFolder);
            ImageSamples testCrops = test.cached(threads);
            ImagePoseModel net = entry.net();
            History history = entry.history();
            if (adaptation != null) {
                CrossDatasetBenchmark.copyWeights(entry.net(), new ImagePoseModel(b.model()), adapted,
                        entry.net().inputShape(b.batchSize()));
                history = adaptation.adapt(adapted, lab, targetDomain, b, seed, threads, testCrops, log);
                net = (ImagePoseModel) adapted.getBlock();
            }
            int epochsDone = history.series(AdversarialLoop.LIFTER_LOSS).isEmpty() ? b.epochs()
                    : history.series(AdversarialLoop.LIFTER_LOSS).size();
            Checkpoint.save(out, ImagePoseTraining.KIND, b.model(), net, history, epochsDone);
            CrossDatasetBenchmark.Result r = ImageBenchmark.evaluate(targetSpec.name(), method, net, test, testCrops, history,
                    b);
            log.println();
            log.println("== " + r.target() + " test crops, " + r.method());
            log.print(r.actions().toText());
            AtomicFiles.writeString(out.resolve("actions_" + r.target() + ".csv"), r.actions().toCsv());
            String data = out.relativize(Checkpoint.file(out, Checkpoint.PARAMS_FILE).getParent()) + "/";
            String files = "checkpoint.json, " + data + writePlots(IMAGE_PLOTS, history, method, out)
                    + ", actions_" + r.target() + ".csv";
            MetricSummary m = r.summary();
            log.printf(Locale.ROOT, "%n%s on %s: MPJPE %.1f mm, PA-MPJPE %.1f mm, PCK@150 %.1f%%, AUC %.1f%%%n", r.method(),
                    r.target(), m.mpjpeMm(), m.paMpjpeMm(), m.pck150(), m.auc());
            log.printf(Locale.ROOT, "checkpoint: %s (%s; load it with ImagePoseTraining.load)%n", out, files);
        }
        return 0;
    }

    /**
     * Draws each of {@code plots} of the series {@code history} recorded (none when it recorded none of a plot's) into
     * {@code folder}; returns ", file" per plot drawn.
     */
    private static String writePlots(List<LossPlot> plots, History history, String method, Path folder) throws IOException {
        StringBuilder drawn = new StringBuilder();
        for (LossPlot plot : plots) {
            Map<String, double[][]> lines = new LinkedHashMap<>();
            for (String series : plot.series()) {
                if (history.names().contains(series)) {
                    lines.put(series.replace('_', ' '), history.byEpoch(series));
                }
            }
            if (!lines.isEmpty()) {
                Plots.lines(method + ": " + plot.title(), "epoch", plot.yLabel(), lines, folder.resolve(plot.file()));
                drawn.append(", ").append(plot.file());
            }
        }
        return drawn.toString();
    }

    /** The image runs' plots: training loss and the validation curve, the discriminator's losses and scores. */
    private static final List<LossPlot> IMAGE_PLOTS = List.of(
            new LossPlot("loss_curve.png", "training loss and target validation", "MPJPE (mm)",
                    List.of("train_loss_mm", AdversarialLoop.LIFTER_LOSS, "validation_mpjpe_mm")),
            new LossPlot("adversarial_losses.png", "adversarial losses", "binary cross-entropy",
                    List.of("discriminator_loss", "adversarial_loss")),
            new LossPlot("discriminator_scores.png", "discriminator scores", "mean D(·)",
                    List.of("real_score", "fake_score", "fake_source_score", "fake_target_score")));

    private Integer poses() throws IOException {
        CrossDatasetBenchmark.Budget b = CrossDatasetBenchmark.Budget.byName(budget);
        if (frames != null) {
            b = b.withReceptiveField(frames);
        }
        if (ablation != null) {
            if (!method.equals(AdaptPose.NAME)) {
                throw new IllegalArgumentException("--ablation " + ablation + " is an ablation of adaptpose, not of "
                        + method + "; use --method adaptpose");
            }
            List<String> rows = AdaptPoseMethods.Ablation.byName(ablation).rows();
            if (rows.size() != 1) {
                throw new IllegalArgumentException("--ablation " + ablation + " is " + rows.size() + " methods (" + rows
                        + "); train one of them with --method");
            }
            method = rows.get(0);
        }
        Adaptation adaptation = CrossDatasetBenchmark.adaptation(method, Methods.adaptations());
        boolean fromSourceOnly = adaptation != null || method.equals("oracle");
        if (!fromSourceOnly && init != null) {
            throw new IllegalArgumentException("--init is for the oracle and adaptation methods; " + method
                    + " trains from scratch");
        }
        DomainSpec sourceSpec = Domains.load(source);
        DomainSpec targetSpec = Domains.load(target);
        // The target is made now, though scored only after training: its files and split fail before the first epoch.
        CrossDatasetBenchmark.generate(targetSpec, b, seed);
        Device dev = Devices.choose(device);
        // A folder holding a checkpoint is left to the checkpoint's own rules (resumed, or refused without --resume).
        OutputFolder.claim(out, resume || Checkpoint.exists(out));
        PrintWriter log = spec.commandLine().getOut();
        log.printf(Locale.ROOT, "train: %s, source %s, target %s, budget %s, seed %d, device %s%n", method,
                sourceSpec.name(), targetSpec.name(), b.name(), seed, dev.isGpu() ? "gpu " + dev.getDeviceId() : "cpu");
        log.flush();
        BaselineTraining.Outcome outcome = adaptation == null
                ? BaselineTraining.train(method, sourceSpec, targetSpec, b, init, epochs, seed, dev, out, resume,
                        stopAfter, log)
                : BaselineTraining.adapt(adaptation, sourceSpec, targetSpec, b, init, epochs, seed, dev, out, resume,
                        stopAfter, log);
        if (!outcome.finished()) {
            log.printf(Locale.ROOT, "stopped after epoch %d; continue with the same command and --resume%n",
                    outcome.epochsDone());
            return 0;
        }
        CrossDatasetBenchmark.Result r = outcome.result();
        log.println();
        log.println("== " + r.target() + " test subjects, " + r.method() + " after " + outcome.epochsDone() + " epochs");
        log.print(r.actions().toText());
        AtomicFiles.writeString(out.resolve("actions_" + r.target() + ".csv"), r.actions().toCsv());
        Map<String, double[][]> curves = new LinkedHashMap<>();
        curves.put(r.method(), r.history().byEpoch("epoch_loss_mm"));
        Plots.lines("Training loss", "epoch", "MPJPE on training windows (mm)", curves, out.resolve("loss_curve.png"));
        String data = out.relativize(Checkpoint.file(out, Checkpoint.PARAMS_FILE).getParent()) + "/";
        String files = "checkpoint.json, " + data + ", loss_curve.png, actions_" + r.target() + ".csv";
        if (adaptation != null) {
            String plots = writePlots(ADAPTATION_PLOTS, r.history(), method, out);
            files = "checkpoint.json, " + data + ", loss_curve.png" + plots + ", actions_" + r.target() + ".csv";
        }
        if (fromSourceOnly && init == null) {
            files += ", source-only/";
        }
        MetricSummary m = r.summary();
        log.printf(Locale.ROOT, "%n%s on %s: MPJPE %.1f mm, PA-MPJPE %.1f mm, PCK@150 %.1f%%, AUC %.1f%%%n", r.method(),
                r.target(), m.mpjpeMm(), m.paMpjpeMm(), m.pck150(), m.auc());
        log.printf(Locale.ROOT, "checkpoint: %s (%s)%n", out, files);
        return 0;
    }
}
