package io.github.poseshift.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.github.poseshift.data.EpochCrops;
import io.github.poseshift.data.EpochOrder;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.loss.ImagePoseLosses;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Supervised training of an {@link ImagePoseModel} on {@link ImageSamples} or on {@link EpochCrops} (new crops
 * every epoch), in the loop every PoseShift model trains in ({@link LifterTraining}'s: Adam, the learning-rate
 * schedule of {@link LifterTraining.Config}, the batch-norm momentum schedule, per-epoch seeds, progress,
 * {@link History}, a checkpoint after every epoch and exact resume), with {@link LifterTraining.Config} as its
 * settings. The loss is integral regression's ({@link ImagePoseLosses#integralL1}: L1 on root-relative 3D over a
 * 2 m span plus L1 on 2D over the crop side); the 3D prediction goes through each sample's camera. The recorded
 * {@code train_loss_mm} is the batch's MPJPE in millimetres, comparable with the lifters'. Flip augmentation
 * mirrors the crop, the joints (left and right swapped, x negated) and the principal point, which keeps the
 * labels exact.
 *
 * <p>What makes the image model learn on a CPU, in order of effect (docs/image-domains.md has the measured rows and
 * {@code bench/image-recipe.jsh} the script that makes them): more steps, a higher peak rate (1e-2) under warm-up +
 * cosine ({@link LifterTraining.Schedule#WARMUP_COSINE}), fresh crops every epoch ({@link EpochCrops}) and a fresh
 * look per crop ({@code render.ImageAugmentation#freshLooks}); geometric jitter costs accuracy on the domain itself
 * at a small budget. A heatmap cross-entropy on the volumes beside the L1 loss (1 cell and 1 slice Gaussians,
 * weight 0.1) was tried during development: 98 against 101 mm on the tiny lab at 1.6× the time; left out.
 *
 * <p>VideoPose3D's batch-norm momentum decay ({@code bnMomentumDecay}) suits long runs only: over a short one
 * the momentum reaches 0.001 while the weights still move, and the running statistics go stale (measured
 * on the blob images of {@code ImagePoseTrainingTest}, 384 steps: test MPJPE 188 mm with the decay, 104 mm
 * without).
 */
public final class ImagePoseTraining {

    /** The model kind written to checkpoints. */
    public static final String KIND = "image-pose";

    private static final int J = ImageSamples.JOINTS;
    private static final int C = ImageSamples.CAMERA_VALUES;

    private ImagePoseTraining() {}

    /**
     * A batch of samples as flat arrays: images {@code [B, 3, S, S]}, joints3d {@code [B, J, 3]},
     * joints2d {@code [B, J, 2]}, cameras {@code [B, 5]}.
     */
    public record Batch(int size, int imageSize, float[] images, float[] joints3d, float[] joints2d, float[] cameras) {
        /** The arrays in {@code manager}: images, cameras, joints3d, joints2d. */
        public NDList arrays(NDManager manager) {
            return new NDList(manager.create(images, new Shape(size, 3, imageSize, imageSize)),
                    manager.create(cameras, new Shape(size, C)), manager.create(joints3d, new Shape(size, J, 3)),
                    manager.create(joints2d, new Shape(size, J, 2)));
        }
    }

    /**
     * The samples {@code indices} of {@code data}, each mirrored where {@code flipped} says so (null: none).
     */
    public static Batch batch(ImageSamples data, int[] indices, boolean[] flipped) {
        int s = data.imageSize();
        int pixels = 3 * s * s;
        int n = indices.length;
        float[] images = new float[n * pixels];
        float[] joints3d = new float[n * J * 3];
        float[] joints2d = new float[n * J * 2];
        float[] cameras = new float[n * C];
        float[] image = new float[pixels];
        float[] j3 = new float[J * 3];
        float[] j2 = new float[J * 2];
        float[] camera = new float[C];
        int[] mirror = Skeletons.H36M17.mirrorPermutation();
        for (int b = 0; b < n; b++) {
            data.fill(indices[b], image, j3, j2, camera);
            boolean flip = flipped != null && flipped[b];
            if (!flip) {
                System.arraycopy(image, 0, images, b * pixels, pixels);
                System.arraycopy(j3, 0, joints3d, b * J * 3, J * 3);
                System.arraycopy(j2, 0, joints2d, b * J * 2, J * 2);
                System.arraycopy(camera, 0, cameras, b * C, C);
                continue;
            }
            // The mirrored crop is the image of the mirrored scene (x → −x) seen with cx → S − 1 − cx.
            for (int row = 0; row < 3 * s; row++) {
                for (int col = 0; col < s; col++) {
                    images[b * pixels + row * s + col] = image[row * s + s - 1 - col];
                }
            }
            for (int j = 0; j < J; j++) {
                int src = mirror[j];
                joints3d[(b * J + j) * 3] = -j3[src * 3];
                joints3d[(b * J + j) * 3 + 1] = j3[src * 3 + 1];
                joints3d[(b * J + j) * 3 + 2] = j3[src * 3 + 2];
                joints2d[(b * J + j) * 2] = s - 1 - j2[src * 2];
                joints2d[(b * J + j) * 2 + 1] = j2[src * 2 + 1];
            }
            System.arraycopy(camera, 0, cameras, b * C, C);
            cameras[b * C + 2] = s - 1 - camera[2];
        }
        return new Batch(n, s, images, joints3d, joints2d, cameras);
    }

    /** Trains the (uninitialised) {@link ImagePoseModel} of {@code model}; see the class comment. */
    public static History train(Model model, ImageSamples data, LifterTraining.Config config, PrintWriter log) {
        return train(model, EpochCrops.fixed(data), config, log);
    }

    /** Trains the (uninitialised) {@link ImagePoseModel} of {@code model} on crops that may change every epoch. */
    public static History train(Model model, EpochCrops crops, LifterTraining.Config config, PrintWriter log) {
        try {
            return train(model, crops, config, log, "", null);
        } catch (IOException e) {
            throw new UncheckedIOException("training without a checkpoint does no I/O", e);
        }
    }

    /**
     * Like {@link #train(Model, ImageSamples, LifterTraining.Config, PrintWriter)}, with progress lines
     * prefixed by {@code task} and, unless {@code checkpointing} is null, a checkpoint (kind {@link #KIND})
     * after every epoch or a resumed run, as {@link LifterTraining#train} does.
     *
     * @throws IllegalArgumentException when the model is not an {@link ImagePoseModel} or its crop size
     *                                  differs from the data's
     * @throws FormatException          when the checkpoint folder holds another model or training
     */
    public static History train(Model model, ImageSamples data, LifterTraining.Config config, PrintWriter log, String task,
            LifterTraining.Checkpointing checkpointing) throws IOException {
        return train(model, EpochCrops.fixed(data), config, log, task, checkpointing);
    }

    /** Like the above on crops that may change every epoch ({@link EpochCrops#epoch} is asked once per epoch). */
    public static History train(Model model, EpochCrops crops, LifterTraining.Config config, PrintWriter log, String task,
            LifterTraining.Checkpointing checkpointing) throws IOException {
        ImagePoseModel net = imageModel(model, crops.imageSize());
        ImagePoseModel.Config c = net.config();
        return LifterTraining.run(model, config, net.inputShape(config.batchSize()), crops.size(), log, task, checkpointing,
                (epoch, rng) -> steps(crops.epoch(epoch), net, config, rng));
    }

    /** The training loss of one batch: {@link ImagePoseLosses#integralL1} on the model's outputs {@code out}. */
    static NDArray loss(ImagePoseModel.Config c, NDList out, NDArray joints3d, NDArray joints2d) {
        return ImagePoseLosses.integralL1(out.get(0), joints3d, out.get(1), joints2d, c.cropMetres(), c.imageSize(),
                ImagePoseLosses.DEFAULT_WEIGHT_2D);
    }

    private static Iterable<LifterTraining.Step> steps(ImageSamples data, ImagePoseModel net, LifterTraining.Config config,
            Random rng) {
        EpochOrder epoch = EpochOrder.draw(data.size(), config.flipAugment(), rng);
        List<LifterTraining.Step> steps = new ArrayList<>();
        for (int start = 0; start < data.size(); start += config.batchSize()) {
            EpochOrder slice = epoch.slice(start, Math.min(data.size(), start + config.batchSize()));
            steps.add(new LifterTraining.Step() {
                @Override
                public int size() {
                    return slice.order().length;
                }

                @Override
                public float run(Trainer trainer, NDManager scope) {
                    NDList a = batch(data, slice.order(), slice.flipped()).arrays(scope);
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(new NDList(a.get(0), a.get(1)));
                        gc.backward(loss(net.config(), out, a.get(2), a.get(3)));
                        return LifterTraining.mpjpeLoss(out.get(0), a.get(2)).getFloat() * 1000;
                    }
                }
            });
        }
        return steps;
    }

    private static ImagePoseModel imageModel(Model model, int imageSize) {
        if (!(model.getBlock() instanceof ImagePoseModel net)) {
            throw new IllegalArgumentException("image pose training needs an ImagePoseModel block, got "
                    + (model.getBlock() == null ? "none" : model.getBlock().getClass().getSimpleName()));
        }
        if (net.config().imageSize() != imageSize) {
            throw new IllegalArgumentException("the model takes " + net.config().imageSize() + "-pixel crops, the data has "
                    + imageSize + "-pixel ones");
        }
        return net;
    }

    /**
     * Predictions for every sample: root-relative 3D {@code [N, J, 3]} in metres (through each sample's
     * camera) and 2D positions {@code [N, J, 2]} in pixels.
     */
    public record Prediction(PoseArray joints3d, float[] joints2d) {}

    /** The predictions of an initialised model for every sample of {@code data} in order, in evaluation mode. */
    public static Prediction predict(ImagePoseModel model, ImageSamples data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        float[] joints3d = new float[data.size() * J * 3];
        float[] joints2d = new float[data.size() * J * 2];
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int start = 0; start < data.size(); start += batchSize) {
                int n = Math.min(batchSize, data.size() - start);
                int[] indices = new int[n];
                for (int b = 0; b < n; b++) {
                    indices[b] = start + b;
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDList a = batch(data, indices, null).arrays(scope);
                    NDList out = model.forward(store, new NDList(a.get(0), a.get(1)), false);
                    System.arraycopy(out.get(0).toFloatArray(), 0, joints3d, start * J * 3, n * J * 3);
                    System.arraycopy(out.get(1).toFloatArray(), 0, joints2d, start * J * 2, n * J * 2);
                }
            }
        }
        return new Prediction(PoseArray.of(joints3d, J), joints2d);
    }

    /** The 3D labels of every sample, {@code [N, J, 3]}, in the order {@link #predict} uses. */
    public static PoseArray targets(ImageSamples data) {
        return PoseArray.of(labels(data, 3), J);
    }

    /** The 2D labels of every sample, {@code [N, J, 2]} crop pixels, in the order {@link #predict} uses. */
    public static float[] targets2d(ImageSamples data) {
        return labels(data, 2);
    }

    /** The 3D ({@code dims} 3) or 2D ({@code dims} 2) labels of every sample, flat. */
    private static float[] labels(ImageSamples data, int dims) {
        float[] out = new float[data.size() * J * dims];
        float[] image = new float[3 * data.imageSize() * data.imageSize()];
        float[] j3 = new float[J * 3];
        float[] j2 = new float[J * 2];
        float[] camera = new float[C];
        for (int i = 0; i < data.size(); i++) {
            data.fill(i, image, j3, j2, camera);
            System.arraycopy(dims == 3 ? j3 : j2, 0, out, i * J * dims, J * dims);
        }
        return out;
    }

    /**
     * Loads an image model checkpoint (kind {@link #KIND}) into {@code model}, whose block becomes a new
     * {@link ImagePoseModel} of the saved configuration; returns that block.
     *
     * @throws FormatException when the folder holds another kind of model or an invalid configuration
     */
    public static ImagePoseModel load(Path folder, Model model) throws IOException {
        Checkpoint.Meta meta = Checkpoint.meta(folder);
        String metaFile = folder.resolve(Checkpoint.META_FILE).toString();
        if (!meta.kind().equals(KIND)) {
            throw new FormatException(metaFile, "holds a '" + meta.kind() + "' model, not an '" + KIND + "' one");
        }
        ImagePoseModel.Config config = Checkpoint.config(folder, meta, ImagePoseModel.Config.class);
        ImagePoseModel net = new ImagePoseModel(config);
        model.setBlock(net);
        Checkpoint.loadInto(folder, KIND, config, net, model.getNDManager(), net.inputShape(1));
        return net;
    }

    /**
     * Training steps per second of a model of {@code config} on random crops (forward with cameras, the
     * integral L1 loss, backward, Adam), after {@link Throughput#WARMUP_STEPS} untimed steps, on the CPU
     * with the engine's current thread count.
     */
    public static double trainStepsPerSecond(ImagePoseModel.Config config, int batch, int steps, long seed) {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("batch and steps must be positive, got " + batch + " and " + steps);
        }
        Engine.getInstance().setRandomSeed(LifterTraining.epochSeed(seed, 0));
        ImagePoseModel net = new ImagePoseModel(config);
        try (Model model = Model.newInstance("image-bench", Devices.choose("cpu"))) {
            model.setBlock(net);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(ResumableAdam.create(1e-3f, 0f));
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(net.inputShape(batch));
                // Random inputs made once; each step copies its batch into the engine, as training does.
                Random rng = new Random(seed);
                int s = config.imageSize();
                float[] images = new float[batch * 3 * s * s];
                float[] joints3d = new float[batch * J * 3];
                float[] joints2d = new float[batch * J * 2];
                float[] cameras = new float[batch * C];
                for (int i = 0; i < images.length; i++) {
                    images[i] = rng.nextFloat();
                }
                for (int i = 0; i < joints3d.length; i++) {
                    joints3d[i] = rng.nextFloat() - 0.5f;
                }
                for (int i = 0; i < joints2d.length; i++) {
                    joints2d[i] = rng.nextFloat() * (s - 1);
                }
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(new float[] {s * 4f, s * 4f, (s - 1) / 2f, (s - 1) / 2f, 5f}, 0, cameras, b * C, C);
                }
                Batch data = new Batch(batch, s, images, joints3d, joints2d, cameras);
                long begin = 0;
                for (int i = 0; i < Throughput.WARMUP_STEPS + steps; i++) {
                    if (i == Throughput.WARMUP_STEPS) {
                        begin = System.nanoTime();
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDList a = data.arrays(scope);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(a.get(0), a.get(1)));
                            NDArray loss = loss(config, out, a.get(2), a.get(3));
                            gc.backward(loss);
                            loss.getFloat();
                        }
                        trainer.step();
                    }
                }
                return steps / ((System.nanoTime() - begin) / 1e9);
            }
        }
    }
}
