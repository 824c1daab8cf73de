package io.github.poseshift.method.adaptpose;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.poseshift.data.EpochOrder;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.loss.GanLosses;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.adaptpose.CameraParameterisation;
import io.github.poseshift.nn.adaptpose.GeneratorTrunk;
import io.github.poseshift.nn.adaptpose.MotionGenerator;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator2D;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator3D;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.AdversarialSteps;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import io.github.poseshift.train.LifterTraining;
import io.github.poseshift.train.ResumableAdam;
import io.github.poseshift.train.SamplePool;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * AdaptPose (Gholami, Wandt, Rhodin, Ward, Wang; CVPR 2022): adapts a 2D→3D lifter to a target domain of
 * which only 2D keypoints are known, as the paper's algorithm runs, one step per source batch:
 * <ol>
 *   <li><b>generate</b>: the motion generator turns the batch's source 3D windows into new motions (BA, BL)
 *       seen from new cameras (RT), projected with the target's intrinsics (sec. 3.1);</li>
 *   <li><b>discriminate</b>: the 2D discriminator tells the target's 2D poses from the generated ones, the 3D
 *       one the source's 3D poses from the generated ones (sec. 3.2); the generator learns to fool both,
 *       L_G = adv2D + 6·adv3D + 3·(bone-angle-change and bone-length-ratio penalties) (sec. 3.3);</li>
 *   <li><b>select</b>: generated windows whose 2D coordinates stay inside the normalised image (|·| ≤ 1) and
 *       whose lifter error is between once and 33 times that of their source window are kept (sec. 3.4);</li>
 *   <li><b>train the lifter</b> on the source batch and the kept generated windows (sec. 3.5).</li>
 * </ol>
 * The lifter starts from the source-only lifter's weights (the authors start from a source-trained
 * VideoPose3D) and trains with VideoPose3D's loss. Generator and discriminators never receive gradients
 * from each other's steps: the discriminators are frozen while the generator steps, and the generator's
 * outputs enter the discriminator and lifter steps detached.
 *
 * <p>The generator also answers to the lifter's feedback (sec. 3.3: its windows should be a set factor harder for
 * the lifter than the source's), and the discriminators learn from a pool of past generated samples
 * ({@link SamplePool}). Not in this class: the authors' temporal 2D discriminator on frame differences.
 *
 * <p>Repeatability: a fresh JVM does not always repeat a run to the bit, and a JVM where other training ran first
 * drifts further: the adversarial game amplifies last-digit differences of the engine's arithmetic
 * ({@code docs/repeatability.md} has the measurements). Tests of this class therefore assert bounds with margin,
 * never equality across runs, and every test class runs in a fresh JVM.
 */
public final class AdaptPose {

    /**
     * The lifter's feedback to the generator (sec. 3.3, "feedback loss"; the authors' {@code fix_hardratio}): the
     * ratio of the lifter's error on a generated window to its error on the source window should sit near a
     * target hardness μ, penalised as (ratio − μ)² once it strays more than σ from it. BA's ratio target ramps
     * linearly from {@code baStart} to {@code baEnd} over the epochs, RT's from {@code rtStart} to {@code rtEnd};
     * neither applies in the first {@code warmupEpochs} epochs, while the lifter still learns the source.
     *
     * @param baStart      BA's hardness at the first epoch (the paper: 3)
     * @param baEnd        BA's hardness at the last epoch (the paper: 5)
     * @param baStd        BA's band half-width σ (the paper: 2)
     * @param baWeight     BA's weight in L_G (the paper: 0.1)
     * @param rtStart      RT's hardness at the first epoch (the paper: 17)
     * @param rtEnd        RT's hardness at the last epoch (the paper: 17)
     * @param rtStd        RT's band half-width σ (the paper: 15)
     * @param rtWeight     RT's weight in L_G (the paper: 0.01)
     * @param warmupEpochs epochs without feedback (the authors: 2 of 50)
     */
    public record Feedback(double baStart, double baEnd, double baStd, float baWeight, double rtStart, double rtEnd,
            double rtStd, float rtWeight, int warmupEpochs) {

        /** The paper's values. */
        public static Feedback paper() {
            return new Feedback(3, 5, 2, 0.1f, 17, 17, 15, 0.01f, 2);
        }

        /** The same with another warm-up. */
        public Feedback withWarmup(int epochs) {
            return new Feedback(baStart, baEnd, baStd, baWeight, rtStart, rtEnd, rtStd, rtWeight, epochs);
        }

        /** The same with both weights multiplied by {@code factor}. */
        public Feedback weighted(double factor) {
            return new Feedback(baStart, baEnd, baStd, (float) (baWeight * factor), rtStart, rtEnd, rtStd,
                    (float) (rtWeight * factor), warmupEpochs);
        }

        /** BA's and RT's target hardness at {@code epoch} (1-based) of {@code epochs}. */
        public double[] hardness(int epoch, int epochs) {
            double f = (epoch - 1) / (double) Math.max(1, epochs);
            return new double[] {baStart + (baEnd - baStart) * f, rtStart + (rtEnd - rtStart) * f};
        }
    }

    /**
     * Which parts of the method run: the ablations of the paper's generator study, each a component switched
     * off. The camera head (RT) and the 2D discriminator always run: without them nothing would carry the
     * target's 2D distribution into the generated data.
     *
     * @param boneAngles      the BA head
     * @param boneLengths     the BL head
     * @param discriminator3d the 3D discriminator and its term in L_G
     * @param feedback        the lifter's feedback loss
     * @param selection       the selection by lifter-error ratio (off: every generated window inside the image is kept)
     */
    public record Components(boolean boneAngles, boolean boneLengths, boolean discriminator3d, boolean feedback,
            boolean selection) {

        /** Everything on: AdaptPose as published. */
        public static Components all() {
            return new Components(true, true, true, true, true);
        }
    }

