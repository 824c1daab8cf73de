package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.TemporalConvNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cross-dataset benchmark's baselines: a temporal lifter trained on the source domain and tested on
 * each target (<b>source-only</b>, the gap adaptation must close) and the same lifter trained on the
 * target's own training subjects with 3D labels (<b>oracle</b>, the upper bound). Every domain is
 * resampled to the source's frame rate so one receptive field covers the same time everywhere. The
 * evaluated model is the last one trained, never one picked on a target's test set.
 */
public final class CrossDatasetBenchmark {

    /** The two baselines every adaptation method is placed between. */
    public static final List<String> BASELINES = List.of("source-only", "oracle");

    /**
     * How much compute a run gets.
     *
     * @param name           {@code tiny}, {@code default} or {@code full}
     * @param subjects       synthetic subjects per domain
     * @param frames         frames per synthetic sequence
     * @param filterWidths   the temporal lifter's filter widths
     * @param channels       its channels
     * @param epochs         training epochs
     * @param learningRate   initial Adam rate (VideoPose3D: 1e-3 over ~80 epochs of Human3.6M; small
     *                       budgets take fewer, larger steps)
     * @param batchSize      samples per step
     * @param trainStride    every how many frames a training window starts
     * @param testStride     every how many frames a test window is evaluated
     * @param bnMomentumDecay VideoPose3D's batch-norm momentum decay (0.1 → 0.001). Only for long runs:
     *                       at 0.001 the running statistics average ~1000 steps, more than a small
     *                       budget takes, so they would lag behind the weights (measured on the tiny
     *                       budget, 3dhp-like, seed 5: oracle 198 mm with the decay, 173 mm without)
     */
    public record Budget(String name, int subjects, int frames, int[] filterWidths, int channels, int epochs,
            float learningRate, int batchSize, int trainStride, int testStride, boolean bnMomentumDecay) {

        /** Seconds on two CPU cores: for tests and notebooks. */
        public static Budget tiny() {
            return new Budget("tiny", 3, 100, new int[] {3, 3}, 64, 12, 3e-3f, 256, 2, 8, false);
        }

        /** A few minutes on two CPU cores: the README's first command. */
        public static Budget standard() {
            return new Budget("default", 5, 300, new int[] {3, 3, 3}, 256, 10, 2e-3f, 512, 3, 4, false);
        }

        /** The paper's model (27 frames, 1024 channels) on the full presets; for a GPU. */
        public static Budget full() {
            return new Budget("full", 0, 0, new int[] {3, 3, 3}, 1024, 60, 1e-3f, 1024, 1, 1, true);
        }

        /** {@code tiny}, {@code default} or {@code full}. */
        public static Budget byName(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "tiny" -> tiny();
                case "default" -> standard();
                case "full" -> full();
                default -> throw new IllegalArgumentException("unknown budget '" + name + "'; use tiny, default or full");
            };
        }

        /** {@code spec} resized to this budget ({@code full} keeps the preset's size). */
        public DomainSpec apply(DomainSpec spec) throws IOException {
            return subjects == 0 ? spec : Domains.resized(spec, subjects, frames);
        }

        /** The temporal lifter of this budget (H36M-17 joints, VideoPose3D's dropout 0.25). */
        public TemporalConvNet.Config network() {
            return new TemporalConvNet.Config(17, filterWidths, channels, 0.25f, false);
        }

        /** Training windows: one receptive field every {@code trainStride} frames at {@code fps}. */
        public PoseDataset.Config trainWindows(double fps) {
            return new PoseDataset.Config(network().receptiveField(), trainStride, fps);
        }

        /** Test windows: one receptive field every {@code testStride} frames at {@code fps}. */
        public PoseDataset.Config testWindows(double fps) {
            return new PoseDataset.Config(network().receptiveField(), testStride, fps);
        }

