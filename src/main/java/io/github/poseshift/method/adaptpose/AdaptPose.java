package io.github.poseshift.method.adaptpose;

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
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.adaptpose.GeneratorOutput;
import io.github.poseshift.nn.adaptpose.MotionGenerator;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator2D;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator3D;
import io.github.poseshift.train.AdversarialLoop;
import io.github.poseshift.train.AdversarialSteps;
import io.github.poseshift.train.History;
import io.github.poseshift.train.LifterTraining;
import io.github.poseshift.train.LossMeter;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * AdaptPose (Gholami, Wandt, Rhodin, Ward, Wang; CVPR 2022): adapts a 2D→3D lifter to a target domain of
 * which only 2D keypoints are known, as the paper's algorithm runs, one step per source batch:
 * <ol>
 *   <li><b>generate</b>: the motion generator turns the batch's source 3D windows into new motions (BA, BL)
 *       seen from new cameras (RT), projected with the target's intrinsics (sec. 3.1, 4.1, 4.2);</li>
 *   <li><b>discriminate</b>: the 2D discriminator tells the target's 2D poses from the generated ones, the 3D
 *       one the source's 3D poses from the generated ones (sec. 4.3); the generator learns to fool both,
 *       L_G = adv2D + 6·adv3D + 3·(bone-angle-change and bone-length-ratio penalties) + the lifter's feedback
 *       (sec. 5);</li>
 *   <li><b>select</b>: generated windows whose 2D coordinates stay inside the normalised image (|·| ≤ 1) and
 *       whose lifter error is between once and 33 times that of their source window are kept (sec. 4.4);</li>
 *   <li><b>train the lifter</b> on the source batch and the kept generated windows (sec. 5, Eq. 23).</li>
 * </ol>
 * The lifter starts from the source-only lifter's weights (the authors start from a source-trained
 * VideoPose3D) and trains with VideoPose3D's loss. The loop around the step — trainers, seeds, pools of past
 * generated samples, guarded steps, history — is {@link AdversarialLoop}'s. Generator and discriminators never
 * receive gradients from each other's steps: the discriminators are frozen while the generator steps, and the
 * generator's outputs enter the discriminator and lifter steps detached.
 *
 * <p>Where the paper leaves a choice, or PoseShift departs from it:
 * <ul>
 *   <li>Eq. 4 projects the generated motion with the source's intrinsics; here the target's are used (one of its
 *       training cameras per batch), as the target's 2D keypoints the discriminator compares with were filmed with
 *       them. Without camera generation (table 5) the source window's own camera sees the generated body.</li>
 *   <li>The feedback's reprojection part (sec. 5, Eq. 18–19) is computed in the authors' code during the generator's
 *       step, with the lifter frozen and target data as input, so its gradient reaches no parameter. Here it is
 *       off by default ({@link AdaptPoseConfig.Feedback#paper}); {@code adaptpose-reprojection} adds it to the
 *       lifter's loss on target windows, where it can act ({@link LifterFeedback#reprojection}).</li>
 *   <li>The hard-ratio part uses each window's plain MPJPE; the authors weigh hips and shoulders 5 and knees and
 *       elbows 2 within three joint groups.</li>
 *   <li>The 3D discriminator perturbs the limb bones of every pose it judges by 10° about isotropic random axes
 *       (sec. 4.3, supplementary fig. 8); the authors' released code has the perturbation commented out
 *       ({@code adaptpose-no-perturbation}).</li>
 * </ul>
 *
 * <p>Not in this class: the authors' temporal 2D discriminator on frame differences. Configuration is
 * {@link AdaptPoseConfig}, the benchmark's methods and ablations {@link AdaptPoseMethods}, the notebook's view
 * of the generator {@link AdaptPoseProbe}.
 */
public final class AdaptPose {

    /** The benchmark's name of the method. */
    public static final String NAME = "adaptpose";

    /** RT's smallest depth in the benchmark, metres: the root never closer than 2 m to a generated camera, so no joint comes near the camera centre. */
    public static final float BENCHMARK_BASE_DEPTH = 2.0f;

    /** The seed salt of AdaptPose's runs ({@link AdversarialLoop.Settings#seedSalt}). */
    private static final long SEED_SALT = 77;

    private static final String GENERATOR = "generator";
    private static final String D2D = "d2d";
    private static final String D3D = "d3d";
    private static final String POSES_2D = "poses2d";
    private static final String BODIES_3D = "bodies3d";

    private AdaptPose() {}

    /**
     * Adapts {@code lifter} (trained on the source, changed in place) to the target.
     *
     * @param source            the source's training windows (2D inputs and 3D labels)
     * @param target            the target's training windows; only their 2D inputs are read
     * @param targetIntrinsics  the target's camera intrinsics, one drawn per generated batch
     * @param baseDepth         RT's smallest depth, metres (see {@link io.github.poseshift.nn.adaptpose.CameraGenerator})
     * @param training          the lifter's epochs, batch, learning rate and schedule, seed
     * @param log               one line per epoch (null for none)
     * @param probe             filled with a snapshot before training and after every epoch (null for none)
     * @return the history: lifter loss, generator and discriminator losses, the share of generated windows kept
     */
    public static History adapt(Model lifter, PoseDataset source, PoseDataset target, List<Camera.Intrinsics> targetIntrinsics,
            float baseDepth, LifterTraining.Config training, AdaptPoseConfig config, PrintWriter log, AdaptPoseProbe probe) {
        if (targetIntrinsics.isEmpty()) {
            throw new IllegalArgumentException("no target intrinsics to project the generated poses with");
        }
        if (source.config().receptiveField() != target.config().receptiveField()) {
            throw new IllegalArgumentException("source windows of " + source.config().receptiveField()
                    + " frames, target windows of " + target.config().receptiveField());
        }
        if (probe != null && !config.components().camera()) {
            throw new IllegalArgumentException("a probe watches RT's cameras; this configuration generates none");
        }
        Game game = new Game(source, target, targetIntrinsics, baseDepth, config, training.epochs(), probe);
        return AdversarialLoop.run(lifter, source, training,
                new AdversarialLoop.Settings(NAME, SEED_SALT, config.ganLearningRate(), config.poolSize()), game, log);
    }

    /** AdaptPose's networks and its step. */
    private static final class Game implements AdversarialLoop.Game<PoseDataset.Batch> {
        private final PoseDataset source;
        private final PoseDataset target;
        private final List<Camera.Intrinsics> intrinsics;
        private final AdaptPoseConfig config;
        private final int epochs;
        private final AdaptPoseProbe probe;
        private final MotionGenerator generator;
        private final PoseDiscriminator2D d2;
        private final PoseDiscriminator3D d3;
        private final int joints;
        private final int frames;
        private final int centre;

        Game(PoseDataset source, PoseDataset target, List<Camera.Intrinsics> intrinsics, float baseDepth,
                AdaptPoseConfig config, int epochs, AdaptPoseProbe probe) {
            this.source = source;
            this.target = target;
            this.intrinsics = intrinsics;
            this.config = config;
            this.epochs = epochs;
            this.probe = probe;
            AdaptPoseConfig.Components parts = config.components();
            joints = source.skeleton().numJoints();
            frames = source.config().receptiveField();
            centre = frames / 2;
            generator = new MotionGenerator(source.skeleton(), config.trunk(), config.camera(), baseDepth,
                    parts.boneAngles(), parts.boneLengths(), parts.camera(), config.boneGeneration(), frames);
            d2 = new PoseDiscriminator2D(source.skeleton(), config.discriminatorChannels());
            d3 = new PoseDiscriminator3D(source.skeleton(), config.discriminatorChannels(), 100,
                    config.perturbation() != null ? config.perturbation() : PoseDiscriminator3D.Perturbation.paper());
        }

        @Override
        public List<AdversarialLoop.Network> networks(int batch) {
            Shape noise = new Shape(batch, config.trunk().noise());
            return List.of(
                    new AdversarialLoop.Network(GENERATOR, generator, new Shape(batch, frames, joints, 3), noise, noise,
                            noise, noise, new Shape(batch, 3)),
                    new AdversarialLoop.Network(D2D, d2, new Shape(batch, joints, 2)),
                    new AdversarialLoop.Network(D3D, d3, new Shape(batch, joints, 3)));
        }

        @Override
        public List<AdversarialLoop.Pool> pools() {
            return List.of(new AdversarialLoop.Pool(POSES_2D, joints * 2), new AdversarialLoop.Pool(BODIES_3D, joints * 3));
        }

        @Override
        public List<LossMeter.Series> series() {
            List<LossMeter.Series> series = new java.util.ArrayList<>(List.of(LossMeter.Series.mean("generator_loss"),
                    LossMeter.Series.mean("discriminator_2d_loss")));
            if (config.components().discriminator3d()) {
                series.add(LossMeter.Series.mean("discriminator_3d_loss"));
            }
            series.add(LossMeter.Series.ratio("kept_share"));
            series.add(LossMeter.Series.mean("feedback_loss"));
            if (config.feedback().reprojectionWeight() > 0) {
                series.add(LossMeter.Series.mean("reprojection_loss"));
            }
            return series;
        }

        @Override
        public String summary(LossMeter m) {
            return String.format(Locale.ROOT, "  G %.4f (feedback %.4f)  D2D %.4f%s  kept %.0f%%",
                    m.value("generator_loss"), m.value("feedback_loss"), m.value("discriminator_2d_loss"),
                    m.has("discriminator_3d_loss") ? String.format(Locale.ROOT, "  D3D %.4f", m.value("discriminator_3d_loss"))
                            : "", 100 * m.value("kept_share"));
        }

        @Override
        public void started(Block lifter, Device device) {
            if (probe != null) {
                probe.take(0, source, intrinsics, generator, lifter, config, device);
            }
        }

        @Override
        public void epochEnded(int epoch, Block lifter, Device device) {
            if (probe != null) {
                probe.take(epoch, source, intrinsics, generator, lifter, config, device);
            }
        }

        /** One step of the algorithm (see the class comment). */
        @Override
        public void step(AdversarialLoop.Step<PoseDataset.Batch> s) {
            NDManager scope = s.scope();
            PoseDataset.Batch b = s.batch();
            int n = b.size();
            int noise = config.trunk().noise();
            AdaptPoseConfig.Components parts = config.components();
            boolean feedbackOn = parts.feedback() && s.epoch() > config.feedback().warmupEpochs();
            NDArray sourceWindows = scope.create(source.targetWindows(b.indices(), b.flipped()),
                    new Shape(n, frames, joints, 3));
            NDArray targetPoses = scope.create(targetCentres(n, s), new Shape(n, joints, 2));
            Camera.Intrinsics k = intrinsics.get(s.rng().nextInt(intrinsics.size()));
            NDArray sourceInputs = scope.create(b.inputs(), new Shape(n, frames, joints * 2L));
            NDArray sourceTargets = scope.create(b.targets(), new Shape(n, joints, 3));
            GeneratedView view = parts.camera() ? null : GeneratedView.ofSource(source, b, scope);
            // The 2D discriminator's real samples: the target's 2D poses, or without the domain discriminator the
            // source's (table 5's substitute).
            NDArray real2d = parts.domainDiscriminator() ? targetPoses
                    : sourceInputs.get(":, " + centre).reshape(n, joints, 2);
            Block lifter = s.lifter();
            // The lifter's error on the source windows: the denominator of the feedback and selection ratios.
            NDArray sourceError = LifterFeedback.perSampleMpjpe(lifter, sourceInputs, sourceTargets).stopGradient();

            // 1. Generate and step the generator against frozen discriminators and a frozen lifter (sec. 5).
            // The heads' noise comes from the epoch's seeded generator, not the engine's (which dropout draws from).
            NDList in = new NDList(sourceWindows, s.gaussian(new Shape(n, noise)), s.gaussian(new Shape(n, noise)),
                    s.gaussian(new Shape(n, noise)), s.gaussian(new Shape(n, noise)), s.gaussian(new Shape(n, 3)));
            Trainer g = s.trainer(GENERATOR);
            GeneratorOutput generated;
            NDArray generated2d;
            try (AdversarialLoop.Frozen frozen = s.freeze(true, D2D, D3D);
                    GradientCollector gc = g.newGradientCollector()) {
                GeneratorOutput out = GeneratorOutput.of(g.forward(in));
                NDArray projected = GeneratedView.seen(out.afterCamera(), out, k, view); // [n, F, J, 2]
                NDArray loss = GanLosses.generator(forward(s, D2D, projected.get(":, " + centre)));
                if (parts.discriminator3d()) {
                    NDArray adv3d = GanLosses.generator(judge3d(s, out.afterBoneLengths().get(":, " + centre)));
                    loss = loss.add(ScalarOps.times(adv3d, config.adv3dWeight()));
                }
                NDArray meanAngleChange = out.angleChange().reshape(n, -1).mean(new int[] {1});
                NDArray penalties = GanLosses.outsideBand(meanAngleChange, config.angleCentre(), config.angleTolerance())
                        .add(GanLosses.rectifiedSquare(out.ratios(), config.ratioThreshold()));
                loss = loss.add(ScalarOps.times(penalties, config.regulariserWeight()));
                float feedbackLoss = 0;
                if (feedbackOn) {
                    NDArray feedback = feedback(lifter, sourceWindows, out, projected, sourceError, k, view,
                            config.feedback().hardness(s.epoch(), epochs), n);
                    loss = loss.add(feedback);
                    feedbackLoss = feedback.getFloat();
                }
                float generatorLoss = loss.getFloat();
                if (!Float.isFinite(generatorLoss)) {
                    List<String> bad = new java.util.ArrayList<>(out.nonFinite());
                    bad.addAll(AdversarialSteps.nonFiniteParameters(generator, d2, d3));
                    throw new IllegalStateException("AdaptPose's generator loss is " + generatorLoss + " at step "
                            + s.index() + " (adversarial training diverged; not finite: " + bad
                            + "); try another seed or a lower GAN learning rate");
                }
                gc.backward(loss);
                s.meter().add("generator_loss", generatorLoss);
                s.meter().add("feedback_loss", feedbackLoss);
                generated = detached(out);
                generated2d = projected.stopGradient();
            }
            // A finite loss can still send a non-finite gradient back (seen once in a tiny notebook run: the BL head's
            // gradient at step 18, which made every BL weight NaN): such a step is skipped and counted.
            s.stepGenerator(GENERATOR);

            // 2. The discriminators, every discriminatorEvery steps (sec. 4.3, LSGAN), on generated samples passed
            //    through the pools.
            if (s.index() % config.discriminatorEvery() == 0) {
                NDArray pooled2d = scope.create(s.pool(POSES_2D).exchange(generated2d.get(":, " + centre).toFloatArray()),
                        new Shape(n, joints, 2));
                NDArray body = generated.afterBoneLengths().get(":, " + centre);
                NDArray pooled3d = scope.create(s.pool(BODIES_3D).exchange(body.toFloatArray()), new Shape(n, joints, 3));
                float loss2d;
                float loss3d = Float.NaN;
                try (GradientCollector gc = s.trainer(D2D).newGradientCollector()) {
                    NDArray loss = GanLosses.discriminator(forward(s, D2D, real2d), forward(s, D2D, pooled2d));
                    loss2d = loss.getFloat();
                    if (parts.discriminator3d()) {
                        NDArray l3 = GanLosses.discriminator(judge3d(s, sourceWindows.get(":, " + centre)),
                                judge3d(s, pooled3d));
                        loss3d = l3.getFloat();
                        loss = loss.add(l3);
                    }
                    gc.backward(loss);
                }
                s.stepDiscriminator(D2D, "discriminator_2d_loss", loss2d);
                if (parts.discriminator3d()) {
                    s.stepDiscriminator(D3D, "discriminator_3d_loss", loss3d);
                }
            }

            // 3. Selection (sec. 4.4): inside the image, and harder than the source window but not absurdly so.
            NDArray camera = generated.afterCamera();
            NDArray generatedTargets = camera.get(":, " + centre).sub(camera.get(":, " + centre + ", 0:1, :"));
            NDArray generatedInputs = generated2d.reshape(n, frames, joints * 2L);
            float[] inside = generated2d.abs().reshape(n, -1).max(new int[] {1}).toFloatArray();
            float[] generatedError = LifterFeedback.perSampleMpjpe(lifter, generatedInputs, generatedTargets).toFloatArray();
            float[] sourceErrors = sourceError.toFloatArray();
            int[] kept = IntStream.range(0, n)
                    .filter(i -> LifterFeedback.selected(config, inside[i], generatedError[i], sourceErrors[i])).toArray();
            s.meter().addRatio("kept_share", kept.length, n);

            // 4. The lifter on the source batch and the kept generated windows (Eq. 23).
            NDArray inputs = sourceInputs;
            NDArray targets = sourceTargets;
            if (kept.length > 0) {
                NDArray index = scope.create(kept);
                inputs = inputs.concat(generatedInputs.get(index), 0);
                targets = targets.concat(generatedTargets.get(index), 0);
            }
            Trainer l = s.lifterTrainer();
            float reprojectionWeight = feedbackOn ? config.feedback().reprojectionWeight() : 0;
            NDArray targetInputs = reprojectionWeight > 0 ? targetWindows(scope, n, s) : null;
            float lifterLoss;
            try (GradientCollector gc = l.newGradientCollector()) {
                NDArray predicted = l.forward(new NDList(inputs)).singletonOrThrow().reshape(-1, joints, 3);
                NDArray loss = LifterTraining.mpjpeLoss(predicted, targets);
                lifterLoss = loss.getFloat() * 1000;
                if (targetInputs != null) {
                    NDArray reprojection = LifterFeedback.reprojection(l, targetInputs, centre, joints);
                    s.meter().add("reprojection_loss", reprojection.getFloat());
                    loss = loss.add(ScalarOps.times(reprojection, reprojectionWeight));
                } else if (config.feedback().reprojectionWeight() > 0) {
                    s.meter().add("reprojection_loss", 0);
                }
                gc.backward(loss);
            }
            s.stepLifter(lifterLoss);
        }

        /**
         * The feedback loss (sec. 5, fixed hard ratio): BA's hardness is the lifter's error on the BA-changed window
         * over its error on the unchanged window, both seen by the generated camera (the windows here are
         * root-relative, so the source camera's placement is not at hand, unlike in the authors' code); RT's is the
         * lifter's error on the fully generated window over its error on the source window as recorded. Each ratio
         * is held in its band around the epoch's target hardness. Gradients reach the generator through the frozen
         * lifter.
         */
        private NDArray feedback(Block lifter, NDArray sourceWindows, GeneratorOutput out, NDArray projected,
                NDArray sourceError, Camera.Intrinsics k, GeneratedView view, double[] hardness, int n) {
            AdaptPoseConfig.Feedback f = config.feedback();
            NDArray camera = out.afterCamera();
            NDArray rtTargets = camera.get(":, " + centre).sub(camera.get(":, " + centre + ", 0:1, :"));
            NDArray rtRatio = LifterFeedback.perSampleMpjpe(lifter, projected.reshape(n, frames, joints * 2L), rtTargets).div(sourceError);
            NDArray loss = ScalarOps.times(GanLosses.outsideBand(rtRatio, hardness[1], f.rtStd()), f.rtWeight());
            if (config.components().boneAngles()) {
                NDArray changed = out.afterBoneAngles();
                NDArray baError = LifterFeedback.perSampleMpjpe(lifter, GeneratedView.seen(changed, out, k, view).reshape(n, frames, joints * 2L),
                        changed.get(":, " + centre));
                NDArray originError = LifterFeedback.perSampleMpjpe(lifter, GeneratedView.seen(sourceWindows, out, k, view).reshape(n, frames,
                        joints * 2L), sourceWindows.get(":, " + centre)).stopGradient();
                loss = loss.add(ScalarOps.times(GanLosses.outsideBand(baError.div(originError), hardness[0], f.baStd()),
                        f.baWeight()));
            }
            return loss;
        }

        /** The 3D discriminator's scores of poses {@code [n, J, 3]}, their limbs perturbed when the config says so. */
        private NDArray judge3d(AdversarialLoop.Step<PoseDataset.Batch> s, NDArray poses) {
            NDList in = new NDList(poses);
            if (config.perturbation() != null) {
                in.add(d3.axisDraws(s.scope(), s.rng(), Math.toIntExact(poses.getShape().get(0)),
                        PoseDiscriminator3D.AxisDraws.ISOTROPIC));
            }
            return s.trainer(D3D).forward(in).singletonOrThrow();
        }

        /** {@code count} random target training windows as the lifter's input {@code [count, F, 2J]}. */
        private NDArray targetWindows(NDManager scope, int count, AdversarialLoop.Step<PoseDataset.Batch> s) {
            float[] inputs = new float[count * frames * joints * 2];
            for (int i = 0; i < count; i++) {
                float[] one = target.sample(s.rng().nextInt(target.size()), false).input();
                System.arraycopy(one, 0, inputs, i * one.length, one.length);
            }
            return scope.create(inputs, new Shape(count, frames, joints * 2L));
        }

        /** The centre-frame 2D poses of {@code count} random target windows, {@code [count][J][2]}. */
        private float[] targetCentres(int count, AdversarialLoop.Step<PoseDataset.Batch> s) {
            int[] indices = new int[count];
            for (int i = 0; i < count; i++) {
                indices[i] = s.rng().nextInt(target.size());
            }
            return target.centreInputs(indices);
        }
    }

    private static NDArray forward(AdversarialLoop.Step<PoseDataset.Batch> s, String network, NDArray input) {
        return s.trainer(network).forward(new NDList(input)).singletonOrThrow();
    }

    private static GeneratorOutput detached(GeneratorOutput o) {
        return new GeneratorOutput(o.afterBoneAngles().stopGradient(), o.angleChange().stopGradient(),
                o.afterBoneLengths().stopGradient(), o.ratios().stopGradient(), o.afterCamera().stopGradient(),
                o.rotations().stopGradient(), o.translations().stopGradient());
    }
}
