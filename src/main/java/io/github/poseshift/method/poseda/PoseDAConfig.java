package io.github.poseshift.method.poseda;

import io.github.poseshift.nn.adaptpose.GeneratorTrunk;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.SamplePool;

/**
 * PoseDA's settings ({@link PoseDA}); {@link #forBudget} has the benchmark's.
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
public record PoseDAConfig(Variant variant, GlobalPositionAlignment.Config alignment, GeneratorTrunk trunk, double maxBoneTurn,
        int anchorDiscriminator, float plausibilityWeight, float ganLearningRate, int discriminatorEvery, int poolSize,
        boolean keepSourceWindows) {

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

    /** Validates the values. */
    public PoseDAConfig {
        if (!(maxBoneTurn > 0) || anchorDiscriminator < 1 || plausibilityWeight < 0 || !(ganLearningRate > 0)
                || discriminatorEvery < 1 || poolSize < 1) {
            throw new IllegalArgumentException("invalid PoseDA config: max bone turn " + maxBoneTurn
                    + ", anchor discriminator width " + anchorDiscriminator + ", plausibility weight "
                    + plausibilityWeight + ", GAN lr " + ganLearningRate + ", D every " + discriminatorEvery
                    + ", pool " + poolSize);
        }
    }

    /** The full-size settings: AdaptPose's generator trunk and discriminator width, GAN rate 1e-4. */
    public static PoseDAConfig full() {
        return new PoseDAConfig(Variant.BOTH, GlobalPositionAlignment.Config.exact(), GeneratorTrunk.paper(), 0.35, 256, 1f,
                1e-4f, 2, 4096, true);
    }

    /** The same with another variant. */
    public PoseDAConfig withVariant(Variant v) {
        return new PoseDAConfig(v, alignment, trunk, maxBoneTurn, anchorDiscriminator, plausibilityWeight, ganLearningRate,
                discriminatorEvery, poolSize, keepSourceWindows);
    }

    /** The same with smaller networks and a higher GAN learning rate (small budgets). */
    public PoseDAConfig scaled(GeneratorTrunk newTrunk, int channels, float learningRate) {
        return new PoseDAConfig(variant, alignment, newTrunk, maxBoneTurn, channels, plausibilityWeight, learningRate,
                discriminatorEvery, poolSize, keepSourceWindows);
    }

    /**
     * The settings for a benchmark budget: the paper-size networks for {@code full}; {@code default} and
     * {@code tiny} scale generator and discriminators down (128 and 64 units) and raise the GAN learning rate to
     * 1e-3, as AdaptPose's budgets do.
     */
    public static PoseDAConfig forBudget(CrossDatasetBenchmark.Budget budget) {
        return switch (budget.kind()) {
            case FULL -> full();
            case DEFAULT -> full().scaled(new GeneratorTrunk(128, 2, 45), 128, 1e-3f);
            case TINY -> full().scaled(new GeneratorTrunk(64, 1, 16), 64, 1e-3f);
        };
    }
}
