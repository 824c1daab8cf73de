package io.github.poseshift.train;

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
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.PoseArray;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Random;

/**
 * Supervised training of a 2D→3D lifter on a {@link PoseDataset}, and batched inference with test-time
 * flip augmentation — the loop of VideoPose3D's {@code run.py}: Adam with a learning rate decayed by
 * {@code lrDecay} after every epoch, MPJPE as the loss, shuffled seeded batches with random horizontal
 * flips. Works for single-frame lifters (receptive field 1, input {@code [B, J·2]}) and temporal ones
 * (input {@code [B, F, J·2]}); the model's output is read as {@code [B, J·3]}.
 */
public final class LifterTraining {

    /**
     * @param epochs       passes over the training set
     * @param batchSize    samples per step (VideoPose3D: 1024)
     * @param learningRate initial Adam learning rate (VideoPose3D: 1e-3)
     * @param lrDecay      multiplier per epoch (VideoPose3D: 0.95)
     * @param clipGradient clip gradients to this absolute value, or 0 for none
     * @param flipAugment  mirror half of the training samples at random
     * @param seed         seed of initialisation, order and flips
     */
    public record Config(int epochs, int batchSize, float learningRate, float lrDecay, float clipGradient,
            boolean flipAugment, long seed) {
        /** Validates the values. */
        public Config {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(lrDecay > 0 && lrDecay <= 1) || clipGradient < 0) {
                throw new IllegalArgumentException("invalid training config: " + epochs + " epochs, batch " + batchSize
                        + ", lr " + learningRate + ", decay " + lrDecay + ", clip " + clipGradient);
            }
        }
    }

    private LifterTraining() {}

    /**
     * Trains the (uninitialised) block of {@code model} on the model's device and records
     * {@code train_loss_mm} per step and {@code epoch_loss_mm} per epoch; one progress line per epoch
     * goes to {@code log} (null for none). The caller owns the model, and with it the trained weights.
     */
    public static History train(Model model, PoseDataset data, Config config, PrintWriter log) {
        Device device = model.getNDManager().getDevice();
        Engine.getInstance().setRandomSeed((int) config.seed());
        int stepsPerEpoch = (data.size() + config.batchSize() - 1) / config.batchSize();
        Adam.Builder adam = Optimizer.adam().optLearningRateTracker(new EpochDecay(config.learningRate(), config.lrDecay(),
                stepsPerEpoch));
        if (config.clipGradient() > 0) {
            adam.optClipGrad(config.clipGradient());
        }
        History history = new History();
        Random rng = new Random(config.seed());
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam.build())
                .optDevices(new Device[] {device});
        try (Trainer trainer = model.newTrainer(cfg)) {
            trainer.initialize(inputShape(data, config.batchSize()));
            int step = 0;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                double sum = 0;
                int samples = 0;
                for (PoseDataset.Batch batch : data.batches(config.batchSize(), config.flipAugment(), rng)) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = input(scope, data, batch.inputs(), batch.size());
                        NDArray y = scope.create(batch.targets(), new Shape(batch.size(), data.skeleton().numJoints(), 3));
                        float loss;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow()
                                    .reshape(batch.size(), data.skeleton().numJoints(), 3);
                            NDArray mpjpe = mpjpeLoss(pred, y);
                            gc.backward(mpjpe);
                            loss = mpjpe.getFloat() * 1000;
                        }
                        trainer.step();
                        step++;
                        history.record("train_loss_mm", step, epoch, loss);
                        sum += (double) loss * batch.size();
                        samples += batch.size();
                    }
                }
                double epochLoss = sum / samples;
                history.record("epoch_loss_mm", step, epoch, epochLoss);
                if (log != null) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    log.printf(Locale.ROOT, "epoch %d/%d  loss %.1f mm  %.0f samples/s  eta %.0f s%n", epoch,
                            config.epochs(), epochLoss, samples / seconds, seconds * (config.epochs() - epoch));
                    log.flush();
                }
            }
        }
        return history;
    }

    /**
     * The training loss: MPJPE, the mean over poses and joints of the Euclidean joint error, of
     * predictions and targets shaped {@code [B, J, 3]} (VideoPose3D's {@code mpjpe}).
     */
    static NDArray mpjpeLoss(NDArray predicted, NDArray target) {
        return predicted.sub(target).square().sum(new int[] {2}).sqrt().mean();
    }

    /**
     * Predictions for every sample of {@code data} in order, {@code [N, J, 3]} metres root-relative, in
     * evaluation mode; with {@code flipTest}, averaged with the un-mirrored prediction of the mirrored
     * input (VideoPose3D's test-time augmentation).
     */
    public static PoseArray predict(Block lifter, PoseDataset data, int batchSize, boolean flipTest) {
        int joints = data.skeleton().numJoints();
        float[] out = new float[data.size() * joints * 3];
        int[] mirror = data.skeleton().mirrorPermutation();
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int start = 0; start < data.size(); start += batchSize) {
                int n = Math.min(batchSize, data.size() - start);
                float[] plain = forward(lifter, store, manager, data, start, n, false);
                if (flipTest) {
                    float[] flipped = forward(lifter, store, manager, data, start, n, true);
                    for (int b = 0; b < n; b++) {
                        for (int j = 0; j < joints; j++) {
                            int src = (b * joints + mirror[j]) * 3;
                            int dst = (b * joints + j) * 3;
                            plain[dst] = (plain[dst] - flipped[src]) / 2;
                            plain[dst + 1] = (plain[dst + 1] + flipped[src + 1]) / 2;
                            plain[dst + 2] = (plain[dst + 2] + flipped[src + 2]) / 2;
                        }
                    }
                }
                System.arraycopy(plain, 0, out, start * joints * 3, n * joints * 3);
            }
        }
        return PoseArray.of(out, joints);
    }

    /** The targets of every sample, {@code [N, J, 3]}, in the order {@link #predict} uses. */
    public static PoseArray targets(PoseDataset data) {
        int joints = data.skeleton().numJoints();
        float[] out = new float[data.size() * joints * 3];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(data.target(i), 0, out, i * joints * 3, joints * 3);
        }
        return PoseArray.of(out, joints);
    }

    private static float[] forward(Block lifter, ParameterStore store, NDManager manager, PoseDataset data, int start,
            int n, boolean flip) {
        int width = data.config().receptiveField() * data.skeleton().numJoints() * 2;
        float[] inputs = new float[n * width];
        for (int b = 0; b < n; b++) {
            System.arraycopy(data.sample(start + b, flip).input(), 0, inputs, b * width, width);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input(scope, data, inputs, n);
            return lifter.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    private static NDArray input(NDManager manager, PoseDataset data, float[] values, int batch) {
        return manager.create(values, inputShape(data, batch));
    }

    private static Shape inputShape(PoseDataset data, int batch) {
        int frames = data.config().receptiveField();
        int width = data.skeleton().numJoints() * 2;
        return frames == 1 ? new Shape(batch, width) : new Shape(batch, frames, width);
    }
}