    /**
     * The baseline generators of the ablation (`--ablation BG1|BG2|BG3`): AdaptPose built up from a baseline in
     * the order its section 3 adds the parts, each rung one step closer to the method as published. The paper's
     * ablation table was not among the material available to PoseShift, so which components each rung holds is
     * PoseShift's reading of that build-up, not a copy of the table; the single-component ablations
     * ({@code adaptpose-no-ba}, ...) and the camera parameterisations cover the rest of the paper's study.
     * <ul>
     *   <li>{@link #BG1}: the camera alone: RT's learned cameras and the 2D discriminator, every generated window
     *       inside the image trains the lifter (no BA, BL, 3D discriminator, feedback or selection);</li>
     *   <li>{@link #BG2}: BG1 with the motion generator: BA and BL, kept human by the 3D discriminator;</li>
     *   <li>{@link #BG3}: BG2 with the lifter's feedback (sec. 3.3's hardness schedule).</li>
     * </ul>
     * AdaptPose itself is BG3 with sample selection (sec. 3.4).
     */
    public enum BaselineGenerator {
        BG1(new Components(false, false, false, false, false)),
        BG2(new Components(true, true, true, false, false)),
        BG3(new Components(true, true, true, true, false));

        private final Components components;

        BaselineGenerator(Components components) {
            this.components = components;
        }

        /** The components this rung runs. */
        public Components components() {
            return components;
        }

        /** The rung's benchmark method: {@code adaptpose-bg1}, {@code -bg2}, {@code -bg3}. */
        public String methodName() {
            return NAME + "-" + name().toLowerCase(Locale.ROOT);
        }

        /** The rung named {@code name} (BG1, BG2, BG3; any case), or an error naming the choices. */
        public static BaselineGenerator byName(String name) {
            for (BaselineGenerator g : values()) {
                if (g.name().equalsIgnoreCase(name.strip())) {
                    return g;
                }
            }
            throw new IllegalArgumentException("unknown ablation '" + name + "'; use BG1, BG2 or BG3");
        }
    }

    /**
     * The method's settings; {@link #paper()} has the paper's.
     *
     * @param trunk                 the generator heads' MLP
     * @param camera                how RT predicts its rotation (the paper: probabilistic axis)
     * @param discriminatorChannels units of the discriminators' KCS paths (the authors: 256)
     * @param ganLearningRate       Adam's rate for generator and discriminators (the paper: 1e-4)
     * @param discriminatorEvery    the discriminators step once every this many generator steps (the paper: 2)
     * @param adv3dWeight           weight of the 3D adversarial term in L_G (the paper: 6)
     * @param regulariserWeight     weight of the two change penalties in L_G (the paper: 3)
     * @param angleCentre           centre of the bone-angle-change band (the paper: 0.205)
     * @param angleTolerance        half-width of that band (the paper: 0.165)
     * @param ratioThreshold        bone-length ratios above this are penalised (the paper: 0.1)
     * @param maxErrorRatio         selection keeps lifter-error ratios in (1, this) (the paper: 33)
     * @param feedback              the lifter's feedback loss
     * @param poolSize              generated samples the discriminators draw from (the authors: 4096)
     * @param components            which parts run (ablations)
     */
    public record Config(GeneratorTrunk trunk, CameraParameterisation camera, int discriminatorChannels,
            float ganLearningRate, int discriminatorEvery, float adv3dWeight, float regulariserWeight, double angleCentre,
            double angleTolerance, double ratioThreshold, double maxErrorRatio, Feedback feedback, int poolSize,
            Components components) {

        /** The paper's settings (sec. 4.1 and the authors' defaults). */
        public static Config paper() {
            return new Config(GeneratorTrunk.paper(), CameraParameterisation.PROBABILISTIC_AXIS, 256, 1e-4f, 2, 6, 3,
                    0.205, 0.165, 0.1, 33, Feedback.paper(), 4096, Components.all());
        }

        /** The same with another trunk, KCS width, GAN learning rate and feedback warm-up (smaller budgets). */
        public Config scaled(GeneratorTrunk newTrunk, int channels, float learningRate, int warmupEpochs) {
            return new Config(newTrunk, camera, channels, learningRate, discriminatorEvery, adv3dWeight, regulariserWeight,
                    angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback.withWarmup(warmupEpochs),
                    poolSize, components);
        }

        /** The same with another feedback. */
        public Config withFeedback(Feedback f) {
            return new Config(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                    regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, f, poolSize, components);
        }

        /** The same with another camera parameterisation (the paper's ablation). */
        public Config withCamera(CameraParameterisation p) {
            return new Config(trunk, p, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                    regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback, poolSize,
                    components);
        }

        /** The same with other components (an ablation). */
        public Config withComponents(Components c) {
            return new Config(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                    regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback, poolSize, c);
        }

        /** The same with another upper bound of the selection's error ratio. */
        public Config withMaxErrorRatio(double ratio) {
            return new Config(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                    regulariserWeight, angleCentre, angleTolerance, ratioThreshold, ratio, feedback, poolSize, components);
        }
    }

    private AdaptPose() {}

