package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.eval.Tables;
import io.github.poseshift.geometry.KeypointNormalisation;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.TemporalConvNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The cross-dataset benchmark's baselines, each a temporal lifter tested on every target's test subjects:
 * <b>source-only</b>, trained on the source's training windows (the gap adaptation must close);
 * <b>target-only</b>, trained from scratch on the target's training windows with their 3D labels; and the
 * <b>oracle</b>, the upper bound: the source-only lifter trained on for the budget's epochs on the source's
 * training windows and the target's with their 3D labels ({@link #trainingWindows}). Every domain is resampled
 * to the source's frame rate so one receptive field covers the same time everywhere. The evaluated model is
 * the last one trained, never one picked on a target's test set. A target whose {@link DomainSpec#lifterInput}
 * is not the screen coordinates (AdaptPose's root-centred, Frobenius-normalised 2D for {@code ski-like}, sec. 6)
 * gets a source-only lifter of its own, trained on the same windows with that input; every row of that target
 * starts from it.
 *
 * <p>Why the oracle is made so. It starts where every adaptation method starts, from the source-only lifter,
 * and sees what they see plus the target's 3D labels; target-only alone is no bound where the target's labelled
 * split is small: on {@code 3dpw-like} (one handheld camera per scene) it scored 139 mm at the default budget
 * against AdaptPose's 55 mm. The target's windows are repeated {@link #oracleRepeats} times, about as many as
 * the source's, so the target is half of each epoch. Measured on tiny {@code 3dpw-like} (6800 source and 2490
 * target windows), MPJPE over seeds 0, 1, 2 ({@code OMP_NUM_THREADS=1}; before AdaptPose's preprocessing of sec. 6,
 * which moved every row, was added):
 * <ul>
 * <li>trained from scratch on both, target once (27% of the windows): 112.0, 121.8, 110.9 mm; target three
 *     times (52%): 94.9, 100.2, 86.2 mm — above AdaptPose's 82.2, 91.1, 84.5 mm and PoseDA's 82.2, 95.4,
 *     79.1 mm on seeds 0 and 2;</li>
 * <li>the share matters at an equal number of steps: source three times and target once (11%, 22890 windows)
 *     92.6, 104.1, 87.5 mm against target six times (69%, 21740 windows) 80.2, 80.2, 73.5 mm;</li>
 * <li>so does the number of steps at an equal share (52%): 2× as many windows 79.5, 76.2, 75.3 mm, 4× 66.8,
 *     64.8, 62.5 mm — the tiny budget's lifters are short of steps, and the adaptation methods get the
 *     source-only lifter's steps before their own;</li>
 * <li>continuing the source-only lifter: target once 80.2, 87.0, 75.2 mm; target three times (this oracle)
 *     74.7, 72.5, 69.4 mm;</li>
 * <li>a larger labelled split does not help a from-scratch oracle short of steps: {@code 3dpw-like} with twice
 *     the sequences per subject (4980 target windows, so once) scored 110.6, 136.9, 124.7 mm.</li>
 * </ul>
 * {@code docs/benchmark.md} has the measured tables of every method against this oracle.
 */
public final class CrossDatasetBenchmark {

    /**
     * The baselines, in the order of a run's rows: source-only (the gap), target-only and oracle (the bound); the
     * adaptation methods' rows come between source-only and target-only.
     */
    public static final List<String> BASELINES = List.of("source-only", "target-only", "oracle");

    /**
     * How much compute a run gets.
     *
     * @param kind           which of the three budgets this is ({@link #name()}: {@code tiny}, {@code default} or
     *                       {@code full}, as the CLI, {@code POSESHIFT_BUDGET} and checkpoints spell it)
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
    public record Budget(Kind kind, int subjects, int frames, int[] filterWidths, int channels, int epochs,
            float learningRate, int batchSize, int trainStride, int testStride, boolean bnMomentumDecay) {

        /**
         * The three budgets. Code that depends on the budget switches on this (exhaustively: a new budget fails
         * to compile wherever it is not handled), never on {@link #name()}.
         */
        public enum Kind {
            /** {@link Budget#tiny()}. */
            TINY("tiny"),
            /** {@link Budget#standard()}. */
            DEFAULT("default"),
            /** {@link Budget#full()}. */
            FULL("full");

            private final String label;

            Kind(String label) {
                this.label = label;
            }

            /** The name users write: {@code tiny}, {@code default} or {@code full}. */
            public String label() {
                return label;
            }

            /**
             * The kind called {@code name} ({@code tiny}, {@code default} or {@code full}, any case).
             *
             * @throws IllegalArgumentException naming the three for any other name
             */
            public static Kind byName(String name) {
                for (Kind k : values()) {
                    if (k.label.equals(name.toLowerCase(Locale.ROOT))) {
                        return k;
                    }
                }
                throw new IllegalArgumentException("unknown budget '" + name + "'; use tiny, default or full");
            }
        }

        /** The name users write ({@link Kind#label()}): {@code tiny}, {@code default} or {@code full}. */
        public String name() {
            return kind.label();
        }

        /** The budget of {@code kind}, as its factory makes it. */
        public static Budget of(Kind kind) {
            return switch (kind) {
                case TINY -> tiny();
                case DEFAULT -> standard();
                case FULL -> full();
            };
        }

        /** Seconds on two CPU cores: for tests and notebooks. */
        public static Budget tiny() {
            return new Budget(Kind.TINY, 3, 100, new int[] {3, 3}, 64, 12, 3e-3f, 256, 2, 8, false);
        }

        /** A few minutes on two CPU cores: the README's first command. */
        public static Budget standard() {
            return new Budget(Kind.DEFAULT, 5, 300, new int[] {3, 3, 3}, 256, 10, 2e-3f, 512, 3, 4, false);
        }

        /** The paper's model (27 frames, 1024 channels) on the full presets; for a GPU. */
        public static Budget full() {
            return new Budget(Kind.FULL, 0, 0, new int[] {3, 3, 3}, 1024, 60, 1e-3f, 1024, 1, 1, true);
        }

        /** The environment variable that names the budget of the notebooks: {@value}. */
        public static final String ENVIRONMENT_VARIABLE = "POSESHIFT_BUDGET";

        /**
         * The budget named by the environment variable {@value #ENVIRONMENT_VARIABLE} ({@code tiny}, {@code
         * default} or {@code full}), {@code default} when it is unset or blank: how the notebooks learn how much
         * to compute. The Jupyter kernel inherits it from the server or {@code run-notebooks.sh} (which sets
         * {@code tiny}); the notebook test sets it for the test JVM.
         *
         * @throws IllegalArgumentException naming the variable when its value is not a budget
         */
        public static Budget fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /** {@link #fromEnvironment()} reading {@code environment} instead of the process's. */
        public static Budget fromEnvironment(Map<String, String> environment) {
            String name = environment.get(ENVIRONMENT_VARIABLE);
            if (name == null || name.isBlank()) {
                return standard();
            }
            try {
                return byName(name.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": " + e.getMessage(), e);
            }
        }

        /**
         * {@code tiny}, {@code default} or {@code full} (any case).
         *
         * @throws IllegalArgumentException naming the three for any other name
         */
        public static Budget byName(String name) {
            return of(Kind.byName(name));
        }

        /** The widest receptive field {@link #withReceptiveField} builds: 3^5 frames, VideoPose3D's largest. */
        public static final int MAX_RECEPTIVE_FIELD = 243;

        /**
         * A baseline lifter's training windows take every k-th frame, k ∈ {1, 2} drawn per sample (AdaptPose sec. 6:
         * "there is an fps difference and also motion speed difference between our source dataset and target
         * datasets", so their loader down-samples the source at random; the range is their code's, the extracted
         * text lost it). Frame rates are already matched by resampling every domain to the source's; the draw
         * teaches the lifter motion up to twice the source's speed.
         */
        public static final int MAX_FRAME_STEP = 2;

        /**
         * This budget with a lifter that sees {@code frames} frames: 1 (a single-frame lifter: every filter
         * width 1, the same depth) or a power of 3 up to {@value #MAX_RECEPTIVE_FIELD} (that many width-3 layers,
         * e.g. 27 = VideoPose3D's and AdaptPose's [3, 3, 3]). AdaptPose's paper compares 1 and 27 frames.
         *
         * @throws IllegalArgumentException for any other count
         */
        public Budget withReceptiveField(int frames) {
            int layers = 0;
            for (int f = frames; f > 1 && f % 3 == 0; f /= 3) {
                layers++;
            }
            int[] widths;
            if (frames == 1) {
                widths = new int[filterWidths.length];
                Arrays.fill(widths, 1);
            } else if (frames > 1 && frames <= MAX_RECEPTIVE_FIELD && Math.pow(3, layers) == frames) {
                widths = new int[layers];
                Arrays.fill(widths, 3);
            } else {
                throw new IllegalArgumentException("the lifter sees 1 frame or a power of 3 (3, 9, 27, 81, 243), not "
                        + frames);
            }
            return new Budget(kind, subjects, this.frames, widths, channels, epochs, learningRate, batchSize, trainStride,
                    testStride, bnMomentumDecay);
        }

        /** {@code spec} resized to this budget ({@code full} keeps the preset's size). */
        public DomainSpec apply(DomainSpec spec) throws IOException {
            return subjects == 0 ? spec : Domains.resized(spec, subjects, frames);
        }

        /** The temporal lifter of this budget (H36M-17 joints, VideoPose3D's dropout 0.25). */
        public TemporalConvNet.Config network() {
            return new TemporalConvNet.Config(17, filterWidths, channels, 0.25f, false);
        }

        /**
         * The lifter of this budget for adapting to, or scoring on, {@code target}: {@link #network()} with the
         * target's {@link DomainSpec#lifterInput} (AdaptPose sec. 6), as the benchmark and {@code train} build it.
         */
        public TemporalConvNet.Config network(DomainSpec target) {
            return network().withInput(target.lifterInput());
        }

        /** Training windows: one receptive field every {@code trainStride} frames at {@code fps}. */
        public PoseDataset.Config trainWindows(double fps) {
            return new PoseDataset.Config(network().receptiveField(), trainStride, fps);
        }

        /** Test windows: one receptive field every {@code testStride} frames at {@code fps}. */
        public PoseDataset.Config testWindows(double fps) {
            return new PoseDataset.Config(network().receptiveField(), testStride, fps);
        }

        /**
         * The training schedule of the baselines' lifters: VideoPose3D's lr decay of 0.95 per epoch, its BN momentum
         * decay if on, and AdaptPose's random temporal down-sampling of the training windows ({@link
         * #MAX_FRAME_STEP}).
         */
        public LifterTraining.Config training(long seed) {
            return new LifterTraining.Config(epochs, batchSize, learningRate, 0.95f, 0f, true, bnMomentumDecay, seed,
                    MAX_FRAME_STEP);
        }
    }

    /**
     * One method on one target.
     *
     * @param target  target domain name
     * @param method  a baseline ({@link #BASELINES}) or an adaptation method
     * @param summary metrics over the target's test subjects
     * @param actions per-action table
     * @param errors  per-pose, per-joint errors
     * @param history training history of the lifter used
     * @param predicted the predicted test poses, root-relative metres (for drawings)
     * @param truth   the true test poses, in the same order
     * @param labels  the action of every test pose
     * @param viewpoints where the camera stood for every test pose, {elevation °, azimuth °, distance m}
     *                ({@link PoseDataset#viewpoints()})
     */
    public record Result(String target, String method, MetricSummary summary, ErrorTable actions, PoseErrors errors,
            History history, PoseArray predicted, PoseArray truth, List<String> labels, List<double[]> viewpoints) {

        /** The camera elevation of every test pose, degrees (the first of {@link #viewpoints()}). */
        public double[] elevationsDeg() {
            return viewpoints.stream().mapToDouble(v -> v[0]).toArray();
        }
    }

    /**
     * A whole run, with the tables and plot series its report shows (the CLI's and the notebooks').
     *
     * @param results    one per target and method
     * @param viewpoints per domain name, every view's camera viewpoint {elevation °, azimuth °, distance m}
     *                   ({@link DomainGap#viewpoint}): where the cameras of source and targets stand
     */
    public record Run(List<Result> results, Map<String, List<double[]>> viewpoints) {

        /**
         * The result of {@code method} on {@code target}.
         *
         * @throws IllegalArgumentException listing the results there are when there is none
         */
        public Result result(String target, String method) {
            return results.stream().filter(r -> r.target().equals(target) && r.method().equals(method)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no result of " + method + " on " + target
                            + "; there are " + results.stream().map(r -> r.method() + " on " + r.target()).toList()));
        }

        /** Every method's predicted test poses on {@code target}, by method, in run order (source-only first). */
        public Map<String, PoseArray> predictions(String target) {
            Map<String, PoseArray> out = new LinkedHashMap<>();
            results.stream().filter(r -> r.target().equals(target)).forEach(r -> out.put(r.method(), r.predicted()));
            return out;
        }

        /**
         * The share of the source-only → oracle gap {@code r} closes ({@link #gapClosed}); NaN without both
         * baselines on its target.
         */
        public double gapClosed(Result r) {
            MetricSummary sourceOnly = find(r.target(), "source-only");
            MetricSummary oracle = find(r.target(), "oracle");
            return sourceOnly == null || oracle == null ? Double.NaN
                    : CrossDatasetBenchmark.gapClosed(sourceOnly.mpjpeMm(), oracle.mpjpeMm(), r.summary().mpjpeMm());
        }

        private MetricSummary find(String target, String method) {
            return results.stream().filter(r -> r.target().equals(target) && r.method().equals(method))
                    .map(Result::summary).findFirst().orElse(null);
        }

        /**
         * The summary as a Tablesaw table, one row per result: {@code target,method,mpjpe_mm,pa_mpjpe_mm,pck150,auc,
         * gap_closed} (the columns of {@code summary.csv}, which scripts read).
         */
        public Table summaryTable() {
            return Table.create("summary",
                    StringColumn.create("target", results.stream().map(Result::target)),
                    StringColumn.create("method", results.stream().map(Result::method)),
                    DoubleColumn.create("mpjpe_mm", results.stream().mapToDouble(r -> r.summary().mpjpeMm())),
                    DoubleColumn.create("pa_mpjpe_mm", results.stream().mapToDouble(r -> r.summary().paMpjpeMm())),
                    DoubleColumn.create("pck150", results.stream().mapToDouble(r -> r.summary().pck150())),
                    DoubleColumn.create("auc", results.stream().mapToDouble(r -> r.summary().auc())),
                    DoubleColumn.create("gap_closed", results.stream().mapToDouble(this::gapClosed)));
        }

        /** The summary as aligned text ({@link Tables#text}). */
        public String summaryText() {
            return Tables.text(summaryTable());
        }

        /** The summary as CSV ({@link Tables#csv}). */
        public String summaryCsv() {
            return Tables.csv(summaryTable());
        }

        /** The summary as a GitHub Markdown table ({@link Tables#markdown}). */
        public String summaryMarkdown() {
            return Tables.markdown(summaryTable());
        }

        /**
         * The training loss (MPJPE on the training windows, mm) per epoch of every lifter trained, as
         * {@code {epochs, loss}}: {@code source-only (source)} once (and {@code source-only (source, as <target>
         * sees it)} for a target whose lifter input differs), {@code <method> (<target>)} per target and other
         * method (the oracle's curve starts from the source-only lifter's weights).
         */
        public Map<String, double[][]> lossCurves() {
            Map<String, double[][]> curves = new LinkedHashMap<>();
            List<History> sourceOnly = new ArrayList<>();
            for (Result r : results) {
                String name = r.method() + " (" + r.target() + ")";
                if (r.method().equals("source-only")) {
                    // Every target shares the source-only lifter of its input normalisation: one curve per lifter,
                    // the first named for the source alone.
                    if (sourceOnly.stream().anyMatch(h -> h == r.history())) {
                        continue;
                    }
                    name = sourceOnly.isEmpty() ? "source-only (source)" : "source-only (source, as " + r.target()
                            + " sees it)";
                    sourceOnly.add(r.history());
                }
                curves.putIfAbsent(name, r.history().byEpoch("epoch_loss_mm"));
            }
            return curves;
        }

        /** MPJPE of every joint (mm, H36M-17 order), per {@code "<target> <method>"}. */
        public Map<String, double[]> perJointMpjpeMm() {
            Map<String, double[]> out = new LinkedHashMap<>();
            results.forEach(r -> out.put(r.target() + " " + r.method(), r.errors().perJointMpjpeMm()));
            return out;
        }

        /**
         * {@code method}'s mean MPJPE on each target against the camera's elevation, in bins of
         * {@code binDeg} degrees ({@link PoseErrors#mpjpeByBin}): {@code {bin centres °, MPJPE mm}} per target.
         */
        public Map<String, double[][]> mpjpeByElevation(String method, double binDeg) {
            Map<String, double[][]> out = new LinkedHashMap<>();
            results.stream().filter(r -> r.method().equals(method))
                    .forEach(r -> out.put(r.target(), r.errors().mpjpeByBin(r.elevationsDeg(), binDeg)));
            return out;
        }
    }

    private CrossDatasetBenchmark() {}

    /**
     * Runs the baselines of {@code source} against every target.
     *
     * @param methods which of {@link #BASELINES} to run (source-only is always trained: it is the reference)
     * @param log     one line per step of the run (null for none)
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, PrintWriter log) throws IOException {
        return run(source, targets, methods, budget, seed, device, log, List.of());
    }

    /**
     * Like {@link #run(DomainSpec, List, List, Budget, long, Device, PrintWriter)}, with adaptation methods: each
     * of {@code adaptations} named in {@code methods} adapts a copy of the source-only lifter to every target
     * and is scored like the baselines (rows in the order source-only, the adaptations, target-only, oracle).
     *
     * @throws IllegalArgumentException naming a method that is neither a baseline nor one of the adaptations
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, PrintWriter log, List<Adaptation> adaptations) throws IOException {
        methods.forEach(m -> adaptation(m, adaptations));
        DomainSpec src = budget.apply(source);
        SyntheticDomain sourceDomain = generate(source, budget, seed);
        Map<String, List<double[]>> viewpoints = new LinkedHashMap<>();
        viewpoints.put(src.name(), DomainGap.viewpoints(sourceDomain.views()));
        double fps = src.motion().fps();
        LifterTraining.Config training = budget.training(seed);
        List<Result> results = new ArrayList<>();
        PoseDataset sourceTrain = PoseDataset.of(sourceDomain.views(), src.split().trainSubjects(), budget.trainWindows(fps));
        // Every target is made and its test windows cut before the first epoch: a target whose files or split
        // fail does so before anything trains, not after the targets before it.
        List<PreparedTarget> prepared = new ArrayList<>();
        for (DomainSpec targetSpec : targets) {
            DomainSpec tgt = budget.apply(targetSpec);
            SyntheticDomain target = generate(targetSpec, budget, seed);
            prepared.add(new PreparedTarget(tgt, target, PoseDataset.of(target.views(), tgt.split().testSubjects(),
                    budget.testWindows(fps))));
        }
        // One source-only lifter per lifter input the targets ask for (DomainSpec#lifterInput), trained when the
        // first target that needs it comes up: every method on a target starts from the one that sees its input.
        Map<KeypointNormalisation, SourceLifter> sourceLifters = new EnumMap<>(KeypointNormalisation.class);
        try {
            for (PreparedTarget p : prepared) {
                DomainSpec tgt = p.spec();
                SyntheticDomain target = p.domain();
                KeypointNormalisation input = tgt.lifterInput();
                SourceLifter sourceOnly = sourceLifters.get(input);
                if (sourceOnly == null) {
                    sourceOnly = SourceLifter.train(budget.network(tgt), src.name(), sourceTrain, training, device, log);
                    sourceLifters.put(input, sourceOnly);
                }
                TemporalConvNet sourceNet = sourceOnly.lifter();
                TemporalConvNet.Config lifterConfig = sourceNet.config();
                viewpoints.put(tgt.name(), DomainGap.viewpoints(target.views()));
                PoseDataset test = p.test();
                results.add(evaluate(tgt.name(), "source-only", sourceNet, test, sourceOnly.history()));
                say(log, "%s: source-only %.1f mm MPJPE", tgt.name(), results.get(results.size() - 1).summary().mpjpeMm());
                for (Adaptation adaptation : adaptations) {
                    if (!methods.contains(adaptation.name())) {
                        continue;
                    }
                    try (Model adaptedModel = Model.newInstance(adaptation.name(), device)) {
                        copyOf(sourceNet, lifterConfig, adaptedModel, budget.batchSize());
                        say(log, "%s: adapting the source-only lifter to %s", adaptation.name(), tgt.name());
                        History h = adaptation.adapt(adaptedModel, sourceTrain, target, tgt, budget, seed, log);
                        // Scored is the model's block after adapting: the lifter itself, or what the method put in
                        // its place around it (AHuP's SPA: the lifter followed by its refining head).
                        results.add(evaluate(tgt.name(), adaptation.name(), adaptedModel.getBlock(), test, h));
                    }
                    say(log, "%s: %s %.1f mm MPJPE", tgt.name(), adaptation.name(),
                            results.get(results.size() - 1).summary().mpjpeMm());
                }
                if (!methods.contains("target-only") && !methods.contains("oracle")) {
                    continue;
                }
                PoseDataset targetTrain = PoseDataset.of(target.views(), tgt.split().trainSubjects(),
                        budget.trainWindows(fps));
                for (String baseline : List.of("target-only", "oracle")) {
                    if (!methods.contains(baseline)) {
                        continue;
                    }
                    PoseDataset train = trainingWindows(baseline, sourceTrain, targetTrain);
                    try (Model model = Model.newInstance(baseline, device)) {
                        // The oracle continues the source-only lifter, as every adaptation does; target-only starts afresh.
                        TemporalConvNet lifter;
                        if (baseline.equals("oracle")) {
                            lifter = copyOf(sourceNet, lifterConfig, model, budget.batchSize());
                        } else {
                            lifter = new TemporalConvNet(lifterConfig);
                            model.setBlock(lifter);
                        }
                        say(log, "%s: training on %s", baseline, describe(baseline, src.name(), sourceTrain, tgt.name(),
                                targetTrain));
                        History h = LifterTraining.train(model, train, training, log, baseline + " " + tgt.name(), null);
                        results.add(evaluate(tgt.name(), baseline, lifter, test, h));
                    }
                    say(log, "%s: %s %.1f mm MPJPE", tgt.name(), baseline, results.get(results.size() - 1).summary()
                            .mpjpeMm());
                }
            }
        } finally {
            sourceLifters.values().forEach(SourceLifter::close);
        }
        return new Run(results, viewpoints);
    }

    /** A target made before any training: its spec at the budget's size, its domain and its test windows. */
    private record PreparedTarget(DomainSpec spec, SyntheticDomain domain, PoseDataset test) {}

    /** A trained source-only lifter, its model (closed with it) and its training history. */
    private record SourceLifter(Model model, TemporalConvNet lifter, History history) implements AutoCloseable {

        /** Trains a source-only lifter of {@code config} on the source's training windows. */
        static SourceLifter train(TemporalConvNet.Config config, String source, PoseDataset sourceTrain,
                LifterTraining.Config training, Device device, PrintWriter log) throws IOException {
            Model model = Model.newInstance("source-only", device);
            try {
                TemporalConvNet lifter = new TemporalConvNet(config);
                model.setBlock(lifter);
                String input = config.input() == KeypointNormalisation.SCREEN ? ""
                        : ", its 2D input " + config.input() + "-normalised";
                say(log, "source-only: training on %s%s", describe("source-only", source, sourceTrain, null, null), input);
                History history = LifterTraining.train(model, sourceTrain, training, log, "source-only", null);
                return new SourceLifter(model, lifter, history);
            } catch (RuntimeException | IOException e) {
                model.close();
                throw e;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * The labelled windows {@code baseline} trains on: {@code source-only} the source's training windows,
     * {@code target-only} the target's, {@code oracle} both, the target's repeated {@link #oracleRepeats} times.
     *
     * @throws IllegalArgumentException for a name that is not one of {@link #BASELINES}
     */
    public static PoseDataset trainingWindows(String baseline, PoseDataset sourceTrain, PoseDataset targetTrain) {
        return switch (baseline) {
            case "source-only" -> sourceTrain;
            case "target-only" -> targetTrain;
            case "oracle" -> PoseDataset.concat(List.of(sourceTrain,
                    targetTrain.repeated(oracleRepeats(sourceTrain.size(), targetTrain.size()))));
            default -> throw new IllegalArgumentException("unknown baseline '" + baseline + "'; baselines: "
                    + String.join(", ", BASELINES));
        };
    }

    /**
     * How many times the oracle lists each of the target's training windows: as many as make them about as
     * many as the source's ({@code round(source / target)}, at least once), so that each epoch is at least about
     * half target whatever the two domains' sizes (a target larger than the source is listed once).
     */
    public static int oracleRepeats(int sourceWindows, int targetWindows) {
        return Math.max(1, (int) Math.round(sourceWindows / (double) targetWindows));
    }

    /** What {@code baseline} trains on, for the log: domains and window counts ({@link #trainingWindows}). */
    static String describe(String baseline, String source, PoseDataset sourceTrain, String target,
            PoseDataset targetTrain) {
        return switch (baseline) {
            case "source-only" -> String.format(Locale.ROOT, "%s (%d windows)", source, sourceTrain.size());
            case "target-only" -> String.format(Locale.ROOT, "%s (%d windows)", target, targetTrain.size());
            case "oracle" -> {
                int repeats = oracleRepeats(sourceTrain.size(), targetTrain.size());
                yield String.format(Locale.ROOT, "%s + %s (%d windows: %d of the source, %d of the target × %d)", source,
                        target, sourceTrain.size() + repeats * targetTrain.size(), sourceTrain.size(),
                        targetTrain.size(), repeats);
            }
            default -> throw new IllegalArgumentException("unknown baseline '" + baseline + "'");
        };
    }

    /**
     * The adaptation called {@code method} among {@code adaptations}, or null for a baseline.
     *
     * @throws IllegalArgumentException naming the method and every available one when it is neither
     */
    public static Adaptation adaptation(String method, List<Adaptation> adaptations) {
        if (BASELINES.contains(method)) {
            return null;
        }
        return adaptations.stream().filter(a -> a.name().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown method '" + method + "'; available: "
                        + String.join(", ", BASELINES) + adaptations.stream().map(a -> ", " + a.name())
                                .collect(java.util.stream.Collectors.joining())));
    }

    /** A new lifter in {@code model} with the weights of {@code trained} (its parameters copied, not shared). */
    static TemporalConvNet copyOf(TemporalConvNet trained, TemporalConvNet.Config config, Model model, int batch)
            throws IOException {
        return copyWeights(trained, new TemporalConvNet(config), model,
                new ai.djl.ndarray.types.Shape(batch, trained.receptiveField(), config.joints() * 2L));
    }

    /**
     * {@code copy}, a block of {@code trained}'s shape, made {@code model}'s block, initialised for {@code inputShape}
     * and given {@code trained}'s weights and running statistics (copied, not shared), every parameter trainable.
     */
    public static <B extends ai.djl.nn.Block> B copyWeights(ai.djl.nn.Block trained, B copy, Model model,
            ai.djl.ndarray.types.Shape inputShape) throws IOException {
        model.setBlock(copy);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            trained.saveParameters(out);
        }
        copy.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy.loadParameters(model.getNDManager(), in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IllegalStateException("a model's own parameters did not load into its twin", e);
        }
        // Loaded arrays come without gradients; training needs them on every trainable parameter.
        copy.getParameters().values().forEach(p -> p.freeze(!p.requiresGradient()));
        return copy;
    }

    /**
     * The synthetic domain of {@code spec} at {@code budget}'s size. Its seed mixes the run's seed with
     * the domain's name, so a domain is the same data whichever role it plays and whichever command
     * (benchmark, train, eval) builds it.
     */
    public static SyntheticDomain generate(DomainSpec spec, Budget budget, long seed) throws IOException {
        return SyntheticDomain.generate(budget.apply(spec), seed * 1_000_003L + spec.name().hashCode());
    }

    /**
     * Scores {@code net} — a lifter, or a lifter with a head after it — on every window of {@code test} with
     * test-time flip augmentation, in evaluation mode.
     */
    public static Result evaluate(String target, String method, Block net, PoseDataset test, History history) {
        PoseArray predicted = LifterTraining.predict(net, test, 1024, true);
        PoseArray truth = LifterTraining.targets(test);
        PoseErrors errors = PoseErrors.compute(predicted, truth, LengthUnit.METRES);
        List<String> labels = test.actions();
        return new Result(target, method, errors.summary(), ErrorTable.byGroup("action", errors, labels), errors,
                history, predicted, truth, labels, test.viewpoints());
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
