package io.github.poseshift.method.ahup;

import io.github.poseshift.nn.SimpleBaseline;
import io.github.poseshift.train.CrossDatasetBenchmark;

/**
 * The SPA head and its training, for the two variants {@link SkeletalPoseAdaptation} runs. The paper's numbers come
 * from Liu &amp; Ostadabbas, "Adapted Human Pose" ({@code shared/papers/ahup-adapted-human-pose.txt}): section 3.2
 * "Skeletal Pose Adaptation (SPA)", Eq. 4 (Eq. 5 in the earlier extracted copies) for the loss, and section 4.1 "AHuP
 * Implementation Details", last paragraph, for the schedule.
 *
 * @param variant          what the head learns on and with which loss ({@link Variant})
 * @param head             the head's MLP (§4.1: 1024 hidden units per linear layer; §3.2: two linear residual blocks;
 *                         dropout 0.5 is Martinez et al.'s, the paper names none)
 * @param epochs           passes over the source's training poses
 * @param batchSize        poses per step
 * @param learningRate     Adam's initial rate
 * @param lrDecay          the rate's factor per epoch
 * @param descriptorWeight λ, the weight of the descriptor term ({@link Variant} says against what)
 */
public record SpaConfig(Variant variant, SimpleBaseline.Config head, int epochs, int batchSize, float learningRate,
        float lrDecay, float descriptorWeight) {

    /** What the head learns on, and its loss. */
    public enum Variant {
        /**
         * The paper's SPA ({@code ahup-spa}). §4.1: "we decoupled it from the SAA net training process by learning
         * the mapping directly from the ground truth data": f learns on the source's <em>ground-truth</em> 3D poses
         * y, never on a lifter's outputs, with Eq. 4, L = ‖f(y)‖₁ + ‖s(y + f(y)) − s̄‖₂. The extraction leaves the
         * norms' exact form open; the reading here:
         * <ul>
         *   <li>‖f(y)‖₁ is the mean absolute coordinate of f(y) ("norm L1 loss for initial pose pivoting", §3.2),
         *       <b>in metres</b>, the library's unit (the paper names no unit for y);</li>
         *   <li>‖s(y_SPA) − s̄‖₂ is the mean over the 16 bones of the squared difference: the text calls it a "norm
         *       L2 loss for skeletal similarity pivoting", the mean-squared-error loss, and "||·||2" in the
         *       extraction cannot tell a subscript 2 from a square;</li>
         *   <li>the two terms are summed with weight 1 each, as Eq. 4 is written (λ = {@value #PAPER_DESCRIPTOR_WEIGHT}).</li>
         * </ul>
         * The gradient-clipping tip of one earlier extracted draft (its Fig. 4; no value given, absent from the
         * final text's §3.2) is not applied.
         */
        PAPER,
        /**
         * PoseShift's earlier variant ({@code ahup-spa-refine}): L1 to ground truth + 50·squared descriptor on
         * frozen-lifter outputs. The head learns on the frozen source-only lifter's predictions ŷ for the source's
         * training windows, L = mean |ŷ + f(ŷ) − y| in millimetres + 50·Σ_b (s_b(ŷ + f(ŷ)) − s̄_b)² (the squared
         * descriptor distance summed over the bones, meaned over poses). Not the paper's: it learns a lifter
         * correction and the proportion shift at once.
         */
        REFINE
    }

    /** §4.1: "a total 70 epoch". */
    public static final int PAPER_EPOCHS = 70;
    /** §4.1: "batch size 256". */
    public static final int PAPER_BATCH_SIZE = 256;
    /** §4.1: "The initial learning rate is set to be 1e-4". */
    public static final float PAPER_LEARNING_RATE = 1e-4f;
    /** §4.1: "with a decreasing rate of 0.95 at each epoch". */
    public static final float PAPER_LR_DECAY = 0.95f;
    /** Eq. 4 (§3.2) weighs its two terms alike. */
    public static final float PAPER_DESCRIPTOR_WEIGHT = 1f;
    /** The {@link Variant#REFINE} variant's weight of its summed squared descriptor distance against its L1 in mm. */
    public static final float REFINE_DESCRIPTOR_WEIGHT = 50f;

    /**
     * Adam's initial rate at the default and tiny budgets, both variants. Measured on the tiny budget, 3dhp-like,
     * seed 0, {@link Variant#REFINE} (12 epochs; source-only 305.5 mm): with 1e-4, ‖d − d̄‖² (summed over bones) on the
     * source's training windows ends at 0.71 in the last epoch (the true source poses': 0.105) and its mean over the
     * target's test predictions goes from 6.24 (source-only) to 4.79, MPJPE 307.3 mm; with 1e-3 it ends at 0.175 and
     * goes to 3.25, MPJPE 310.5 mm. {@link Variant#PAPER}, tiny, seed 0, h36m-longlegs (docs/methods/ahup.md): with
     * 1e-4 the head barely moves in its 14 epochs (MPJPE 142.1 → 141.8 mm), with 1e-3 139.9 mm.
     */
    public static final float SMALL_BUDGET_LEARNING_RATE = 1e-3f;

    /** Validates the values. */
    public SpaConfig {
        if (variant == null || head == null || epochs < 1 || batchSize < 1 || !(learningRate > 0)
                || !(lrDecay > 0 && lrDecay <= 1) || !(descriptorWeight >= 0)) {
            throw new IllegalArgumentException("invalid SPA config: variant " + variant + ", head " + head + ", "
                    + epochs + " epochs, batch " + batchSize + ", lr " + learningRate + ", decay " + lrDecay
                    + ", descriptor weight " + descriptorWeight);
        }
    }

    /** The paper's settings at its scale (§4.1): 70 epochs of batches of 256, Adam 1e-4 decayed by 0.95, λ = 1. */
    public static SpaConfig paper() {
        return new SpaConfig(Variant.PAPER, SimpleBaseline.Config.paper(), PAPER_EPOCHS, PAPER_BATCH_SIZE,
                PAPER_LEARNING_RATE, PAPER_LR_DECAY, PAPER_DESCRIPTOR_WEIGHT);
    }

    /**
     * {@code variant}'s settings for a benchmark budget.
     * <ul>
     *   <li>{@link Variant#PAPER}: batches of {@value #PAPER_BATCH_SIZE} at every budget; {@link #paperEpochs} epochs
     *       (70 at {@code full}); Adam at 1e-4 at {@code full}, {@link #SMALL_BUDGET_LEARNING_RATE} below.</li>
     *   <li>{@link Variant#REFINE}: the budget's lifter epochs and batch size; Adam as above; λ = 50.</li>
     * </ul>
     */
    public static SpaConfig forBudget(Variant variant, CrossDatasetBenchmark.Budget budget) {
        float rate = switch (budget.kind()) {
            case FULL -> PAPER_LEARNING_RATE;
            case DEFAULT, TINY -> SMALL_BUDGET_LEARNING_RATE;
        };
        return switch (variant) {
            case PAPER -> new SpaConfig(variant, SimpleBaseline.Config.paper(), paperEpochs(budget), PAPER_BATCH_SIZE,
                    rate, PAPER_LR_DECAY, PAPER_DESCRIPTOR_WEIGHT);
            case REFINE -> new SpaConfig(variant, SimpleBaseline.Config.paper(), budget.epochs(), budget.batchSize(),
                    rate, PAPER_LR_DECAY, REFINE_DESCRIPTOR_WEIGHT);
        };
    }

    /**
     * The paper's SPA epochs scaled to a budget: the paper's 70 times the budget's lifter epochs over the {@code full}
     * budget's (60), rounded, at least 1 — the same share of the paper's schedule as the budget's lifter gets of the
     * full one: 70 at {@code full}, 14 at {@code tiny} (12 lifter epochs), 12 at {@code default} (10).
     */
    public static int paperEpochs(CrossDatasetBenchmark.Budget budget) {
        int full = CrossDatasetBenchmark.Budget.full().epochs();
        return Math.max(1, Math.round((float) PAPER_EPOCHS * budget.epochs() / full));
    }

    /** The same with another head. */
    public SpaConfig withHead(SimpleBaseline.Config value) {
        return new SpaConfig(variant, value, epochs, batchSize, learningRate, lrDecay, descriptorWeight);
    }

    /** The same with another number of epochs. */
    public SpaConfig withEpochs(int value) {
        return new SpaConfig(variant, head, value, batchSize, learningRate, lrDecay, descriptorWeight);
    }
}
