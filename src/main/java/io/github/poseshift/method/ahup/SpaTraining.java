package io.github.poseshift.method.ahup;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.github.poseshift.data.EpochOrder;
import io.github.poseshift.loss.SkeletonDescriptorLoss;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.ahup.SpaLifter;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.train.History;
import io.github.poseshift.train.ResumableAdam;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The SPA head's training loop, both variants ({@link SpaConfig.Variant}): Adam at the config's rate decayed per
 * epoch, the poses shuffled each epoch by a seeded generator, the engine seeded per epoch for dropout.
 */
final class SpaTraining {

    /** A trained head and its history. */
    record Trained(Block head, History history) {}

    private SpaTraining() {}

    /**
     * Trains a new head ({@link SpaLifter#head}) as {@code model}'s block, so its parameters live and close with the
     * model; the caller sets the block it wants afterwards.
     *
     * @param inputs     the head's inputs {@code [N][J·3]}, millimetres: the true source poses ({@code PAPER}) or the
     *                   lifter's predictions for them ({@code REFINE})
     * @param truth      the true source poses, millimetres ({@code REFINE}'s L1 targets; {@code PAPER} pivots on its
     *                   inputs instead, Eq. 4's ‖f(y)‖₁)
     * @param targetMean s̄
     * @param name       the method's name for the log lines
     * @return the head and the history, per epoch: {@code epoch_loss_mm} (the mean per-joint distance between the
     *         head's output and its L1 reference — the truth for {@code REFINE}, the input for {@code PAPER}, where
     *         it is the size of f(y) — mm, dropout on), {@code l1_loss_mm} (the mean absolute coordinate of the same
     *         difference, mm), {@code descriptor_loss} (the descriptor distance as the variant reduces it,
     *         unweighted), {@code descriptor_term} (the same times λ), {@code loss} (what Adam minimises: the L1
     *         term in the variant's unit plus {@code descriptor_term}) and {@code learning_rate}
     */
    static Trained train(Model model, Skeleton skeleton, float[] inputs, float[] truth, double[] targetMean,
            SpaConfig config, long seed, String name, PrintWriter log) {
        int joints = skeleton.numJoints();
        int width = joints * 3;
        int n = inputs.length / width;
        float[] mean = new float[targetMean.length];
        for (int b = 0; b < mean.length; b++) {
            mean[b] = (float) targetMean[b];
        }
        SkeletonDescriptorLoss descriptorLoss = new SkeletonDescriptorLoss(skeleton);
        boolean paper = config.variant() == SpaConfig.Variant.PAPER;
        float[] references = paper ? inputs : truth;

        Device device = model.getNDManager().getDevice();
        Engine.getInstance().setRandomSeed(seed(seed, 0));
        Block head = SpaLifter.head(config.head());
        History history = new History();
        ResumableAdam adam = ResumableAdam.create(config.learningRate(), 0f);
        model.setBlock(head);
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adam)
                .optDevices(new Device[] {device}))) {
            int batch = config.batchSize();
            trainer.initialize(new Shape(batch, width));
            int step = 0;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                float lr = (float) (config.learningRate() * Math.pow(config.lrDecay(), epoch - 1));
                adam.setLearningRate(lr);
                Engine.getInstance().setRandomSeed(seed(seed, epoch));
                int[] order = EpochOrder.shuffled(n, new Random(seed(seed, epoch)));
                double[] sums = new double[4];
                int samples = 0;
                for (int start = 0; start < n; start += batch) {
                    int size = Math.min(batch, n - start);
                    float[] x = new float[size * width];
                    float[] y = new float[size * width];
                    for (int i = 0; i < size; i++) {
                        System.arraycopy(inputs, order[start + i] * width, x, i * width, width);
                        System.arraycopy(references, order[start + i] * width, y, i * width, width);
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        float[] losses = step(trainer, scope, x, y, size, joints, mean, descriptorLoss, config);
                        trainer.step();
                        for (int k = 0; k < sums.length; k++) {
                            sums[k] += losses[k] * size;
                        }
                    }
                    samples += size;
                    step++;
                }
                double descriptor = sums[2] / samples;
                history.record("epoch_loss_mm", step, epoch, sums[0] / samples);
                history.record("l1_loss_mm", step, epoch, sums[1] / samples);
                history.record("descriptor_loss", step, epoch, descriptor);
                history.record("descriptor_term", step, epoch, config.descriptorWeight() * descriptor);
                history.record("loss", step, epoch, sums[3] / samples);
                history.record("learning_rate", step, epoch, lr);
                if (log != null) {
                    log.printf(Locale.ROOT, "%s epoch %d/%d  %s %.1f mm  L1 %.2f mm  descriptor %.4f (x%s)  loss %.4f%n",
                            name, epoch, config.epochs(), paper ? "|f(y)|" : "MPJPE", sums[0] / samples,
                            sums[1] / samples, descriptor, config.descriptorWeight(), sums[3] / samples);
                    log.flush();
                }
            }
        }
        return new Trained(head, history);
    }

    /**
     * One step on a batch: inputs {@code x} and L1 references {@code y} ({@code [size][J·3]}, millimetres), backward
     * of the variant's loss. Returns {mean joint distance mm, mean |·| mm, descriptor distance, loss}.
     * <ul>
     *   <li>{@code PAPER} (Eq. 4 as {@link SpaConfig.Variant#PAPER} reads it): y_SPA = x + f(x) is the head's output,
     *       L = mean |f(x)| in metres + λ·mean over poses and bones of (s(y_SPA) − s̄)²;</li>
     *   <li>{@code REFINE}: L = mean |head(x) − y| in millimetres + λ·mean over poses of Σ_b (s_b − s̄_b)².</li>
     * </ul>
     */
    private static float[] step(Trainer trainer, NDManager scope, float[] x, float[] y, int size, int joints,
            float[] mean, SkeletonDescriptorLoss descriptorLoss, SpaConfig config) {
        NDArray inputs = scope.create(x, new Shape(size, joints * 3L));
        NDArray references = scope.create(y, new Shape(size, joints, 3));
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray out = trainer.forward(new NDList(inputs)).singletonOrThrow().reshape(size, joints, 3);
            NDArray difference = out.sub(references);
            NDArray l1Mm = difference.abs().mean();
            NDArray l1Term;
            NDArray descriptor;
            if (config.variant() == SpaConfig.Variant.PAPER) {
                l1Term = ScalarOps.dividedBy(l1Mm, SpaLifter.HEAD_SCALE); // ‖f(y)‖₁ in metres
                descriptor = descriptorLoss.meanSquaredError(out, mean);
            } else {
                l1Term = l1Mm;
                descriptor = descriptorLoss.loss(out, mean);
            }
            NDArray loss = l1Term.add(ScalarOps.times(descriptor, config.descriptorWeight()));
            gc.backward(loss);
            float distance = difference.square().sum(new int[] {2}).sqrt().mean().getFloat();
            return new float[] {distance, l1Mm.getFloat(), descriptor.getFloat(), loss.getFloat()};
        }
    }

    private static int seed(long seed, int epoch) {
        return (int) new SplittableRandom(seed * 1_000_003L + 4242 + epoch).nextLong();
    }
}