    /**
     * What the generator makes of a fixed batch of source windows at one point of training, for looking at
     * (notebook 03): centre frames, each pose {@code [J*3]} in metres.
     *
     * @param epoch               0 before the first step, else after that epoch
     * @param source              the source poses, root-relative, in the source camera's coordinates
     * @param afterBoneAngles     after BA (sec. 3.1, bone rotations), same frame
     * @param afterBoneLengths    after BA and BL (bone-length changes), same frame
     * @param afterCamera         after RT: the generated camera's coordinates, root-relative
     * @param boneLengthRatios    BL's ratios r per symmetric bone group, {@code [groups]} per sample
     * @param sourceViewpoints    where the source camera stood: {elevation °, azimuth °, distance m}
     *                            ({@link io.github.poseshift.data.DomainGap#viewpoint})
     * @param generatedViewpoints where the generated camera stands, same conventions, in the source sample's world
     * @param errorRatio          the lifter's error on the generated window over its error on the source window
     * @param kept                whether selection (sec. 3.4) keeps the generated window for training the lifter
     */
    public record Snapshot(int epoch, float[][] source, float[][] afterBoneAngles, float[][] afterBoneLengths,
            float[][] afterCamera, float[][] boneLengthRatios, double[][] sourceViewpoints, double[][] generatedViewpoints,
            double[] errorRatio, boolean[] kept) {

        /** How many windows the snapshot holds. */
        public int size() {
            return source.length;
        }

        /** The share of generated windows selection keeps. */
        public double keptShare() {
            int k = 0;
            for (boolean b : kept) {
                k += b ? 1 : 0;
            }
            return (double) k / kept.length;
        }
    }

    /**
     * Collects a {@link Snapshot} of the same {@code size} source windows (drawn once, seeded) before training
     * and after every epoch. A snapshot runs the generator and the lifter in evaluation mode and draws its noise
     * from the probe's own generator, not the training's; still, a probed tiny run matched an unprobed one
     * exactly in its first epoch and differed by 1% in its second (the same JVM ran both), so compare probed
     * runs with probed runs.
     */
    public static final class Probe {
        private final int size;
        private final long seed;
        private final List<Snapshot> snapshots = new java.util.ArrayList<>();

        /** A probe of {@code size} windows drawn with {@code seed}. */
        public Probe(int size, long seed) {
            if (size < 1) {
                throw new IllegalArgumentException("a probe needs at least one window, got " + size);
            }
            this.size = size;
            this.seed = seed;
        }

        /** The snapshots taken so far, in order (epoch 0 first). */
        public List<Snapshot> snapshots() {
            return List.copyOf(snapshots);
        }

        /** The first snapshot (before training). */
        public Snapshot first() {
            return snapshots.get(0);
        }

        /** The last snapshot (after training). */
        public Snapshot last() {
            return snapshots.get(snapshots.size() - 1);
        }
    }

    /** The benchmark's name of the method. */
    public static final String NAME = "adaptpose";

    /** RT's smallest depth in the benchmark, metres: the root never closer than 2 m to a generated camera, so no joint comes near the camera centre. */
    public static final float BENCHMARK_BASE_DEPTH = 2.0f;

    /**
     * The settings for a benchmark budget: the paper's for {@code full}; {@code default} and {@code tiny} scale
     * the generator and discriminators down (128 and 64 units), raise the GAN learning rate (1e-3) to
     * learn in their few epochs, warm the feedback up for one epoch instead of two and weigh it a tenth
     * ({@link #SMALL_BUDGET_FEEDBACK}).
     */
    public static Config forBudget(CrossDatasetBenchmark.Budget budget) {
        return switch (budget.name()) {
            case "full" -> Config.paper();
            case "default" -> small(Config.paper().scaled(new GeneratorTrunk(128, 2, 45), 128, 1e-3f, 1));
            default -> small(Config.paper().scaled(new GeneratorTrunk(64, 1, 16), 64, 1e-3f, 1));
        };
    }

    /**
     * The feedback weights of the small budgets, relative to the paper's. Their lifters err far more on the
     * source than a converged VideoPose3D, so the paper's hardness targets (RT: 17 times the source error) pull
     * the generator away from realistic windows (tiny budget, 3dhp-like, seed 5: 259.8 mm with the paper's
     * weights, 183.7 mm with a tenth, 201.2 mm with a hundredth, 201.0 mm without feedback; source-only 335.0).
     */
    static final double SMALL_BUDGET_FEEDBACK = 0.1;

    private static Config small(Config c) {
        return c.withFeedback(c.feedback().weighted(SMALL_BUDGET_FEEDBACK));
    }

    /**
     * AdaptPose as the benchmark runs it ({@code --methods adaptpose}): the source-only lifter adapted with
     * {@code config} (null: {@link #forBudget}) for the budget's epochs, on the source's training windows and
     * the target's training subjects' 2D keypoints, projected with their cameras' intrinsics.
     */
    public static Adaptation adaptation(Config config) {
        return adaptation(NAME, config);
    }

    /** {@link #adaptation(Config)} under another name (an ablation row of the benchmark's tables). */
    public static Adaptation adaptation(String name, Config config) {
        return variant(name, budgetConfig -> config == null ? budgetConfig : config, null);
    }

    /**
     * {@link #adaptation(Config)} that also fills {@code probe} with snapshots of the generator's work (for one
     * target: a second target would add its snapshots to the same probe).
     */
    public static Adaptation adaptation(Config config, Probe probe) {
        return variant(NAME, budgetConfig -> config == null ? budgetConfig : config, probe);
    }

