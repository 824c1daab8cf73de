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
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.ScheduledBatchNorm;
import io.github.poseshift.nn.TemporalConvNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Supervised training of a 2D→3D lifter on a {@link PoseDataset}, and batched inference with test-time
 * flip augmentation — the loop of VideoPose3D's {@code run.py}: Adam whose learning rate is multiplied by
 * {@code lrDecay} after every epoch, batch-norm momentum decayed from 0.1 to 0.001 over the run, MPJPE as
 * the loss, shuffled seeded batches with random horizontal flips. Works for single-frame lifters
 * (receptive field 1, input {@code [B, J·2]}) and temporal ones (input {@code [B, F, J·2]}); the model's
 * output is read as {@code [B, J·3]}.
 *
 * <p>Every epoch draws its order, flips and dropout masks from generators seeded by (seed, epoch), so a
 * run stopped after any epoch and resumed from its checkpoint gives the same weights as one that never
 * stopped.
 */
public final class LifterTraining {

    /** VideoPose3D's batch-norm momentum at the first epoch (PyTorch convention). */
    public static final float BN_MOMENTUM_START = 0.1f;
    /** VideoPose3D's batch-norm momentum reached at the end of training. */
    public static final float BN_MOMENTUM_END = 0.001f;

    /**
     * @param epochs          passes over the training set
     * @param batchSize       samples per step (VideoPose3D: 1024)
     * @param learningRate    initial Adam learning rate (VideoPose3D: 1e-3)
     * @param lrDecay         multiplier per epoch (VideoPose3D: 0.95)
     * @param clipGradient    clip gradients to this absolute value, or 0 for none
     * @param flipAugment     mirror half of the training samples at random
     * @param bnMomentumDecay decay every {@link ScheduledBatchNorm}'s momentum from
     *                        {@link #BN_MOMENTUM_START} to {@link #BN_MOMENTUM_END} (VideoPose3D)
     * @param seed            seed of initialisation, order, flips and dropout
     * @param maxFrameStep    each training window takes every k-th frame, k drawn per sample from 1..maxFrameStep
     *                        ({@link PoseDataset#batches(int, boolean, int, Random)}; 1: consecutive frames)
     * @param schedule        how the learning rate moves: {@link Schedule#EPOCH_DECAY} (times {@code lrDecay}
     *                        per epoch; a checkpoint saved without this field trained so) or {@link
     *                        Schedule#WARMUP_COSINE} (per step; {@code lrDecay} unused)
     */
    public record Config(int epochs, int batchSize, float learningRate, float lrDecay, float clipGradient,
            boolean flipAugment, boolean bnMomentumDecay, long seed, int maxFrameStep, Schedule schedule) {
        /** Validates the values; a null schedule is {@link Schedule#EPOCH_DECAY}. */
        public Config {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(lrDecay > 0 && lrDecay <= 1) || clipGradient < 0
                    || maxFrameStep < 1) {
                throw new IllegalArgumentException("invalid training config: " + epochs + " epochs, batch " + batchSize
                        + ", lr " + learningRate + ", decay " + lrDecay + ", clip " + clipGradient + ", frame step up to "
                        + maxFrameStep);
            }
            if (schedule == null) {
                schedule = Schedule.EPOCH_DECAY;
            }
        }

        /** Training with the per-epoch decay. */
        public Config(int epochs, int batchSize, float learningRate, float lrDecay, float clipGradient,
                boolean flipAugment, boolean bnMomentumDecay, long seed, int maxFrameStep) {
            this(epochs, batchSize, learningRate, lrDecay, clipGradient, flipAugment, bnMomentumDecay, seed, maxFrameStep,
                    Schedule.EPOCH_DECAY);
        }

        /** Training on windows of consecutive frames with the per-epoch decay. */
        public Config(int epochs, int batchSize, float learningRate, float lrDecay, float clipGradient,
                boolean flipAugment, boolean bnMomentumDecay, long seed) {
            this(epochs, batchSize, learningRate, lrDecay, clipGradient, flipAugment, bnMomentumDecay, seed, 1);
        }

        /** A copy training for {@code n} epochs. */
        public Config withEpochs(int n) {
            return new Config(n, batchSize, learningRate, lrDecay, clipGradient, flipAugment, bnMomentumDecay, seed,
                    maxFrameStep, schedule);
        }

