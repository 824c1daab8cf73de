package io.github.poseshift.method.poseda;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.loss.GanLosses;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.adaptpose.BoneAngleGenerator;
import io.github.poseshift.nn.adaptpose.GeneratorTrunk;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * PoseDA (Chai, Jiang, Hwang, Wang; "Global Adaptation meets Local Generalization", ICCV 2023): adapts a 2D→3D
 * lifter to a target domain of which only 2D keypoints are known, with two modules and no learnable part in the
 * first:
 * <ol>
 *   <li><b>global position alignment</b> (GPA, sec. 3.2, {@link GlobalPositionAlignment}): every source window is
 *       moved, within its camera's view, to the position and scale of a target 2D pose drawn at random, keeping
 *       its exact 3D label;</li>
 *   <li><b>local pose augmentation</b> (LPA, sec. 3.3): a generator turns the source poses' bones by bounded
 *       angles (bone lengths kept), trained against an anchor discriminator so the augmented poses stay
 *       plausible and their 2D projections, once globally aligned, look like the target's;</li>
 *   <li>the lifter trains on the source windows, their aligned copies and the aligned augmented windows.</li>
 * </ol>
 * The authors released GPA only; LPA is built from the paper's description, and each choice it had to make is a
 * value of {@link Config} with the reason next to it:
 * <ul>
 *   <li>the generator is AdaptPose's bone-angle head ({@link BoneAngleGenerator}) with one turn per bone for the
 *       whole window ({@link BoneAngleGenerator.Motion#CONSTANT}: LPA changes postures, not motion) bounded by
 *       {@link Config#maxBoneTurn} ("limited ranges");</li>
 *   <li>the anchor discriminator compares <i>local</i> 2D poses — root at the origin, divided by the box scale —
 *       of the target (the anchors) with those of the aligned augmented poses, so it judges the local structure
 *       only, GPA having settled position and scale ({@link Config#anchorDiscriminator});</li>
 *   <li>plausibility in 3D: AdaptPose's part-wise KCS discriminator against the source's 3D poses, weighted
 *       {@link Config#plausibilityWeight};</li>
 *   <li>the lifter also keeps the source windows as they were ({@link Config#keepSourceWindows}).</li>
 * </ul>
 * {@link Variant} selects GPA only, LPA only or both (the paper's ablation, table 5).
 *
 * <p>Repeatability: a fresh JVM does not always repeat a run to the bit, since the adversarial game amplifies MKL's
 * alignment-dependent rounding; with {@code MKL_CBWR=AVX2} or {@code MKL_CBWR=COMPATIBLE} in the environment runs
 * repeat, at a cost in training time ({@code docs/repeatability.md}). A step whose gradients are not finite is
 * skipped and counted ({@link AdversarialSteps#stepIfFinite}).
 */
public final class PoseDA {

    /** Which modules run: the rows of the paper's ablation. */
    public enum Variant {
        /** GPA and LPA: PoseDA as published. */
        BOTH("poseda", true, true),
        /** GPA only: aligned source windows, no augmentation. */
        GPA("poseda-gpa", true, false),
        /** LPA only: augmented windows seen from their source cameras, no alignment. */
        LPA("poseda-lpa", false, true),
        /** Neither: the same loop on the unchanged source windows (a control, not among the benchmark's methods). */
        NEITHER("poseda-neither", false, false);

        private final String method;
        private final boolean alignment;
        private final boolean augmentation;

        Variant(String method, boolean alignment, boolean augmentation) {
            this.method = method;
            this.alignment = alignment;
            this.augmentation = augmentation;
        }

        /** The benchmark's name of the variant. */
        public String method() {
            return method;
        }

        /** Whether GPA runs. */
        public boolean alignment() {
            return alignment;
        }

        /** Whether LPA runs. */
        public boolean augmentation() {
            return augmentation;
        }
    }

    /**
     * The method's settings.
     *
     * @param variant             which modules run
     * @param alignment           GPA's settings
     * @param trunk               LPA generator's MLP (AdaptPose's trunk; the paper gives no size)
     * @param maxBoneTurn         LPA's largest bone turn, radians (our choice: 0.35, about 20°, "local" changes)
     * @param anchorDiscriminator the anchor discriminator's KCS width (AdaptPose's 2D discriminator, on local 2D poses)
     * @param plausibilityWeight  weight of the 3D plausibility discriminator's term in the generator's loss (0: off)
     * @param ganLearningRate     Adam's rate for generator and discriminators
     * @param discriminatorEvery  the discriminators step once every this many generator steps
     * @param poolSize            generated samples the discriminators draw from ({@link SamplePool})
     * @param keepSourceWindows   train the lifter on the unchanged source windows too
     */
    public record Config(Variant variant, GlobalPositionAlignment.Config alignment, GeneratorTrunk trunk, double maxBoneTurn,
            int anchorDiscriminator, float plausibilityWeight, float ganLearningRate, int discriminatorEvery, int poolSize,
            boolean keepSourceWindows) {

        /** Validates the values. */
        public Config {
            if (!(maxBoneTurn > 0) || anchorDiscriminator < 1 || plausibilityWeight < 0 || !(ganLearningRate > 0)
                    || discriminatorEvery < 1 || poolSize < 1) {
                throw new IllegalArgumentException("invalid PoseDA config: max bone turn " + maxBoneTurn
                        + ", anchor discriminator width " + anchorDiscriminator + ", plausibility weight "
                        + plausibilityWeight + ", GAN lr " + ganLearningRate + ", D every " + discriminatorEvery
                        + ", pool " + poolSize);
            }
        }

        /** The full-size settings: AdaptPose's generator trunk and discriminator width, GAN rate 1e-4. */
        public static Config full() {
            return new Config(Variant.BOTH, GlobalPositionAlignment.Config.exact(), GeneratorTrunk.paper(), 0.35, 256, 1f,
                    1e-4f, 2, 4096, true);
        }

        /** The same with another variant. */
        public Config withVariant(Variant v) {
            return new Config(v, alignment, trunk, maxBoneTurn, anchorDiscriminator, plausibilityWeight, ganLearningRate,
                    discriminatorEvery, poolSize, keepSourceWindows);
        }

        /** The same with smaller networks and a higher GAN learning rate (small budgets). */
        public Config scaled(GeneratorTrunk newTrunk, int channels, float learningRate) {
            return new Config(variant, alignment, newTrunk, maxBoneTurn, channels, plausibilityWeight, learningRate,
                    discriminatorEvery, poolSize, keepSourceWindows);
        }
    }

    /** The benchmark's name of the method. */
    public static final String NAME = Variant.BOTH.method();

    private PoseDA() {}

    /**
     * The settings for a benchmark budget: the paper-size networks for {@code full}; {@code default} and
     * {@code tiny} scale generator and discriminators down (128 and 64 units) and raise the GAN learning rate to
     * 1e-3, as AdaptPose's budgets do.
     */
    public static Config forBudget(CrossDatasetBenchmark.Budget budget) {
        return switch (budget.name()) {
            case "full" -> Config.full();
            case "default" -> Config.full().scaled(new GeneratorTrunk(128, 2, 45), 128, 1e-3f);
            default -> Config.full().scaled(new GeneratorTrunk(64, 1, 16), 64, 1e-3f);
        };
    }

    /** PoseDA and its ablations as the benchmark's methods: {@code poseda}, {@code poseda-gpa}, {@code poseda-lpa}. */
    public static List<Adaptation> adaptations() {
        List<Adaptation> out = new ArrayList<>();
        for (Variant v : List.of(Variant.BOTH, Variant.GPA, Variant.LPA)) {
            out.add(adaptation(v.method(), budget -> forBudget(budget).withVariant(v), null));
        }
        return List.copyOf(out);
    }

    /**
     * A benchmark method named {@code name} adapting with the settings {@code configFor} gives for the budget;
     * {@code probe} (when not null) collects what GPA and LPA make of fixed source windows.
     */
    public static Adaptation adaptation(String name, java.util.function.Function<CrossDatasetBenchmark.Budget, Config> configFor,
            Probe probe) {
        return Adaptation.named(name, (lifter, sourceTrain, target, targetSpec, budget, seed, log) -> PoseDA.adapt(lifter,
                sourceTrain, Adaptation.targetTrainWindows(target, targetSpec, sourceTrain), budget.training(seed),
                configFor.apply(budget), log, probe));
    }

    /**
     * What GPA and LPA make of a fixed set of source windows, for looking at (notebook 04): normalised 2D centre
     * frames {@code [n][J][2]} of the source as filmed, after GPA and of the target poses drawn for them, and the
     * largest bone turn LPA applied to each, radians. Filled after training.
     */
    public static final class Probe {
        private final int size;
        private final long seed;
        private float[] source2d;
        private float[] aligned2d;
        private float[] target2d;
        private float[] turns;

        /** A probe of {@code size} source windows drawn with {@code seed}. */
        public Probe(int size, long seed) {
            if (size < 1) {
                throw new IllegalArgumentException("a probe needs at least one window, got " + size);
            }
            this.size = size;
            this.seed = seed;
        }

        /** The source's 2D centre frames as filmed. */
        public float[] source2d() {
            return filled(source2d).clone();
        }

        /** The same windows after GPA. */
        public float[] aligned2d() {
            return filled(aligned2d).clone();
        }

        /** The target poses GPA aligned them to. */
        public float[] target2d() {
            return filled(target2d).clone();
        }

        private float[] filled(float[] values) {
            if (count == 0) {
                throw new IllegalStateException("the probe is filled when its PoseDA run ends; it has not run yet");
            }
            return values;
        }

        /** The largest bone turn of each augmented pose, radians (null when LPA did not run). */
        public float[] largestTurns() {
            return turns == null ? null : turns.clone();
        }

        /** How many windows the probe holds (0 before training ends). */
        public int size() {
            return count;
        }

        private int count;
    }

    /**
     * Adapts {@code lifter} (trained on the source, changed in place) to the target.
     *
     * @param source   the source's training windows (2D, 3D labels, cameras)
     * @param target   the target's training windows; only their 2D inputs and cameras' intrinsics are read
     * @param training the lifter's epochs, batch, learning rate and schedule, seed
     * @param log      one line per epoch (null for none)
     * @param probe    filled after training when not null
     * @return the history: lifter loss, generator and discriminator losses, windows GPA held back
     */
    public static History adapt(Model lifter, PoseDataset source, PoseDataset target, LifterTraining.Config training,
            Config config, PrintWriter log, Probe probe) {
        if (source.config().receptiveField() != target.config().receptiveField()) {
            throw new IllegalArgumentException("source windows of " + source.config().receptiveField()
                    + " frames, target windows of " + target.config().receptiveField());
        }
        Device device = lifter.getNDManager().getDevice();
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        Engine.getInstance().setRandomSeed(seed(training.seed(), 0));
        GlobalPositionAlignment gpa = new GlobalPositionAlignment(config.alignment());
        Variant variant = config.variant();
        History history = new History();
        try (Model generatorModel = Model.newInstance("poseda-lpa-generator", device);
                Model anchorModel = Model.newInstance("poseda-anchor", device);
                Model plausibilityModel = Model.newInstance("poseda-plausibility", device)) {
            BoneAngleGenerator generator = new BoneAngleGenerator(source.skeleton(), config.trunk(),
                    BoneAngleGenerator.Motion.CONSTANT, config.maxBoneTurn());
            generatorModel.setBlock(generator);
            PoseDiscriminator2D anchor = new PoseDiscriminator2D(source.skeleton(), config.anchorDiscriminator());
            anchorModel.setBlock(anchor);
            PoseDiscriminator3D plausibility = new PoseDiscriminator3D(source.skeleton(), config.anchorDiscriminator(), 100);
            plausibilityModel.setBlock(plausibility);
            ResumableAdam lifterAdam = ResumableAdam.create(training.learningRate(), training.clipGradient());
            int batch = training.batchSize();
            try (Trainer gTrainer = AdversarialSteps.trainer(generatorModel, config.ganLearningRate(), device);
                    Trainer aTrainer = AdversarialSteps.trainer(anchorModel, config.ganLearningRate(), device);
                    Trainer pTrainer = AdversarialSteps.trainer(plausibilityModel, config.ganLearningRate(), device);
                    Trainer lTrainer = AdversarialSteps.lifterTrainer(lifter, lifterAdam, device)) {
                gTrainer.initialize(new Shape(batch, frames, joints, 3), new Shape(batch, config.trunk().noise()));
                aTrainer.initialize(new Shape(batch, joints, 2));
                pTrainer.initialize(new Shape(batch, joints, 3));
                lTrainer.initialize(new Shape(batch, frames, joints * 2L));
                Nets nets = new Nets(generator, gTrainer, anchor, aTrainer, plausibility, pTrainer, lTrainer,
                        new SamplePool(config.poolSize(), joints * 2, seed(training.seed(), -1)),
                        new SamplePool(config.poolSize(), joints * 3, seed(training.seed(), -2)));
                int step = 0;
                for (int epoch = 1; epoch <= training.epochs(); epoch++) {
                    lifterAdam.setLearningRate((float) (training.learningRate() * Math.pow(training.lrDecay(), epoch - 1)));
                    Engine.getInstance().setRandomSeed(seed(training.seed(), epoch));
                    Random rng = new Random(seed(training.seed(), epoch));
                    double[] sums = new double[8];
                    int steps = 0;
                    for (PoseDataset.Batch b : source.batches(batch, training.flipAugment(), rng)) {
                        try (NDManager scope = lTrainer.getManager().newSubManager()) {
                            Step s = step(scope, b, source, target, rng, gpa, nets, config, step);
                            sums[0] += s.lifterLossMm();
                            sums[1] += s.generatorLoss();
                            sums[2] += s.anchorLoss();
                            sums[3] += s.plausibilityLoss();
                            sums[4] += s.dSteps();
                            sums[5] += s.clamped();
                            sums[6] += s.skippedGeneratorSteps();
                            sums[7] += s.skippedDiscriminatorSteps();
                        }
                        step++;
                        steps++;
                    }
                    double dSteps = Math.max(1, sums[4]);
                    history.record("epoch_loss_mm", step, epoch, sums[0] / steps);
                    if (variant.augmentation()) {
                        history.record("generator_loss", step, epoch, sums[1] / steps);
                        history.record("discriminator_loss", step, epoch, (sums[2] + sums[3]) / dSteps);
                        history.record("anchor_discriminator_loss", step, epoch, sums[2] / dSteps);
                        history.record("plausibility_discriminator_loss", step, epoch, sums[3] / dSteps);
                        history.record("skipped_generator_steps", step, epoch, sums[6]);
                        history.record("skipped_discriminator_steps", step, epoch, sums[7]);
                    }
                    if (variant.alignment()) {
                        history.record("gpa_clamped_windows", step, epoch, sums[5]);
                    }
                    if (log != null) {
                        log.printf(Locale.ROOT, "%s epoch %d/%d  lifter %.1f mm%s%n", variant.method(), epoch,
                                training.epochs(), sums[0] / steps, variant.augmentation()
                                        ? String.format(Locale.ROOT, "  G %.4f  D anchor %.4f  D 3D %.4f", sums[1] / steps,
                                                sums[2] / dSteps, sums[3] / dSteps)
                                        : "");
                        if (sums[6] + sums[7] > 0) {
                            log.printf(Locale.ROOT, "%s epoch %d: %.0f generator and %.0f discriminator steps skipped"
                                    + " (non-finite gradients)%n", variant.method(), epoch, sums[6], sums[7]);
                        }
                        log.flush();
                    }
                }
                if (probe != null) {
                    fillProbe(probe, source, target, gpa, generator, config, device);
                }
            }
        }
        return history;
    }

    /** The networks and trainers of one run, and the discriminators' pools of generated samples. */
    private record Nets(BoneAngleGenerator generator, Trainer gTrainer, Block anchor, Trainer aTrainer, Block plausibility,
            Trainer pTrainer, Trainer lTrainer, SamplePool local2d, SamplePool bodies3d) {}

    private record Step(double lifterLossMm, double generatorLoss, double anchorLoss, double plausibilityLoss, int dSteps,
            int clamped, int skippedGeneratorSteps, int skippedDiscriminatorSteps) {}

    /** One step: align, augment (generator, then discriminators), train the lifter (see the class comment). */
    private static Step step(NDManager scope, PoseDataset.Batch b, PoseDataset source, PoseDataset target, Random rng,
            GlobalPositionAlignment gpa, Nets nets, Config config, int step) {
        int n = b.size();
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int centre = frames / 2;
        int root = source.skeleton().root();
        Variant variant = config.variant();
        float[] windows = source.targetWindows(b.indices(), b.flipped());
        float[] roots = source.rootTrajectories(b.indices(), b.flipped());
        // The target poses each window is aligned to (GPA) and the anchors of the discriminator.
        int[] drawn = new int[n];
        for (int i = 0; i < n; i++) {
            drawn[i] = rng.nextInt(target.size());
        }
        float[] target2d = target.centreInputs(drawn);
        Camera.Intrinsics[] cameras = new Camera.Intrinsics[n];
        for (int i = 0; i < n; i++) {
            cameras[i] = variant.alignment() ? target.intrinsics(drawn[i], false) : source.intrinsics(b.indices()[i], b.flipped()[i]);
        }
        List<float[]> inputs = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        if (config.keepSourceWindows() || variant == Variant.NEITHER) {
            inputs.add(b.inputs());
            targets.add(b.targets());
        }
        int clamped = 0;
        GlobalPositionAlignment.Aligned alignedSource = null;
        if (variant.alignment()) {
            alignedSource = gpa.align(windows, roots, target2d, cameras, joints, root);
            inputs.add(alignedSource.inputs());
            targets.add(b.targets()); // GPA translates only: the root-relative label is the source's
            clamped += alignedSource.clamped();
        }
        float generatorLoss = 0;
        float anchorLoss = 0;
        float plausibilityLoss = 0;
        int dSteps = 0;
        boolean skipped = false;
        int skippedDiscriminator = 0;
        if (variant.augmentation()) {
            NDArray sourceWindows = scope.create(windows, new Shape(n, frames, joints, 3));
            NDArray pinholes = scope.create(pinholes(cameras), new Shape(n, 4));
            // Where each augmented window is placed: GPA's placement of its source window, or the source's own.
            float[] placedRoots = alignedSource != null ? rootsOf(alignedSource.camera(), n, frames, joints, root) : roots;
            NDArray placement = scope.create(placedRoots, new Shape(n, frames, 1, 3));
            // Anchors: the local 2D structure of the target's poses. Augmented poses are made local with the box scale
            // of their source pose as placed (the target's scale under GPA), which LPA's small turns hardly change.
            NDArray anchors = scope.create(local(target2d, n, joints, root), new Shape(n, joints, 2));
            float[] placed2d = alignedSource != null ? target2d
                    : centreFrames(projectAt(windows, roots, cameras, n, frames, joints), n, frames, joints, 2);
            NDArray scales = scope.create(scales(placed2d, n, joints), new Shape(n, 1, 1));

            // 1. The generator against frozen discriminators.
            List<Parameter> anchorParams = AdversarialSteps.freezeTrainable(nets.anchor());
            List<Parameter> plausibilityParams = AdversarialSteps.freezeTrainable(nets.plausibility());
            NDArray augmented;
            NDArray augmentedLocal;
            try (GradientCollector gc = nets.gTrainer().newGradientCollector()) {
                NDList out = nets.gTrainer().forward(new NDList(sourceWindows,
                        scope.randomNormal(new Shape(n, config.trunk().noise()))));
                NDArray body = out.get(0);
                NDArray projected = PoseTensors.projectNormalised(body.get(":, " + centre).add(placement.get(":, " + centre)),
                        pinholes);
                NDArray local = projected.sub(projected.get(":, " + root + ":" + (root + 1) + ", :")).div(scales);
                NDArray loss = GanLosses.generator(nets.aTrainer().forward(new NDList(local)).singletonOrThrow());
                if (config.plausibilityWeight() > 0) {
                    loss = loss.add(GanLosses.generator(nets.pTrainer().forward(new NDList(body.get(":, " + centre)))
                            .singletonOrThrow()).mul(config.plausibilityWeight()));
                }
                generatorLoss = loss.getFloat();
                if (!Float.isFinite(generatorLoss)) {
                    List<String> bad = AdversarialSteps.nonFiniteParameters(nets.generator(), nets.anchor(),
                            nets.plausibility());
                    throw new IllegalStateException("PoseDA's LPA generator loss is " + generatorLoss + " at step " + step
                            + " (adversarial training diverged; not finite: " + (AdversarialSteps.finite(body) ? "" : "the augmented poses, ")
                            + (AdversarialSteps.finite(local) ? "" : "their local 2D, ") + (bad.isEmpty() ? "no parameter" : bad)
                            + "); try another seed or a lower GAN learning rate");
                }
                gc.backward(loss);
                augmented = body.stopGradient();
                augmentedLocal = local.stopGradient();
            }
            skipped = !AdversarialSteps.stepIfFinite(nets.gTrainer(), nets.generator());
            AdversarialSteps.thaw(anchorParams);
            AdversarialSteps.thaw(plausibilityParams);

            // 2. The discriminators on pooled generated samples: local 2D against the anchors, 3D against the source.
            if (step % config.discriminatorEvery() == 0) {
                NDArray pooled2d = scope.create(nets.local2d().exchange(augmentedLocal.toFloatArray()), new Shape(n, joints, 2));
                NDArray pooled3d = scope.create(nets.bodies3d().exchange(augmented.get(":, " + centre).toFloatArray()),
                        new Shape(n, joints, 3));
                try (GradientCollector gc = nets.aTrainer().newGradientCollector()) {
                    NDArray loss = GanLosses.discriminator(nets.aTrainer().forward(new NDList(anchors)).singletonOrThrow(),
                            nets.aTrainer().forward(new NDList(pooled2d)).singletonOrThrow());
                    anchorLoss = loss.getFloat();
                    if (config.plausibilityWeight() > 0) {
                        NDArray loss3d = GanLosses.discriminator(
                                nets.pTrainer().forward(new NDList(sourceWindows.get(":, " + centre))).singletonOrThrow(),
                                nets.pTrainer().forward(new NDList(pooled3d)).singletonOrThrow());
                        plausibilityLoss = loss3d.getFloat();
                        loss = loss.add(loss3d);
                    }
                    gc.backward(loss);
                }
                // Guarded like the generator's step (AdversarialSteps#stepIfFinite).
                if (!AdversarialSteps.stepIfFinite(nets.aTrainer(), nets.anchor())) {
                    skippedDiscriminator++;
                }
                if (config.plausibilityWeight() > 0 && !AdversarialSteps.stepIfFinite(nets.pTrainer(), nets.plausibility())) {
                    skippedDiscriminator++;
                }
                // A loss that is not finite comes with gradients that are not: that step was skipped, not averaged.
                dSteps = Float.isFinite(anchorLoss) && Float.isFinite(plausibilityLoss) ? 1 : 0;
                if (dSteps == 0) {
                    anchorLoss = 0;
                    plausibilityLoss = 0;
                }
            }

            // 3. The augmented windows for the lifter: aligned by GPA (their own extents set their depth), or seen
            //    from the source cameras.
            float[] augmentedWindows = augmented.toFloatArray();
            if (variant.alignment()) {
                GlobalPositionAlignment.Aligned aligned = gpa.align(augmentedWindows, roots, target2d, cameras, joints, root);
                inputs.add(aligned.inputs());
                clamped += aligned.clamped();
            } else {
                inputs.add(projectAt(augmentedWindows, roots, cameras, n, frames, joints));
            }
            targets.add(centreFrames(augmentedWindows, n, frames, joints, 3));
        }

        // 4. The lifter.
        int rows = 0;
        for (float[] t : targets) {
            rows += t.length / (joints * 3);
        }
        NDArray in = scope.create(concat(inputs), new Shape(rows, frames, joints * 2L));
        NDArray labels = scope.create(concat(targets), new Shape(rows, joints, 3));
        float lifterLoss;
        try (GradientCollector gc = nets.lTrainer().newGradientCollector()) {
            NDArray predicted = nets.lTrainer().forward(new NDList(in)).singletonOrThrow().reshape(-1, joints, 3);
            NDArray loss = LifterTraining.mpjpeLoss(predicted, labels);
            gc.backward(loss);
            lifterLoss = loss.getFloat() * 1000;
        }
        nets.lTrainer().step();
        return new Step(lifterLoss, generatorLoss, anchorLoss, plausibilityLoss, dSteps, clamped, skipped ? 1 : 0,
                skippedDiscriminator);
    }

    /** Each camera's normalised pinhole, {@code [n][4]}. */
    private static float[] pinholes(Camera.Intrinsics[] cameras) {
        float[] out = new float[cameras.length * 4];
        for (int i = 0; i < cameras.length; i++) {
            double[] k = cameras[i].normalisedPinhole();
            for (int c = 0; c < 4; c++) {
                out[i * 4 + c] = (float) k[c];
            }
        }
        return out;
    }

    /** The root joint's track {@code [n][F][3]} of camera-frame windows {@code [n][F][J][3]}. */
    private static float[] rootsOf(float[] camera, int n, int frames, int joints, int root) {
        float[] out = new float[n * frames * 3];
        for (int i = 0; i < n * frames; i++) {
            System.arraycopy(camera, (i * joints + root) * 3, out, i * 3, 3);
        }
        return out;
    }

    /** The centre frames {@code [n][J][width]} of windows {@code [n][F][J][width]} (3D: width 3, 2D: width 2). */
    private static float[] centreFrames(float[] windows, int n, int frames, int joints, int width) {
        float[] out = new float[n * joints * width];
        for (int b = 0; b < n; b++) {
            System.arraycopy(windows, (b * frames + frames / 2) * joints * width, out, b * joints * width, joints * width);
        }
        return out;
    }

    /** Root-relative windows placed at camera-frame root tracks and projected with each sample's camera. */
    private static float[] projectAt(float[] windows, float[] roots, Camera.Intrinsics[] cameras, int n, int frames, int joints) {
        float[] camera = new float[windows.length];
        for (int p = 0; p < n * frames * joints; p++) {
            int r = p / joints * 3;
            for (int c = 0; c < 3; c++) {
                camera[p * 3 + c] = windows[p * 3 + c] + roots[r + c];
            }
        }
        return GlobalPositionAlignment.project(camera, cameras, joints);
    }

    /** Each 2D pose's box scale, {@code [n]}. */
    private static float[] scales(float[] poses, int n, int joints) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.max(1e-6, GlobalPositionAlignment.boxScale(poses, i * joints * 2, joints));
        }
        return out;
    }

    /** Local 2D poses {@code [n][J][2]}: the root at the origin, divided by the box scale (the anchor discriminator's view). */
    static float[] local(float[] poses, int n, int joints, int root) {
        float[] out = new float[n * joints * 2];
        for (int i = 0; i < n; i++) {
            double s = Math.max(1e-6, GlobalPositionAlignment.boxScale(poses, i * joints * 2, joints));
            float rx = poses[(i * joints + root) * 2];
            float ry = poses[(i * joints + root) * 2 + 1];
            for (int j = 0; j < joints; j++) {
                out[(i * joints + j) * 2] = (float) ((poses[(i * joints + j) * 2] - rx) / s);
                out[(i * joints + j) * 2 + 1] = (float) ((poses[(i * joints + j) * 2 + 1] - ry) / s);
            }
        }
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        int length = 0;
        for (float[] p : parts) {
            length += p.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Fills the probe: GPA and LPA on {@code probe.size} source windows drawn with its seed, evaluation mode. */
    private static void fillProbe(Probe probe, PoseDataset source, PoseDataset target, GlobalPositionAlignment gpa,
            BoneAngleGenerator generator, Config config, Device device) {
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int root = source.skeleton().root();
        Random rng = new Random(probe.seed);
        int n = Math.min(probe.size, source.size());
        int[] indices = new int[n];
        int[] drawn = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = rng.nextInt(source.size());
            drawn[i] = rng.nextInt(target.size());
        }
        boolean[] unflipped = new boolean[n];
        float[] windows = source.targetWindows(indices, unflipped);
        float[] roots = source.rootTrajectories(indices, unflipped);
        float[] target2d = target.centreInputs(drawn);
        Camera.Intrinsics[] cameras = new Camera.Intrinsics[n];
        for (int i = 0; i < n; i++) {
            cameras[i] = target.intrinsics(drawn[i], false);
        }
        probe.source2d = source.centreInputs(indices);
        probe.target2d = target2d;
        probe.aligned2d = centreFrames(gpa.align(windows, roots, target2d, cameras, joints, root).inputs(), n, frames, joints, 2);
        probe.count = n;
        if (config.variant().augmentation()) {
            try (NDManager scope = NDManager.newBaseManager(device)) {
                NDArray w = scope.create(windows, new Shape(n, frames, joints, 3));
                float[] noise = new float[n * config.trunk().noise()];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) rng.nextGaussian();
                }
                NDList out = generator.forward(new ai.djl.training.ParameterStore(scope, false),
                        new NDList(w, scope.create(noise, new Shape(n, config.trunk().noise()))), false);
                // angleChange = 1 − cos(turn): the largest turn of each pose's bones.
                float[] change = out.get(1).get(":, " + frames / 2).max(new int[] {1}).toFloatArray();
                probe.turns = new float[n];
                for (int i = 0; i < n; i++) {
                    probe.turns[i] = (float) Math.acos(Math.max(-1, Math.min(1, 1 - change[i])));
                }
            }
        }
    }

    private static int seed(long seed, int epoch) {
        return (int) new SplittableRandom(seed * 1_000_003L + 91 + epoch).nextLong();
    }
}