    /**
     * AdaptPose and its ablations as the benchmark's methods, each adapting with the budget's settings
     * ({@link #forBudget}) changed in one respect: {@code adaptpose} (everything on), {@code adaptpose-no-ba},
     * {@code -no-bl}, {@code -no-d3d}, {@code -no-feedback}, {@code -no-selection} (one component off,
     * {@link Components}), and {@code adaptpose-deterministic-axis}, {@code -quaternion}, {@code -euler} (the
     * camera parameterisations of the paper's ablation instead of the probabilistic axis), and the baseline
     * generators {@code adaptpose-bg1}, {@code -bg2}, {@code -bg3} ({@link BaselineGenerator}).
     */
    public static List<Adaptation> adaptations() {
        List<Adaptation> all = new java.util.ArrayList<>(List.of(variant(NAME, c -> c, null),
                variant(NAME + "-no-ba", c -> c.withComponents(new Components(false, true, true, true, true)), null),
                variant(NAME + "-no-bl", c -> c.withComponents(new Components(true, false, true, true, true)), null),
                variant(NAME + "-no-d3d", c -> c.withComponents(new Components(true, true, false, true, true)), null),
                variant(NAME + "-no-feedback", c -> c.withComponents(new Components(true, true, true, false, true)), null),
                variant(NAME + "-no-selection", c -> c.withComponents(new Components(true, true, true, true, false)), null),
                variant(NAME + "-deterministic-axis", c -> c.withCamera(CameraParameterisation.DETERMINISTIC_AXIS), null),
                variant(NAME + "-quaternion", c -> c.withCamera(CameraParameterisation.QUATERNION), null),
                variant(NAME + "-euler", c -> c.withCamera(CameraParameterisation.EULER), null)));
        for (BaselineGenerator g : BaselineGenerator.values()) {
            all.add(variant(g.methodName(), c -> c.withComponents(g.components()), null));
        }
        return List.copyOf(all);
    }

    private static Adaptation variant(String name, java.util.function.UnaryOperator<Config> fromBudgetConfig,
            Probe probe) {
        return Adaptation.named(name, (lifter, sourceTrain, target, targetSpec, budget, seed, log) -> {
            PoseDataset targetTrain = Adaptation.targetTrainWindows(target, targetSpec, sourceTrain);
            List<Camera.Intrinsics> intrinsics = target.views().stream()
                    .filter(v -> targetSpec.split().trainSubjects().contains(v.poses().subject()))
                    .map(v -> v.camera(0).intrinsics()).distinct().toList();
            return AdaptPose.adapt(lifter, sourceTrain, targetTrain, intrinsics, BENCHMARK_BASE_DEPTH,
                    budget.training(seed), fromBudgetConfig.apply(forBudget(budget)), log, probe);
        });
    }

    /**
     * Adapts {@code lifter} (trained on the source, changed in place) to the target.
     *
     * @param source            the source's training windows (2D inputs and 3D labels)
     * @param target            the target's training windows; only their 2D inputs are read
     * @param targetIntrinsics  the target's camera intrinsics, one drawn per generated batch
     * @param baseDepth         RT's smallest depth, metres (see {@link io.github.poseshift.nn.adaptpose.CameraGenerator})
     * @param training          the lifter's epochs, batch, learning rate and schedule, seed
     * @param log               one line per epoch (null for none)
     * @return the history: lifter loss, generator and discriminator losses, the share of generated windows kept
     */
    public static History adapt(Model lifter, PoseDataset source, PoseDataset target, List<Camera.Intrinsics> targetIntrinsics,
            float baseDepth, LifterTraining.Config training, Config config, PrintWriter log) {
        return adapt(lifter, source, target, targetIntrinsics, baseDepth, training, config, log, null);
    }

