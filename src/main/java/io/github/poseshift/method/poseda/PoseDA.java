package io.github.poseshift.method.poseda;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.loss.GanLosses;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.adaptpose.BoneAngleGenerator;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator2D;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator3D;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.AdversarialLoop;
import io.github.poseshift.train.AdversarialSteps;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import io.github.poseshift.train.LifterTraining;
import io.github.poseshift.train.LossMeter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

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
 * value of {@link PoseDAConfig} with the reason next to it:
 * <ul>
 *   <li>the generator is AdaptPose's bone-angle head ({@link BoneAngleGenerator}) with one turn per bone for the
 *       whole window ({@link BoneAngleGenerator.Motion#CONSTANT}: LPA changes postures, not motion) bounded by
 *       {@link PoseDAConfig#maxBoneTurn} ("limited ranges");</li>
 *   <li>the anchor discriminator compares <i>local</i> 2D poses — root at the origin, divided by the box scale —
 *       of the target (the anchors) with those of the aligned augmented poses, so it judges the local structure
 *       only, GPA having settled position and scale ({@link PoseDAConfig#anchorDiscriminator});</li>
 *   <li>plausibility in 3D: AdaptPose's part-wise KCS discriminator against the source's 3D poses, weighted
 *       {@link PoseDAConfig#plausibilityWeight};</li>
 *   <li>the lifter also keeps the source windows as they were ({@link PoseDAConfig#keepSourceWindows}).</li>
 * </ul>
 * {@link PoseDAConfig.Variant} selects GPA only, LPA only or both (the paper's ablation, table 5).
 *
 * <p>The loop around the step — trainers, seeds, pools, guarded steps, history — is {@link AdversarialLoop}'s.
 */
public final class PoseDA {

    /** The benchmark's name of the method. */
    public static final String NAME = PoseDAConfig.Variant.BOTH.method();

    /** The seed salt of PoseDA's runs ({@link AdversarialLoop.Settings#seedSalt}). */
    private static final long SEED_SALT = 91;

    private static final String GENERATOR = "generator";
    private static final String ANCHOR = "anchor";
    private static final String PLAUSIBILITY = "plausibility";
    private static final String LOCAL_2D = "local2d";
    private static final String BODIES_3D = "bodies3d";

    private PoseDA() {}

    /** PoseDA and its ablations as the benchmark's methods: {@code poseda}, {@code poseda-gpa}, {@code poseda-lpa}. */
    public static List<Adaptation> adaptations() {
        List<Adaptation> out = new ArrayList<>();
        for (PoseDAConfig.Variant v : List.of(PoseDAConfig.Variant.BOTH, PoseDAConfig.Variant.GPA, PoseDAConfig.Variant.LPA)) {
            out.add(adaptation(v.method(), budget -> PoseDAConfig.forBudget(budget).withVariant(v), null));
        }
        return List.copyOf(out);
    }

    /**
     * A benchmark method named {@code name} adapting with the settings {@code configFor} gives for the budget;
     * {@code probe} (when not null) collects what GPA and LPA make of fixed source windows.
     */
    public static Adaptation adaptation(String name, Function<CrossDatasetBenchmark.Budget, PoseDAConfig> configFor,
            PoseDAProbe probe) {
        return Adaptation.named(name, (lifter, sourceTrain, target, targetSpec, budget, seed, log) -> adapt(lifter,
                sourceTrain, Adaptation.targetTrainWindows(target, targetSpec, sourceTrain), budget.training(seed),
                configFor.apply(budget), log, probe));
    }

    /**
     * Adapts {@code lifter} (trained on the source, changed in place) to the target.
     *
     * @param source   the source's training windows (2D, 3D labels, cameras)
     * @param target   the target's training windows; only their 2D inputs and cameras' intrinsics are read
     * @param training the lifter's epochs, batch, learning rate and schedule, seed
     * @param log      one line per epoch (null for none)
     * @param probe    filled after the last epoch when not null
     * @return the history: lifter loss, generator and discriminator losses, windows GPA held back
     */
    public static History adapt(Model lifter, PoseDataset source, PoseDataset target, LifterTraining.Config training,
            PoseDAConfig config, PrintWriter log, PoseDAProbe probe) {
        if (source.config().receptiveField() != target.config().receptiveField()) {
            throw new IllegalArgumentException("source windows of " + source.config().receptiveField()
                    + " frames, target windows of " + target.config().receptiveField());
        }
        Game game = new Game(source, target, config, probe, training.epochs());
        return AdversarialLoop.run(lifter, source, training, new AdversarialLoop.Settings(config.variant().method(),
                SEED_SALT, config.ganLearningRate(), config.poolSize()), game, log);
    }

    /** PoseDA's networks and its step: align, augment (generator, then discriminators), train the lifter. */
    private static final class Game implements AdversarialLoop.Game<PoseDataset.Batch> {
        private final PoseDataset source;
        private final PoseDataset target;
        private final PoseDAConfig config;
        private final PoseDAConfig.Variant variant;
        private final GlobalPositionAlignment gpa;
        private final BoneAngleGenerator generator;
        private final PoseDiscriminator2D anchor;
        private final PoseDiscriminator3D plausibility;
        private final int joints;
        private final int frames;
        private final int centre;
        private final int root;
        private final PoseDAProbe probe;
        private final int epochs;

        Game(PoseDataset source, PoseDataset target, PoseDAConfig config, PoseDAProbe probe, int epochs) {
            this.source = source;
            this.target = target;
            this.config = config;
            this.probe = probe;
            this.epochs = epochs;
            this.variant = config.variant();
            gpa = new GlobalPositionAlignment(config.alignment());
            generator = new BoneAngleGenerator(source.skeleton(), config.trunk(), BoneAngleGenerator.Motion.CONSTANT,
                    config.maxBoneTurn());
            anchor = new PoseDiscriminator2D(source.skeleton(), config.anchorDiscriminator());
            plausibility = new PoseDiscriminator3D(source.skeleton(), config.anchorDiscriminator(), 100);
            joints = source.skeleton().numJoints();
            frames = source.config().receptiveField();
            centre = frames / 2;
            root = source.skeleton().root();
        }

        @Override
        public List<AdversarialLoop.Network> networks(int batch) {
            if (!variant.augmentation()) {
                return List.of();
            }
            return List.of(new AdversarialLoop.Network(GENERATOR, generator, new Shape(batch, frames, joints, 3),
                            new Shape(batch, config.trunk().noise())),
                    new AdversarialLoop.Network(ANCHOR, anchor, new Shape(batch, joints, 2)),
                    new AdversarialLoop.Network(PLAUSIBILITY, plausibility, new Shape(batch, joints, 3)));
        }

        @Override
        public List<AdversarialLoop.Pool> pools() {
            return variant.augmentation()
                    ? List.of(new AdversarialLoop.Pool(LOCAL_2D, joints * 2), new AdversarialLoop.Pool(BODIES_3D, joints * 3))
                    : List.of();
        }

        @Override
        public List<LossMeter.Series> series() {
            List<LossMeter.Series> out = new ArrayList<>();
            if (variant.augmentation()) {
                out.add(LossMeter.Series.mean("generator_loss"));
                out.add(LossMeter.Series.mean("anchor_discriminator_loss"));
                out.add(LossMeter.Series.mean("plausibility_discriminator_loss"));
            }
            if (variant.alignment()) {
                out.add(LossMeter.Series.total("gpa_clamped_windows"));
            }
            return out;
        }

        @Override
        public String summary(LossMeter m) {
            return variant.augmentation() ? String.format(Locale.ROOT, "  G %.4f  D anchor %.4f  D 3D %.4f",
                    m.value("generator_loss"), m.value("anchor_discriminator_loss"),
                    m.value("plausibility_discriminator_loss")) : "";
        }

        /**
         * Fills the probe after the last epoch, while the loop still holds the generator's parameters (it closes
         * its models when it returns).
         */
        @Override
        public void epochEnded(int epoch, Block lifter, Device device) {
            if (probe != null && epoch == epochs) {
                probe.fill(source, target, gpa, generator, config, device);
            }
        }

        @Override
        public void step(AdversarialLoop.Step<PoseDataset.Batch> s) {
            NDManager scope = s.scope();
            PoseDataset.Batch b = s.batch();
            int n = b.size();
            float[] windows = source.targetWindows(b.indices(), b.flipped());
            float[] roots = source.rootTrajectories(b.indices(), b.flipped());
            // The target poses each window is aligned to (GPA) and the anchors of the discriminator.
            int[] drawn = new int[n];
            for (int i = 0; i < n; i++) {
                drawn[i] = s.rng().nextInt(target.size());
            }
            float[] target2d = target.centreInputs(drawn);
            Camera.Intrinsics[] cameras = new Camera.Intrinsics[n];
            for (int i = 0; i < n; i++) {
                cameras[i] = variant.alignment() ? target.intrinsics(drawn[i], false)
                        : source.intrinsics(b.indices()[i], b.flipped()[i]);
            }
            List<float[]> inputs = new ArrayList<>();
            List<float[]> targets = new ArrayList<>();
            if (config.keepSourceWindows() || variant == PoseDAConfig.Variant.NEITHER) {
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
            if (variant.augmentation()) {
                float[] augmented = augment(s, windows, roots, target2d, cameras, alignedSource);
                if (variant.alignment()) {
                    // Aligned by GPA: their own extents set their depth.
                    GlobalPositionAlignment.Aligned aligned = gpa.align(augmented, roots, target2d, cameras, joints, root);
                    inputs.add(aligned.inputs());
                    clamped += aligned.clamped();
                } else {
                    inputs.add(WindowArrays.projectAt(augmented, roots, cameras, n, frames, joints));
                }
                targets.add(WindowArrays.centreFrames(augmented, n, frames, joints, 3));
            }
            if (variant.alignment()) {
                s.meter().add("gpa_clamped_windows", clamped);
            }

            // The lifter on every window the step made.
            int rows = 0;
            for (float[] t : targets) {
                rows += t.length / (joints * 3);
            }
            NDArray in = scope.create(WindowArrays.concat(inputs), new Shape(rows, frames, joints * 2L));
            NDArray labels = scope.create(WindowArrays.concat(targets), new Shape(rows, joints, 3));
            Trainer l = s.lifterTrainer();
            float lifterLoss;
            try (GradientCollector gc = l.newGradientCollector()) {
                NDArray predicted = l.forward(new NDList(in)).singletonOrThrow().reshape(-1, joints, 3);
                NDArray loss = LifterTraining.mpjpeLoss(predicted, labels);
                gc.backward(loss);
                lifterLoss = loss.getFloat() * 1000;
            }
            s.stepLifter(lifterLoss);
        }

        /**
         * LPA (sec. 3.3): steps the generator against the frozen discriminators, then (every discriminatorEvery
         * steps) the anchor and plausibility discriminators on pooled samples, and returns the augmented windows
         * {@code [n][F][J][3]}, root-relative.
         */
        private float[] augment(AdversarialLoop.Step<PoseDataset.Batch> s, float[] windows, float[] roots, float[] target2d,
                Camera.Intrinsics[] cameras, GlobalPositionAlignment.Aligned alignedSource) {
            NDManager scope = s.scope();
            int n = s.batch().size();
            NDArray sourceWindows = scope.create(windows, new Shape(n, frames, joints, 3));
            NDArray pinholes = scope.create(WindowArrays.pinholes(cameras), new Shape(n, 4));
            // Where each augmented window is placed: GPA's placement of its source window, or the source's own.
            float[] placedRoots = alignedSource != null ? WindowArrays.rootsOf(alignedSource.camera(), n, frames, joints, root) : roots;
            NDArray placement = scope.create(placedRoots, new Shape(n, frames, 1, 3));
            // Anchors: the local 2D structure of the target's poses. Augmented poses are made local with the box scale
            // of their source pose as placed (the target's scale under GPA), which LPA's small turns hardly change.
            NDArray anchors = scope.create(WindowArrays.local(target2d, n, joints, root), new Shape(n, joints, 2));
            float[] placed2d = alignedSource != null ? target2d
                    : WindowArrays.centreFrames(WindowArrays.projectAt(windows, roots, cameras, n, frames, joints), n, frames, joints, 2);
            NDArray scales = scope.create(WindowArrays.scales(placed2d, n, joints), new Shape(n, 1, 1));
            boolean plausible = config.plausibilityWeight() > 0;

            // 1. The generator against frozen discriminators.
            Trainer g = s.trainer(GENERATOR);
            NDArray augmented;
            NDArray augmentedLocal;
            try (AdversarialLoop.Frozen frozen = s.freeze(false, ANCHOR, PLAUSIBILITY);
                    GradientCollector gc = g.newGradientCollector()) {
                NDList out = g.forward(new NDList(sourceWindows, s.gaussian(new Shape(n, config.trunk().noise()))));
                NDArray body = out.get(0);
                NDArray projected = PoseTensors.projectNormalised(body.get(":, " + centre).add(placement.get(":, " + centre)),
                        pinholes);
                NDArray localPoses = projected.sub(projected.get(":, " + root + ":" + (root + 1) + ", :")).div(scales);
                NDArray loss = GanLosses.generator(forward(s, ANCHOR, localPoses));
                if (plausible) {
                    loss = loss.add(ScalarOps.times(GanLosses.generator(forward(s, PLAUSIBILITY, body.get(":, " + centre))),
                            config.plausibilityWeight()));
                }
                float generatorLoss = loss.getFloat();
                if (!Float.isFinite(generatorLoss)) {
                    List<String> bad = AdversarialSteps.nonFiniteParameters(generator, anchor, plausibility);
                    throw new IllegalStateException("PoseDA's LPA generator loss is " + generatorLoss + " at step "
                            + s.index() + " (adversarial training diverged; not finite: "
                            + (AdversarialSteps.finite(body) ? "" : "the augmented poses, ")
                            + (AdversarialSteps.finite(localPoses) ? "" : "their local 2D, ")
                            + (bad.isEmpty() ? "no parameter" : bad) + "); try another seed or a lower GAN learning rate");
                }
                gc.backward(loss);
                s.meter().add("generator_loss", generatorLoss);
                augmented = body.stopGradient();
                augmentedLocal = localPoses.stopGradient();
            }
            s.stepGenerator(GENERATOR);

            // 2. The discriminators on pooled generated samples: local 2D against the anchors, 3D against the source.
            if (s.index() % config.discriminatorEvery() == 0) {
                NDArray pooled2d = scope.create(s.pool(LOCAL_2D).exchange(augmentedLocal.toFloatArray()),
                        new Shape(n, joints, 2));
                NDArray pooled3d = scope.create(s.pool(BODIES_3D).exchange(augmented.get(":, " + centre).toFloatArray()),
                        new Shape(n, joints, 3));
                float anchorLoss;
                float plausibilityLoss = Float.NaN;
                try (GradientCollector gc = s.trainer(ANCHOR).newGradientCollector()) {
                    NDArray loss = GanLosses.discriminator(forward(s, ANCHOR, anchors), forward(s, ANCHOR, pooled2d));
                    anchorLoss = loss.getFloat();
                    if (plausible) {
                        NDArray loss3d = GanLosses.discriminator(forward(s, PLAUSIBILITY, sourceWindows.get(":, " + centre)),
                                forward(s, PLAUSIBILITY, pooled3d));
                        plausibilityLoss = loss3d.getFloat();
                        loss = loss.add(loss3d);
                    }
                    gc.backward(loss);
                }
                s.stepDiscriminator(ANCHOR, "anchor_discriminator_loss", anchorLoss);
                if (plausible) {
                    s.stepDiscriminator(PLAUSIBILITY, "plausibility_discriminator_loss", plausibilityLoss);
                }
            }
            return augmented.toFloatArray();
        }
    }

    private static NDArray forward(AdversarialLoop.Step<PoseDataset.Batch> s, String network, NDArray input) {
        return s.trainer(network).forward(new NDList(input)).singletonOrThrow();
    }
}