        /** The rate of step {@code step} (0-based) of {@code total}, in epoch {@code epoch} (1-based). */
        public float rate(int epoch, int step, int total) {
            return schedule == Schedule.EPOCH_DECAY ? (float) (learningRate * Math.pow(lrDecay, epoch - 1))
                    : Schedule.warmupCosine(learningRate, step, total);
        }
    }

    /** How the learning rate moves over training. */
    public enum Schedule {
        /** VideoPose3D's: the initial rate times {@code lrDecay} per epoch. */
        EPOCH_DECAY,
        /**
         * Linear warm-up from 0 over the first {@link #WARMUP_FRACTION} of the steps, then a cosine decay to 0
         * at the last (Goyal et al. 2017's warm-up, Loshchilov &amp; Hutter 2017's cosine without restarts), per
         * step: the schedule MAE and MIM-DA train with, and the image models'.
         */
        WARMUP_COSINE;

        /** Share of the steps spent warming up. */
        public static final double WARMUP_FRACTION = 0.05;

        /** The warm-up + cosine rate of step {@code step} (0-based) of {@code total} for a peak rate {@code peak}. */
        public static float warmupCosine(float peak, int step, int total) {
            int warmup = Math.max(1, (int) Math.round(WARMUP_FRACTION * total));
            if (step < warmup) {
                return peak * (step + 1) / warmup;
            }
            double progress = (double) (step - warmup) / Math.max(1, total - warmup);
            return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
        }
    }

    /**
     * Checkpointing of a run: after every epoch the weights, optimizer state, history and description go
     * to {@code folder}.
     *
     * @param folder      the checkpoint folder
     * @param kind        the model family written to the checkpoint, e.g. {@code tcn}
     * @param modelConfig the model's configuration record
     * @param info        extra description saved with it (the training config is added as {@code training})
     * @param resume      continue from a checkpoint already in {@code folder}; without it, a folder that
     *                    already holds one is an error (nothing is overwritten)
     * @param stopAfter   stop after this epoch, to resume later (time-limited jobs); 0 to run to the end.
     *                    Unlike asking for fewer epochs, the schedules still span all of them
     */
    public record Checkpointing(Path folder, String kind, Record modelConfig, JsonObject info, boolean resume,
            int stopAfter) {
        /** Validates the values. */
        public Checkpointing {
            if (stopAfter < 0) {
                throw new IllegalArgumentException("stopAfter must be 0 (run to the end) or an epoch, got " + stopAfter);
            }
        }
    }

    private LifterTraining() {}

    /**
     * Trains the (uninitialised) block of {@code model} on the model's device and records
     * {@code train_loss_mm} per step, {@code epoch_loss_mm} and {@code learning_rate} per epoch; progress
     * goes to {@code log} (null for none). The caller owns the model, and with it the trained weights.
     */
    public static History train(Model model, PoseDataset data, Config config, PrintWriter log) {
        try {
            return train(model, data, config, log, "", null);
        } catch (IOException e) {
            throw new UncheckedIOException("training without a checkpoint does no I/O", e);
        }
    }

    /**
     * Like {@link #train(Model, PoseDataset, Config, PrintWriter)}, with the progress lines prefixed by
     * {@code task} and, when {@code checkpointing} is not null, a checkpoint after every epoch — or, with
     * {@link Checkpointing#resume}, training continued from the checkpoint's last epoch up to
     * {@code config.epochs()}. The returned history then covers the whole run.
     *
     * @throws FormatException when the folder holds a checkpoint of another model or training
     *                         configuration (named field by field), or one and resuming was not asked for
     */
    public static History train(Model model, PoseDataset data, Config config, PrintWriter log, String task,
            Checkpointing checkpointing) throws IOException {
        int joints = data.skeleton().numJoints();
        Shape shape = inputShape(data, config.batchSize());
        return run(model, config, shape, data.size(), log, task, checkpointing, (epoch, rng) -> mapped(
                data.batches(config.batchSize(), config.flipAugment(), config.maxFrameStep(), rng), batch -> new Step() {
                    @Override
                    public int size() {
                        return batch.size();
                    }

                    @Override
                    public float run(Trainer trainer, NDManager scope) {
                        NDArray x = input(scope, data, batch.inputs(), batch.size());
                        NDArray y = scope.create(batch.targets(), new Shape(batch.size(), joints, 3));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow().reshape(batch.size(), joints, 3);
                            NDArray mpjpe = mpjpeLoss(pred, y);
                            gc.backward(mpjpe);
                            return mpjpe.getFloat() * 1000;
                        }
                    }
                }));
    }

    /**
     * One training step over one batch: the forward pass and the backward pass of its loss, inside the
     * trainer's gradient collector (the loop then applies the optimiser).
     */
    interface Step {
        /** Samples in the batch. */
        int size();

        /** Runs forward and backward with arrays in {@code scope}; returns the loss to record, in millimetres. */
        float run(Trainer trainer, NDManager scope);
    }

    /** The steps of epoch {@code epoch} (1-based), their order and augmentation drawn from {@code rng}. */
    interface Epoch {
        Iterable<Step> steps(int epoch, Random rng);
    }

    /** {@code items} seen through {@code f}, lazily. */
    static <T> Iterable<Step> mapped(Iterable<T> items, java.util.function.Function<T, Step> f) {
        return () -> new java.util.Iterator<>() {
            private final java.util.Iterator<T> it = items.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Step next() {
                return f.apply(it.next());
            }
        };
    }

    /**
     * The supervised loop shared by every model trained this way (lifters, image models): Adam with the
     * per-epoch learning-rate decay, the batch-norm momentum schedule, per-epoch seeds, progress, history
     * ({@code train_loss_mm} per step, {@code epoch_loss_mm} and {@code learning_rate} per epoch) and a
     * checkpoint after every epoch, resumable exactly.
     *
     * @param inputShape the shape the block is initialised with
     * @param samples    samples per epoch (for the progress)
     */
    static History run(Model model, Config config, Shape inputShape, int samples, PrintWriter log, String task,
            Checkpointing checkpointing, Epoch epochs) throws IOException {
        Device device = model.getNDManager().getDevice();
        Block block = model.getBlock();
        Engine.getInstance().setRandomSeed(epochSeed(config.seed(), 0));
        int stepsPerEpoch = (samples + config.batchSize() - 1) / config.batchSize();
        ResumableAdam adam = ResumableAdam.create(config.learningRate(), config.clipGradient());
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam)
                .optDevices(new Device[] {device});
        History history = new History();
        try (Trainer trainer = model.newTrainer(cfg)) {
            // Restore before the trainer initialises: it caches the parameter arrays it will update, and
            // keeps the restored ones as they are since they are initialised already.
            int done = checkpointing == null ? 0
                    : restore(checkpointing, block, model.getNDManager(), inputShape, config, adam);
            trainer.initialize(inputShape);
            if (done > 0) {
                history = Checkpoint.history(checkpointing.folder());
                say(log, "%s: resuming %s after epoch %d of %d", task, checkpointing.folder(), done, config.epochs());
            }
            int step = done * stepsPerEpoch;
            int last = checkpointing == null || checkpointing.stopAfter() == 0 ? config.epochs()
                    : Math.min(config.epochs(), checkpointing.stopAfter());
            int totalSteps = config.epochs() * stepsPerEpoch;
            for (int epoch = done + 1; epoch <= last; epoch++) {
                float lr = config.rate(epoch, step, totalSteps);
                if (config.bnMomentumDecay()) {
                    ScheduledBatchNorm.setMomentum(block, ScheduledBatchNorm.scheduledMomentum(epoch - 1, config.epochs(),
                            BN_MOMENTUM_START, BN_MOMENTUM_END));
                }
                Engine.getInstance().setRandomSeed(epochSeed(config.seed(), epoch));
                Random rng = new Random(epochSeed(config.seed(), epoch));
                double epochLoss;
                try (EpochProgress progress = new EpochProgress(log, task, epoch, config.epochs(), samples)) {
                    for (Step batch : epochs.steps(epoch, rng)) {
                        adam.setLearningRate(config.rate(epoch, step, totalSteps));
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            float loss = batch.run(trainer, scope);
                            trainer.step();
                            step++;
                            history.record("train_loss_mm", step, epoch, loss);
                            progress.step(batch.size(), loss);
                        }
                    }
                    epochLoss = progress.meanLoss();
                }
                history.record("epoch_loss_mm", step, epoch, epochLoss);
                history.record("learning_rate", step, epoch, lr);
                if (checkpointing != null) {
                    JsonObject info = checkpointing.info() == null ? new JsonObject() : checkpointing.info().deepCopy();
                    info.add("training", Checkpoint.toJson(config));
                    Checkpoint.save(checkpointing.folder(), checkpointing.kind(), checkpointing.modelConfig(), block,
                            history, epoch, info, adam);
                }
            }
        }
        return history;
    }

    /**
     * Checks, before any work, that training with {@code config} may start in {@code c}'s folder: it holds
     * no checkpoint, or resuming was asked for and the checkpoint was trained with the same info (method,
     * domains, budget, seed, ...; all but {@code training}), the same training configuration apart from
     * the number of epochs, which may grow, and the same model kind and configuration; and every file of
     * the checkpoint is whole ({@link Checkpoint#verify}).
     *
     * @return the checkpoint's description, or null when the folder holds none
     * @throws FormatException naming {@code checkpoint.json} and each differing field with both values
     */
    static Checkpoint.Meta checkResume(Checkpointing c, Config config) throws IOException {
        if (!Checkpoint.exists(c.folder())) {
            return null;
        }
        if (!c.resume()) {
            throw new FormatException(c.folder().toString(), "already holds a checkpoint ("
                    + Checkpoint.meta(c.folder()).epochs() + " epochs); resume it or choose another folder (nothing was"
                    + " overwritten)");
        }
        Checkpoint.Meta saved = Checkpoint.verify(c.folder());
        String metaFile = c.folder().resolve(Checkpoint.META_FILE).toString();
        String unchanged = " (nothing was changed)";
        JsonObject savedInfo = saved.info().deepCopy();
        JsonElement savedTraining = savedInfo.remove("training");
        JsonObject askedInfo = c.info() == null ? new JsonObject() : c.info().deepCopy();
        askedInfo.remove("training");
        List<String> differences = Checkpoint.differences(savedInfo, askedInfo, "in the checkpoint", "asked for");
        if (!differences.isEmpty()) {
            throw new FormatException(metaFile, "holds another run, so it cannot be resumed with these options: "
                    + String.join("; ", differences) + unchanged);
        }
        if (savedTraining == null || !savedTraining.isJsonObject()) {
            throw new FormatException(metaFile, "has no training configuration, so training cannot resume from it"
                    + unchanged);
        }
        // The number of epochs may grow on resume (train longer); everything else must match.
        differences = Checkpoint.differences(savedTraining, config, "epochs");
        if (!differences.isEmpty()) {
            throw new FormatException(metaFile, "was trained with another configuration: " + String.join("; ", differences)
                    + unchanged);
        }
        if (saved.epochs() > config.epochs()) {
            throw new FormatException(metaFile, "has " + saved.epochs() + " epochs, more than the " + config.epochs()
                    + " asked for" + unchanged);
        }
        if (!saved.kind().equals(c.kind())) {
            throw new FormatException(metaFile, "holds a '" + saved.kind() + "' model, not '" + c.kind() + "'" + unchanged);
        }
        differences = Checkpoint.differences(saved.config(), c.modelConfig());
        if (!differences.isEmpty()) {
            throw new FormatException(metaFile, "the checkpoint's configuration differs from the model's: "
                    + String.join("; ", differences) + unchanged);
        }
        return saved;
    }

    /**
     * Loads the checkpoint to resume from, if any, after {@link #checkResume}, then removes what an
     * interrupted save left in the folder; returns the epochs the checkpoint has done (0 for none).
     */
    private static int restore(Checkpointing c, Block block, NDManager manager, Shape shape, Config config,
            ResumableAdam adam) throws IOException {
        Checkpoint.Meta saved = checkResume(c, config);
        if (saved != null) {
            Checkpoint.loadInto(c.folder(), c.kind(), c.modelConfig(), block, manager, shape);
            // Loaded arrays come without gradients; the trainer needs them on every trainable parameter.
            block.getParameters().values().forEach(p -> p.freeze(!p.requiresGradient()));
            Checkpoint.loadOptimizer(c.folder(), block, adam);
        }
        Checkpoint.removeStale(c.folder());
        return saved == null ? 0 : saved.epochs();
    }

    /** The seed of one epoch's draws (epoch 0: initialisation), well mixed so nearby seeds differ. */
    static int epochSeed(long seed, int epoch) {
        return (int) new SplittableRandom(seed * 1_000_003L + epoch).nextLong();
    }

    private static void say(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }

    /**
     * The training loss: MPJPE, the mean over poses and joints of the Euclidean joint error, of
     * predictions and targets shaped {@code [B, J, 3]} (VideoPose3D's {@code mpjpe}).
     */
    public static NDArray mpjpeLoss(NDArray predicted, NDArray target) {
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

    /**
     * One pose per frame of a whole sequence, {@code [T, J, 3]}, from its normalised 2D keypoints
     * {@code [T, J, 2]}, in one pass of the temporal lifter's dilated variant, in evaluation mode. The
     * sequence is padded by repeating its first and last frames — (F−1)/2 on each side for a receptive
     * field of F frames, or F−1 before the start when causal — so T frames in give exactly T poses out,
     * each seeing the same window {@link PoseDataset} builds for that frame (VideoPose3D's evaluation).
     */
    public static float[] predictSequence(TemporalConvNet lifter, float[] keypoints, int joints) {
        int width = joints * 2;
        if (keypoints.length == 0 || keypoints.length % width != 0) {
            throw new IllegalArgumentException("expected [T, " + joints + ", 2] keypoints, got " + keypoints.length
                    + " values");
        }
        int frames = keypoints.length / width;
        int field = lifter.receptiveField();
        int before = lifter.config().causal() ? field - 1 : (field - 1) / 2;
        int after = field - 1 - before;
        float[] padded = new float[(frames + field - 1) * width];
        for (int f = 0; f < frames + field - 1; f++) {
            int src = Math.max(0, Math.min(frames - 1, f - before));
            System.arraycopy(keypoints, src * width, padded, f * width, width);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.create(padded, new Shape(1, frames + before + after, width));
            return lifter.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
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