    /**
     * {@link #adapt(Model, PoseDataset, PoseDataset, List, float, LifterTraining.Config, Config, PrintWriter)} that
     * also fills {@code probe} (when not null) with a snapshot before training and after every epoch.
     */
    public static History adapt(Model lifter, PoseDataset source, PoseDataset target, List<Camera.Intrinsics> targetIntrinsics,
            float baseDepth, LifterTraining.Config training, Config config, PrintWriter log, Probe probe) {
        if (targetIntrinsics.isEmpty()) {
            throw new IllegalArgumentException("no target intrinsics to project the generated poses with");
        }
        if (source.config().receptiveField() != target.config().receptiveField()) {
            throw new IllegalArgumentException("source windows of " + source.config().receptiveField()
                    + " frames, target windows of " + target.config().receptiveField());
        }
        Device device = lifter.getNDManager().getDevice();
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int noise = config.trunk().noise();
        Engine.getInstance().setRandomSeed(seed(training.seed(), 0));
        History history = new History();
        try (Model generatorModel = Model.newInstance("adaptpose-generator", device);
                Model d2Model = Model.newInstance("adaptpose-d2d", device);
                Model d3Model = Model.newInstance("adaptpose-d3d", device)) {
            Components parts = config.components();
            MotionGenerator generator = new MotionGenerator(source.skeleton(), config.trunk(), config.camera(), baseDepth,
                    parts.boneAngles(), parts.boneLengths());
            generatorModel.setBlock(generator);
            PoseDiscriminator2D d2 = new PoseDiscriminator2D(source.skeleton(), config.discriminatorChannels());
            d2Model.setBlock(d2);
            PoseDiscriminator3D d3 = new PoseDiscriminator3D(source.skeleton(), config.discriminatorChannels(), 100);
            d3Model.setBlock(d3);
            ResumableAdam lifterAdam = ResumableAdam.create(training.learningRate(), training.clipGradient());
            int batch = training.batchSize();
            try (Trainer gTrainer = AdversarialSteps.trainer(generatorModel, config.ganLearningRate(), device);
                    Trainer d2Trainer = AdversarialSteps.trainer(d2Model, config.ganLearningRate(), device);
                    Trainer d3Trainer = AdversarialSteps.trainer(d3Model, config.ganLearningRate(), device);
                    Trainer lTrainer = AdversarialSteps.lifterTrainer(lifter, lifterAdam, device)) {
                Shape window3 = new Shape(batch, frames, joints, 3);
                gTrainer.initialize(window3, new Shape(batch, noise), new Shape(batch, noise), new Shape(batch, noise),
                        new Shape(batch, noise), new Shape(batch, 3));
                d2Trainer.initialize(new Shape(batch, joints, 2));
                d3Trainer.initialize(new Shape(batch, joints, 3));
                lTrainer.initialize(new Shape(batch, frames, joints * 2L));
                int step = 0;
                Pools pools = new Pools(new SamplePool(config.poolSize(), joints * 2, seed(training.seed(), -1)),
                        new SamplePool(config.poolSize(), joints * 3, seed(training.seed(), -2)));
                ProbeWindows probed = probe == null ? null : probeWindows(source, probe);
                if (probe != null) {
                    probe.snapshots.add(snapshot(0, probed, source, targetIntrinsics, generator, lifter.getBlock(), config,
                            probe.seed, device));
                }
                for (int epoch = 1; epoch <= training.epochs(); epoch++) {
                    lifterAdam.setLearningRate((float) (training.learningRate() * Math.pow(training.lrDecay(), epoch - 1)));
                    Engine.getInstance().setRandomSeed(seed(training.seed(), epoch));
                    Random rng = new Random(seed(training.seed(), epoch));
                    double[] hardness = config.feedback().hardness(epoch, training.epochs());
                    boolean feedback = parts.feedback() && epoch > config.feedback().warmupEpochs();
                    double[] sums = new double[10];
                    int steps = 0;
                    for (PoseDataset.Batch b : source.batches(batch, training.flipAugment(), rng)) {
                        try (NDManager scope = lTrainer.getManager().newSubManager()) {
                            Step s = step(scope, b, source, target, targetIntrinsics, rng, generator, gTrainer, d2Trainer,
                                    d3Trainer, lTrainer, d2, d3, config, step, pools, feedback ? hardness : null);
                            sums[0] += s.lifterLossMm();
                            sums[1] += s.generatorLoss();
                            sums[2] += s.discriminator2dLoss() + s.discriminator3dLoss();
                            sums[6] += s.discriminator3dLoss();
                            sums[7] += s.dSteps();
                            sums[8] += s.skippedGeneratorSteps();
                            sums[9] += s.skippedDiscriminatorSteps();
                            sums[3] += s.kept();
                            sums[4] += s.generated();
                            sums[5] += s.feedbackLoss();
                        }
                        step++;
                        steps++;
                    }
                    history.record("epoch_loss_mm", step, epoch, sums[0] / steps);
                    history.record("generator_loss", step, epoch, sums[1] / steps);
                    // The discriminators step every discriminatorEvery steps: their losses average over those steps.
                    double dSteps = Math.max(1, sums[7]);
                    history.record("discriminator_loss", step, epoch, sums[2] / dSteps);
                    history.record("discriminator_2d_loss", step, epoch, (sums[2] - sums[6]) / dSteps);
                    history.record("discriminator_3d_loss", step, epoch, sums[6] / dSteps);
                    history.record("kept_share", step, epoch, sums[3] / Math.max(1, sums[4]));
                    history.record("feedback_loss", step, epoch, sums[5] / steps);
                    history.record("skipped_generator_steps", step, epoch, sums[8]);
                    history.record("skipped_discriminator_steps", step, epoch, sums[9]);
                    if (log != null) {
                        log.printf(Locale.ROOT, "adaptpose epoch %d/%d  lifter %.1f mm  G %.4f (feedback %.4f)"
                                + "  D2D %.4f  D3D %.4f  kept %.0f%%%n", epoch, training.epochs(), sums[0] / steps,
                                sums[1] / steps, sums[5] / steps, (sums[2] - sums[6]) / dSteps, sums[6] / dSteps,
                                100 * sums[3] / Math.max(1, sums[4]));
                        if (sums[8] + sums[9] > 0) {
                            log.printf(Locale.ROOT, "adaptpose epoch %d: %.0f generator and %.0f discriminator steps"
                                    + " skipped (non-finite gradients)%n", epoch, sums[8], sums[9]);
                        }
                        log.flush();
                    }
                    if (probe != null) {
                        probe.snapshots.add(snapshot(epoch, probed, source, targetIntrinsics, generator, lifter.getBlock(),
                                config, probe.seed, device));
                    }
                }
            }
        }
        return history;
    }

    /**
     * The probe's windows — {@code size} distinct source samples drawn with the probe's seed — with where their
     * cameras stand and the world's up in their camera coordinates, which every snapshot needs and none changes.
     */
    private record ProbeWindows(int[] indices, double[][] sourceViewpoints, double[][] upInCamera) {}

    private static ProbeWindows probeWindows(PoseDataset source, Probe probe) {
        int[] all = EpochOrder.shuffled(source.size(), new Random(probe.seed));
        int[] indices = java.util.Arrays.copyOf(all, Math.min(probe.size, all.length));
        List<double[]> viewpoints = source.viewpoints();
        return new ProbeWindows(indices, java.util.Arrays.stream(indices).mapToObj(viewpoints::get).toArray(double[][]::new),
                java.util.Arrays.stream(indices).mapToObj(source::upInCamera).toArray(double[][]::new));
    }

