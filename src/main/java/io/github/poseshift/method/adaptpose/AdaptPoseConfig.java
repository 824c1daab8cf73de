package io.github.poseshift.method.adaptpose;

import io.github.poseshift.nn.adaptpose.BoneGeneration;
import io.github.poseshift.nn.adaptpose.CameraParameterisation;
import io.github.poseshift.nn.adaptpose.GeneratorTrunk;
import io.github.poseshift.nn.adaptpose.PoseDiscriminator3D;
import io.github.poseshift.train.CrossDatasetBenchmark;

/**
 * AdaptPose's settings; {@link #paper()} has the paper's, {@link #forBudget} the benchmark's.
 *
 * @param trunk                 the generator heads' MLP
 * @param camera                how RT predicts its rotation (the paper: probabilistic axis, sec. 4.2)
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
 * @param boneGeneration        the bone generator's design (table 6: BG3, the axis-angle ramp, as published)
 * @param perturbation          the 3D discriminator's perturbation of its inputs' limb bones (supplementary, fig. 8;
 *                              null: none, fig. 9's other curve)
 */
public record AdaptPoseConfig(GeneratorTrunk trunk, CameraParameterisation camera, int discriminatorChannels,
        float ganLearningRate, int discriminatorEvery, float adv3dWeight, float regulariserWeight, double angleCentre,
        double angleTolerance, double ratioThreshold, double maxErrorRatio, Feedback feedback, int poolSize,
        Components components, BoneGeneration boneGeneration, PoseDiscriminator3D.Perturbation perturbation) {

    /**
     * The lifter's feedback to the generator (sec. 5, "fixed hard ratio" feedback, the authors' {@code fix_hardratio}):
     * the ratio of the lifter's error on a generated window to its error on the source window should sit near a
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
     * @param reprojectionWeight weight of the reprojection part of the feedback (sec. 5, Eq. 18–19; 0: off, see
     *                     {@link AdaptPose}'s class comment for what it trains)
     */
    public record Feedback(double baStart, double baEnd, double baStd, float baWeight, double rtStart, double rtEnd,
            double rtStd, float rtWeight, int warmupEpochs, float reprojectionWeight) {

        /**
         * The paper's values (sec. 5 and the authors' configuration: hardness 3 → 5 and 17, bands 2 and 15, weights
         * 0.1 and 0.01, two warm-up epochs). The standard-deviation part of PoseAug's hard-ratio loss is in the authors'
         * code with weight 0, so it is left out. The reprojection part is off: in the authors' code its gradient
         * reaches no parameter (the lifter is frozen in the generator's step and its input is target data).
         */
        public static Feedback paper() {
            return new Feedback(3, 5, 2, 0.1f, 17, 17, 15, 0.01f, 2, 0);
        }

        /** The same with another warm-up. */
        public Feedback withWarmup(int epochs) {
            return new Feedback(baStart, baEnd, baStd, baWeight, rtStart, rtEnd, rtStd, rtWeight, epochs,
                    reprojectionWeight);
        }

        /** The same with the hard-ratio weights multiplied by {@code factor}. */
        public Feedback weighted(double factor) {
            return new Feedback(baStart, baEnd, baStd, (float) (baWeight * factor), rtStart, rtEnd, rtStd,
                    (float) (rtWeight * factor), warmupEpochs, reprojectionWeight);
        }

        /** The same with another weight of the reprojection part. */
        public Feedback withReprojection(float weight) {
            return new Feedback(baStart, baEnd, baStd, baWeight, rtStart, rtEnd, rtStd, rtWeight, warmupEpochs, weight);
        }

        /** BA's and RT's target hardness at {@code epoch} (1-based) of {@code epochs}. */
        public double[] hardness(int epoch, int epochs) {
            double f = (epoch - 1) / (double) Math.max(1, epochs);
            return new double[] {baStart + (baEnd - baStart) * f, rtStart + (rtEnd - rtStart) * f};
        }
    }

    /**
     * Which parts of the method run (the ablations). Table 5's components are bone generation (BA and BL, with the
     * 3D discriminator that keeps the bones human), camera generation (RT), the domain discriminator and selection:
     * <ul>
     *   <li>without RT the generated bodies are seen by the source window's own camera: placed along its root track
     *       and projected with its intrinsics;</li>
     *   <li>without the domain discriminator the 2D discriminator still judges the generated 2D poses, against the
     *       source's 2D poses instead of the target's (sec. 6.3: "we substitute the domain discriminator with a 2D
     *       discriminator from the source dataset"), so what is lost is the adaptation to the target, not a
     *       discriminator.</li>
     * </ul>
     *
     * @param boneAngles          the bone head (BA, or BG1/BG2's displacement head)
     * @param boneLengths         the BL head
     * @param camera              the RT head
     * @param domainDiscriminator the 2D discriminator's real samples are the target's (off: the source's)
     * @param discriminator3d     the 3D discriminator and its term in L_G
     * @param feedback            the lifter's feedback loss
     * @param selection           the selection by lifter-error ratio (off: every generated window inside the image is
     *                            kept)
     */
    public record Components(boolean boneAngles, boolean boneLengths, boolean camera, boolean domainDiscriminator,
            boolean discriminator3d, boolean feedback, boolean selection) {

        /** Everything on: AdaptPose as published. */
        public static Components all() {
            return new Components(true, true, true, true, true, true, true);
        }

        /**
         * The components of a row of table 5 from its four columns: bone generation (BA, BL and the 3D
         * discriminator), camera generation, domain discriminator, selection; the feedback runs in every row.
         */
        public static Components table5(boolean boneGeneration, boolean cameraGeneration, boolean domainDiscriminator,
                boolean selection) {
            return new Components(boneGeneration, boneGeneration, cameraGeneration, domainDiscriminator, boneGeneration,
                    true, selection);
        }
    }

    /** The paper's settings (sec. 4.1 and the authors' defaults). */
    public static AdaptPoseConfig paper() {
        return new AdaptPoseConfig(GeneratorTrunk.paper(), CameraParameterisation.PROBABILISTIC_AXIS, 256, 1e-4f, 2, 6, 3,
                0.205, 0.165, 0.1, 33, Feedback.paper(), 4096, Components.all(), BoneGeneration.BG3,
                PoseDiscriminator3D.Perturbation.paper());
    }

    /**
     * The feedback weights of the small budgets, relative to the paper's. Their lifters err far more on the
     * source than a converged VideoPose3D, so the paper's hardness targets (RT: 17 times the source error) pull
     * the generator away from realistic windows (tiny budget, 3dhp-like, seed 5: 259.8 mm with the paper's
     * weights, 183.7 mm with a tenth, 201.2 mm with a hundredth, 201.0 mm without feedback; source-only 335.0).
     */
    static final double SMALL_BUDGET_FEEDBACK = 0.1;

    /**
     * The settings for a benchmark budget: the paper's for {@code full}; {@code default} and {@code tiny} scale
     * the generator and discriminators down (128 and 64 units), raise the GAN learning rate (1e-3) to
     * learn in their few epochs, warm the feedback up for one epoch instead of two and weigh it a tenth
     * ({@link #SMALL_BUDGET_FEEDBACK}).
     */
    public static AdaptPoseConfig forBudget(CrossDatasetBenchmark.Budget budget) {
        return switch (budget.kind()) {
            case FULL -> paper();
            case DEFAULT -> paper().scaled(new GeneratorTrunk(128, 2, 45), 128, 1e-3f, 1).smallBudgetFeedback();
            case TINY -> paper().scaled(new GeneratorTrunk(64, 1, 16), 64, 1e-3f, 1).smallBudgetFeedback();
        };
    }

    private AdaptPoseConfig smallBudgetFeedback() {
        return withFeedback(feedback.weighted(SMALL_BUDGET_FEEDBACK));
    }

    /** The same with another trunk, KCS width, GAN learning rate and feedback warm-up (smaller budgets). */
    public AdaptPoseConfig scaled(GeneratorTrunk newTrunk, int channels, float learningRate, int warmupEpochs) {
        return new AdaptPoseConfig(newTrunk, camera, channels, learningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio,
                feedback.withWarmup(warmupEpochs), poolSize, components, boneGeneration, perturbation);
    }

    /** The same with another feedback. */
    public AdaptPoseConfig withFeedback(Feedback f) {
        return new AdaptPoseConfig(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, f, poolSize, components,
                boneGeneration, perturbation);
    }

    /** The same with another camera parameterisation (the paper's ablation, Table 7). */
    public AdaptPoseConfig withCamera(CameraParameterisation p) {
        return new AdaptPoseConfig(trunk, p, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback, poolSize,
                components, boneGeneration, perturbation);
    }

    /** The same with other components (an ablation). */
    public AdaptPoseConfig withComponents(Components c) {
        return new AdaptPoseConfig(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback, poolSize, c,
                boneGeneration, perturbation);
    }

    /** The same with another upper bound of the selection's error ratio. */
    public AdaptPoseConfig withMaxErrorRatio(double ratio) {
        return new AdaptPoseConfig(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, ratio, feedback, poolSize, components,
                boneGeneration, perturbation);
    }

    /** The same with another bone generator design (table 6). */
    public AdaptPoseConfig withBoneGeneration(BoneGeneration design) {
        return new AdaptPoseConfig(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback, poolSize,
                components, design, perturbation);
    }

    /** The same with another perturbation of the 3D discriminator's inputs (null: none). */
    public AdaptPoseConfig withPerturbation(PoseDiscriminator3D.Perturbation p) {
        return new AdaptPoseConfig(trunk, camera, discriminatorChannels, ganLearningRate, discriminatorEvery, adv3dWeight,
                regulariserWeight, angleCentre, angleTolerance, ratioThreshold, maxErrorRatio, feedback, poolSize,
                components, boneGeneration, p);
    }
}