        /** The training schedule: VideoPose3D's lr decay of 0.95 per epoch, and its BN momentum decay if on. */
        public LifterTraining.Config training(long seed) {
            return new LifterTraining.Config(epochs, batchSize, learningRate, 0.95f, 0f, true, bnMomentumDecay, seed);
        }
    }

    /**
     * One method on one target.
     *
     * @param target  target domain name
     * @param method  {@code source-only} or {@code oracle}
     * @param summary metrics over the target's test subjects
     * @param actions per-action table
     * @param errors  per-pose, per-joint errors
     * @param history training history of the lifter used
     * @param predicted the predicted test poses, root-relative metres (for drawings)
     * @param truth   the true test poses, in the same order
     * @param labels  the action of every test pose
     */
    public record Result(String target, String method, MetricSummary summary, ErrorTable actions, PoseErrors errors,
            History history, PoseArray predicted, PoseArray truth, List<String> labels) {}

    /**
     * A whole run.
     *
     * @param results    one per target and method
     * @param viewpoints per domain name, every view's camera viewpoint {elevation °, azimuth °, distance m}
     *                   ({@link DomainGap#viewpoint}): where the cameras of source and targets stand
     */
    public record Run(List<Result> results, Map<String, List<double[]>> viewpoints) {}

    private CrossDatasetBenchmark() {}

    /**
     * Runs the baselines of {@code source} against every target.
     *
     * @param methods which of {@link #BASELINES} to run (source-only is always trained: it is the reference)
     * @param log     one line per step of the run (null for none)
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, PrintWriter log) throws IOException {
        DomainSpec src = budget.apply(source);
        SyntheticDomain sourceDomain = generate(source, budget, seed);
        Map<String, List<double[]>> viewpoints = new LinkedHashMap<>();
        viewpoints.put(src.name(), viewpoints(sourceDomain));
        double fps = src.motion().fps();
        TemporalConvNet.Config net = budget.network();
        LifterTraining.Config training = budget.training(seed);
        List<Result> results = new ArrayList<>();
        try (Model sourceModel = Model.newInstance("source-only", device)) {
            TemporalConvNet sourceNet = new TemporalConvNet(net);
            sourceModel.setBlock(sourceNet);
            PoseDataset sourceTrain = PoseDataset.of(sourceDomain.views(), src.split().trainSubjects(),
                    budget.trainWindows(fps));
            say(log, "source-only: training on %s (%d windows)", src.name(), sourceTrain.size());
            History sourceHistory = LifterTraining.train(sourceModel, sourceTrain, training, log, "source-only", null);
            for (DomainSpec targetSpec : targets) {
                DomainSpec tgt = budget.apply(targetSpec);
                SyntheticDomain target = generate(targetSpec, budget, seed);
                viewpoints.put(tgt.name(), viewpoints(target));
                PoseDataset test = PoseDataset.of(target.views(), tgt.split().testSubjects(), budget.testWindows(fps));
                results.add(evaluate(tgt.name(), "source-only", sourceNet, test, sourceHistory));
                say(log, "%s: source-only %.1f mm MPJPE", tgt.name(), results.get(results.size() - 1).summary().mpjpeMm());
                if (!methods.contains("oracle")) {
                    continue;
                }
                try (Model oracleModel = Model.newInstance("oracle", device)) {
                    TemporalConvNet oracleNet = new TemporalConvNet(net);
                    oracleModel.setBlock(oracleNet);
                    PoseDataset targetTrain = PoseDataset.of(target.views(), tgt.split().trainSubjects(),
                            budget.trainWindows(fps));
                    say(log, "oracle: training on %s (%d windows)", tgt.name(), targetTrain.size());
                    History oracleHistory = LifterTraining.train(oracleModel, targetTrain, training, log,
                            "oracle " + tgt.name(), null);
                    results.add(evaluate(tgt.name(), "oracle", oracleNet, test, oracleHistory));
                }
                say(log, "%s: oracle %.1f mm MPJPE", tgt.name(), results.get(results.size() - 1).summary().mpjpeMm());
            }
        }
        return new Run(results, viewpoints);
    }

    /**
     * The synthetic domain of {@code spec} at {@code budget}'s size. Its seed mixes the run's seed with
     * the domain's name, so a domain is the same data whichever role it plays and whichever command
     * (benchmark, train, eval) builds it.
     */
    public static SyntheticDomain generate(DomainSpec spec, Budget budget, long seed) throws IOException {
        return SyntheticDomain.generate(budget.apply(spec), seed * 1_000_003L + spec.name().hashCode());
    }

    private static List<double[]> viewpoints(SyntheticDomain domain) {
        return domain.views().stream().map(DomainGap::viewpoint).toList();
    }

    /**
     * Scores {@code net} on every window of {@code test} with test-time flip augmentation, in evaluation
     * mode.
     */
    public static Result evaluate(String target, String method, TemporalConvNet net, PoseDataset test, History history) {
        PoseArray predicted = LifterTraining.predict(net, test, 1024, true);
        PoseArray truth = LifterTraining.targets(test);
        PoseErrors errors = PoseErrors.compute(predicted, truth, LengthUnit.METRES);
        List<String> labels = test.actions();
        return new Result(target, method, errors.summary(), ErrorTable.byGroup("action", errors, labels), errors,
                history, predicted, truth, labels);
    }

    /**
     * The share of the source-only → oracle MPJPE gap a method closes: (source-only − method) /
     * (source-only − oracle); 0 for source-only, 1 for the oracle, NaN when the gap is zero.
     */
    public static double gapClosed(double sourceOnlyMm, double oracleMm, double methodMm) {
        double gap = sourceOnlyMm - oracleMm;
        return gap == 0 ? Double.NaN : (sourceOnlyMm - methodMm) / gap;
    }

    private static void say(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }
}