    /**
     * The generator's and the lifter's work on the probe's windows, in evaluation mode (no batch-norm update, no
     * dropout) with noise from the probe's seed and the first target intrinsics.
     */
    private static Snapshot snapshot(int epoch, ProbeWindows probed, PoseDataset source, List<Camera.Intrinsics> intrinsics,
            MotionGenerator generator, Block lifter, Config config, long seed, Device device) {
        int[] indices = probed.indices();
        int n = indices.length;
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int centre = frames / 2;
        int noise = config.trunk().noise();
        Random rng = new Random(seed * 31 + 7);
        try (NDManager scope = NDManager.newBaseManager(device)) {
            NDArray windows = scope.create(source.targetWindows(indices, new boolean[n]), new Shape(n, frames, joints, 3));
            NDList in = new NDList(windows);
            for (int i = 0; i < 4; i++) {
                in.add(scope.create(gaussians(rng, n * noise), new Shape(n, noise)));
            }
            in.add(scope.create(gaussians(rng, n * 3), new Shape(n, 3)));
            NDList out = generator.forward(new ParameterStore(scope, false), in, false);
            NDArray camera = out.get(4);
            NDArray projected = PoseTensors.projectNormalised(camera, intrinsics.get(0));
            float[] inputs = new float[n * frames * joints * 2];
            float[] targets = new float[n * joints * 3];
            for (int i = 0; i < n; i++) {
                PoseDataset.Sample sample = source.sample(indices[i], false);
                System.arraycopy(sample.input(), 0, inputs, i * frames * joints * 2, frames * joints * 2);
                System.arraycopy(sample.target(), 0, targets, i * joints * 3, joints * 3);
            }
            float[] sourceError = perSampleMpjpe(lifter, scope.create(inputs, new Shape(n, frames, joints * 2L)),
                    scope.create(targets, new Shape(n, joints, 3))).toFloatArray();
            NDArray cameraCentre = camera.get(":, " + centre);
            NDArray generatedTargets = cameraCentre.sub(cameraCentre.get(":, 0:1, :"));
            float[] generatedError = perSampleMpjpe(lifter, projected.reshape(n, frames, joints * 2L), generatedTargets)
                    .toFloatArray();
            float[] inside = projected.abs().reshape(n, -1).max(new int[] {1}).toFloatArray();
            float[] absolute = cameraCentre.toFloatArray();
            float[] rotations = out.get(5).toFloatArray();
            int lhip = source.skeleton().indexOf("LHip");
            int rhip = source.skeleton().indexOf("RHip");
            double[][] generatedVp = new double[n][];
            double[] errorRatio = new double[n];
            boolean[] kept = new boolean[n];
            for (int i = 0; i < n; i++) {
                // The generated camera turns the source camera's coordinates by R, so the world's up turns with them.
                double[] up = probed.upInCamera()[i];
                double[] turnedUp = new double[3];
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        turnedUp[r] += rotations[i * 9 + r * 3 + c] * up[c];
                    }
                }
                int o = i * joints * 3;
                generatedVp[i] = io.github.poseshift.data.DomainGap.viewpointInCamera(joint(absolute, o, 0),
                        joint(absolute, o, lhip), joint(absolute, o, rhip), turnedUp);
                errorRatio[i] = generatedError[i] / sourceError[i];
                kept[i] = selected(config, inside[i], generatedError[i], sourceError[i]);
            }
            return new Snapshot(epoch, centres(windows, centre, n), centres(out.get(0), centre, n),
                    centres(out.get(2), centre, n), rows(generatedTargets.toFloatArray(), n),
                    rows(out.get(3).toFloatArray(), n), probed.sourceViewpoints(), generatedVp, errorRatio, kept);
        }
    }

    /**
     * Selection (sec. 3.4): a generated window is kept when its 2D points stay inside the normalised image
     * ({@code inside}, the largest |coordinate|, at most 1) and, with selection on, the lifter's error on it lies
     * between once and {@code maxErrorRatio} times its error on the source window.
     */
    private static boolean selected(Config config, float inside, float generatedError, float sourceError) {
        return inside <= 1 && Float.isFinite(generatedError) && (!config.components().selection()
                || generatedError > sourceError && generatedError < config.maxErrorRatio() * sourceError);
    }

    private static float[] gaussians(Random rng, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }

    private static double[] joint(float[] poses, int offset, int joint) {
        return new double[] {poses[offset + joint * 3], poses[offset + joint * 3 + 1], poses[offset + joint * 3 + 2]};
    }

    /** The centre frame of windows {@code [n, F, J, 3]}, root-relative, one row per window. */
    private static float[][] centres(NDArray windows, int centre, int n) {
        NDArray c = windows.get(":, " + centre);
        return rows(c.sub(c.get(":, 0:1, :")).toFloatArray(), n);
    }

    private static float[][] rows(float[] flat, int n) {
        int width = flat.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    /** One step's losses; the discriminators' (2D, 3D) only on the steps that update them ({@code dSteps} 1). */
    private record Step(double lifterLossMm, double generatorLoss, double feedbackLoss, double discriminator2dLoss,
            double discriminator3dLoss, int dSteps, int kept, int generated, int skippedGeneratorSteps,
            int skippedDiscriminatorSteps) {}

    /** The discriminators' pools of generated samples: centre-frame 2D poses and 3D bodies. */
    private record Pools(SamplePool poses2d, SamplePool bodies3d) {}

    /**
     * One step of the algorithm (see the class comment).
     *
     * @param hardness BA's and RT's target error ratios for the feedback loss, null while it is off
     */
    private static Step step(NDManager scope, PoseDataset.Batch b, PoseDataset source, PoseDataset target,
            List<Camera.Intrinsics> intrinsics, Random rng, MotionGenerator generator, Trainer gTrainer, Trainer d2Trainer,
            Trainer d3Trainer, Trainer lTrainer, Block d2, Block d3, Config config, int step, Pools pools, double[] hardness) {
        int n = b.size();
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int centre = frames / 2;
        int noise = config.trunk().noise();
        Components parts = config.components();
        Block lifter = lTrainer.getModel().getBlock();
        NDArray sourceWindows = scope.create(source.targetWindows(b.indices(), b.flipped()), new Shape(n, frames, joints, 3));
        NDArray targetPoses = scope.create(targetCentres(target, n, rng), new Shape(n, joints, 2));
        Camera.Intrinsics k = intrinsics.get(rng.nextInt(intrinsics.size()));
        NDArray sourceInputs = scope.create(b.inputs(), new Shape(n, frames, joints * 2L));
        NDArray sourceTargets = scope.create(b.targets(), new Shape(n, joints, 3));
        // The lifter's error on the source windows: the denominator of the feedback and selection ratios.
        NDArray sourceError = perSampleMpjpe(lifter, sourceInputs, sourceTargets).stopGradient();

        // 1. Generate and step the generator against frozen discriminators and a frozen lifter (sec. 3.3).
        NDList in = new NDList(sourceWindows, scope.randomNormal(new Shape(n, noise)), scope.randomNormal(new Shape(n, noise)),
                scope.randomNormal(new Shape(n, noise)), scope.randomNormal(new Shape(n, noise)),
                scope.randomNormal(new Shape(n, 3)));
        d2.freezeParameters(true);
        d3.freezeParameters(true);
        List<Parameter> lifterTrainable = AdversarialSteps.freezeTrainable(lifter);
        NDArray generated3d;
        NDArray generatedBody;
        NDArray generated2d;
        float generatorLoss;
        float feedbackLoss = 0;
        try (GradientCollector gc = gTrainer.newGradientCollector()) {
            NDList out = gTrainer.forward(in);
            NDArray body = out.get(2); // after BA and BL: the 3D discriminator judges the body
            NDArray camera = out.get(4);
            NDArray projected = PoseTensors.projectNormalised(camera, k); // [n, F, J, 2]
            NDArray loss = GanLosses.generator(d2Trainer.forward(new NDList(projected.get(":, " + centre))).singletonOrThrow());
            if (parts.discriminator3d()) {
                NDArray adv3d = GanLosses.generator(d3Trainer.forward(new NDList(body.get(":, " + centre))).singletonOrThrow());
                loss = loss.add(adv3d.mul(config.adv3dWeight()));
            }
            NDArray meanAngleChange = out.get(1).reshape(n, -1).mean(new int[] {1});
            NDArray penalties = GanLosses.outsideBand(meanAngleChange, config.angleCentre(), config.angleTolerance())
                    .add(GanLosses.rectifiedSquare(out.get(3), config.ratioThreshold()));
            loss = loss.add(penalties.mul(config.regulariserWeight()));
            if (hardness != null) {
                NDArray feedback = feedback(lifter, sourceWindows, out, projected, sourceError, k, hardness, config, n,
                        joints, frames);
                loss = loss.add(feedback);
                feedbackLoss = feedback.getFloat();
            }
            generatorLoss = loss.getFloat();
            if (!Float.isFinite(generatorLoss)) {
                throw new IllegalStateException("AdaptPose's generator loss is " + generatorLoss + " at step " + step
                        + " (adversarial training diverged; not finite: " + nonFinite(out, generator, d2, d3)
                        + "); try another seed or a lower GAN learning rate");
            }
            gc.backward(loss);
            generated3d = camera.stopGradient();
            generatedBody = body.get(":, " + centre).stopGradient();
            generated2d = projected.stopGradient();
        }
        // A finite loss can still send a non-finite gradient back (seen once in a tiny notebook run: the BL head's
        // gradient at step 18, which made every BL weight NaN). Such a step is skipped, as mixed-precision
        // training skips an overflowing one, and counted in the history; its gradients are zeroed because DJL
        // keeps them until the next step.
        boolean skipGenerator = !AdversarialSteps.stepIfFinite(gTrainer, generator);
        d2.freezeParameters(false);
        d3.freezeParameters(false);
        AdversarialSteps.thaw(lifterTrainable);

        // 2. The discriminators, every discriminatorEvery steps (sec. 3.2, LSGAN), on generated samples passed
        //    through the pools.
        float discriminatorLoss = Float.NaN;
        float discriminator3dLoss = 0;
        int skippedDiscriminator = 0;
        if (step % config.discriminatorEvery() == 0) {
            NDArray pooled2d = scope.create(pools.poses2d().exchange(generated2d.get(":, " + centre).toFloatArray()),
                    new Shape(n, joints, 2));
            NDArray pooled3d = scope.create(pools.bodies3d().exchange(generatedBody.toFloatArray()), new Shape(n, joints, 3));
            try (GradientCollector gc = d2Trainer.newGradientCollector()) {
                NDArray loss = GanLosses.discriminator(d2Trainer.forward(new NDList(targetPoses)).singletonOrThrow(),
                        d2Trainer.forward(new NDList(pooled2d)).singletonOrThrow());
                discriminatorLoss = loss.getFloat();
                if (parts.discriminator3d()) {
                    NDArray loss3d = GanLosses.discriminator(
                            d3Trainer.forward(new NDList(sourceWindows.get(":, " + centre))).singletonOrThrow(),
                            d3Trainer.forward(new NDList(pooled3d)).singletonOrThrow());
                    discriminator3dLoss = loss3d.getFloat();
                    loss = loss.add(loss3d);
                }
                gc.backward(loss);
            }
            // Guarded like the generator's step (AdversarialSteps#stepIfFinite).
            if (!AdversarialSteps.stepIfFinite(d2Trainer, d2)) {
                skippedDiscriminator++;
            }
            if (parts.discriminator3d() && !AdversarialSteps.stepIfFinite(d3Trainer, d3)) {
                skippedDiscriminator++;
            }
        }

        // 3. Selection (sec. 3.4): inside the image, and harder than the source window but not absurdly so.
        NDArray generatedTargets = generated3d.get(":, " + centre).sub(generated3d.get(":, " + centre + ", 0:1, :"));
        NDArray generatedInputs = generated2d.reshape(n, frames, joints * 2L);
        float[] inside = generated2d.abs().reshape(n, -1).max(new int[] {1}).toFloatArray();
        float[] generatedError = perSampleMpjpe(lifter, generatedInputs, generatedTargets).toFloatArray();
        float[] sourceErrors = sourceError.toFloatArray();
        int[] kept = java.util.stream.IntStream.range(0, n)
                .filter(i -> selected(config, inside[i], generatedError[i], sourceErrors[i])).toArray();

        // 4. The lifter on the source batch and the kept generated windows.
        NDArray inputs = sourceInputs;
        NDArray targets = sourceTargets;
        if (kept.length > 0) {
            NDArray index = scope.create(kept);
            inputs = inputs.concat(generatedInputs.get(index), 0);
            targets = targets.concat(generatedTargets.get(index), 0);
        }
        float lifterLoss;
        try (GradientCollector gc = lTrainer.newGradientCollector()) {
            NDArray predicted = lTrainer.forward(new NDList(inputs)).singletonOrThrow().reshape(-1, joints, 3);
            NDArray loss = LifterTraining.mpjpeLoss(predicted, targets);
            gc.backward(loss);
            lifterLoss = loss.getFloat() * 1000;
        }
        lTrainer.step();
        // A discriminator loss that is not finite comes with gradients that are not: that step was skipped above.
        boolean stepped = Float.isFinite(discriminatorLoss);
        return new Step(lifterLoss, generatorLoss, feedbackLoss, stepped ? discriminatorLoss : 0,
                Float.isFinite(discriminator3dLoss) ? discriminator3dLoss : 0,
                stepped ? 1 : 0, kept.length, n, skipGenerator ? 1 : 0, skippedDiscriminator);
    }

    /**
     * The feedback loss (sec. 3.3): BA's hardness is the lifter's error on the BA-changed window over its error
     * on the unchanged window, both seen by the generated camera (the windows here are root-relative, so the
     * source camera's placement is not at hand, unlike in the authors' code); RT's is the lifter's error on the
     * fully generated window over its error on the source window as recorded. Each ratio is held in its band
     * around the epoch's target hardness. Gradients reach the generator through the frozen lifter.
     */
    private static NDArray feedback(Block lifter, NDArray sourceWindows, NDList out, NDArray projected, NDArray sourceError,
            Camera.Intrinsics k, double[] hardness, Config config, int n, int joints, int frames) {
        Feedback f = config.feedback();
        int centre = frames / 2;
        NDArray camera = out.get(4);
        NDArray rtTargets = camera.get(":, " + centre).sub(camera.get(":, " + centre + ", 0:1, :"));
        NDArray rtRatio = perSampleMpjpe(lifter, projected.reshape(n, frames, joints * 2L), rtTargets).div(sourceError);
        NDArray loss = GanLosses.outsideBand(rtRatio, hardness[1], f.rtStd()).mul(f.rtWeight());
        if (config.components().boneAngles()) {
            NDArray rotations = out.get(5);
            NDArray translations = out.get(6);
            NDArray changed = out.get(0);
            NDArray baError = perSampleMpjpe(lifter, seenBy(changed, rotations, translations, k, n, frames, joints),
                    changed.get(":, " + centre));
            NDArray originError = perSampleMpjpe(lifter, seenBy(sourceWindows, rotations, translations, k, n, frames, joints),
                    sourceWindows.get(":, " + centre)).stopGradient();
            loss = loss.add(GanLosses.outsideBand(baError.div(originError), hardness[0], f.baStd()).mul(f.baWeight()));
        }
        return loss;
    }

    private static final List<String> GENERATOR_OUTPUTS = List.of("afterBA", "angleChange", "afterBL", "ratios", "afterRT",
            "rotations", "translations");

    /** Which generator outputs and which parameters hold a NaN or an infinity: what a diverged step reports. */
    private static List<String> nonFinite(NDList out, Block... blocks) {
        List<String> bad = new java.util.ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (!AdversarialSteps.finite(out.get(i))) {
                bad.add(GENERATOR_OUTPUTS.get(i));
            }
        }
        bad.addAll(AdversarialSteps.nonFiniteParameters(blocks));
        return bad;
    }

    /** Root-relative windows {@code [n, F, J, 3]} seen by cameras R·x + t, as the lifter's 2D input {@code [n, F, 2J]}. */
    private static NDArray seenBy(NDArray windows, NDArray rotations, NDArray translations, Camera.Intrinsics k, int n,
            int frames, int joints) {
        NDArray turned = rotations.reshape(n, 1, 1, 3, 3).matMul(windows.expandDims(-1)).squeeze(-1)
                .add(translations.reshape(n, 1, 1, 3));
        return PoseTensors.projectNormalised(turned, k).reshape(n, frames, joints * 2L);
    }

    /**
     * The lifter's MPJPE on each window {@code [n]} (metres), in evaluation mode (no dropout, running batch-norm
     * statistics); differentiable in the inputs when recorded inside a gradient collector.
     */
    private static NDArray perSampleMpjpe(Block lifter, NDArray inputs, NDArray targets) {
        long n = inputs.getShape().get(0);
        NDArray predicted = lifter.forward(new ParameterStore(inputs.getManager(), false), new NDList(inputs), false)
                .singletonOrThrow().reshape(targets.getShape());
        // The epsilon keeps the gradient of the root joint's distance, exactly zero, finite (d√x/dx at 0 is ∞).
        return predicted.sub(targets).square().sum(new int[] {2}).add(1e-12f).sqrt().mean(new int[] {1}).reshape(n);
    }

    /** The centre-frame 2D poses of {@code count} random target windows, {@code [count][J][2]}. */
    private static float[] targetCentres(PoseDataset target, int count, Random rng) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = rng.nextInt(target.size());
        }
        return target.centreInputs(indices);
    }

    private static int seed(long seed, int epoch) {
        return (int) new SplittableRandom(seed * 1_000_003L + 77 + epoch).nextLong();
    }
}
