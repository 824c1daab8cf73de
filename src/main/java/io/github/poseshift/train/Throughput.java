package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.github.poseshift.eval.Metrics;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.SimpleBaseline;
import io.github.poseshift.nn.TemporalConvNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Throughput of the pieces a PoseShift run spends its time in, for the performance figures of the
 * report: a training step of the 27-frame {@link TemporalConvNet} and of {@link SimpleBaseline}
 * (Adam, MPJPE loss, forward + backward + optimiser step), batched TCN-27 inference, and PA-MPJPE
 * scoring with {@link Metrics}; plus the peak Java heap and the peak resident memory of the process.
 *
 * <p>The training inputs are random tensors of the right shape made once before timing, so the figures
 * are the engine's and not a data pipeline's; each step still copies its batch from Java into the
 * engine, as a real training loop does. The first {@link #WARMUP_STEPS} steps of every model (the
 * engine's first-call allocations and kernel choices) are run but not timed.
 * {@code bench/pytorch_reference.py} measures the same two models in PyTorch with the same meaning
 * of every figure.
 */
public final class Throughput {

    /** Steps (or inference batches) run before the timed ones and left out of the figures. */
    public static final int WARMUP_STEPS = 2;

    /** Joints of every pose: H36M-17. */
    public static final int JOINTS = 17;

    /** Filter widths of the 27-frame TCN (VideoPose3D's smallest model). */
    private static final int[] TCN27_WIDTHS = {3, 3, 3};

    /** Poses scored once, untimed, before the PA-MPJPE timing, so that it times compiled code. */
    private static final int PA_MPJPE_WARMUP_POSES = 20_000;

    private static final double MIB = 1024.0 * 1024.0;

    /** How often the heap is sampled while measuring. */
    private static final long HEAP_SAMPLE_MILLIS = 10;

    private Throughput() {}

    /**
     * What to measure.
     *
     * @param steps    timed training steps per model, and timed inference batches
     * @param batch    samples per training step and poses per inference batch (the papers: 1024)
     * @param channels hidden width of both models (the papers: 1024)
     * @param poses    poses scored by the PA-MPJPE measurement
     * @param seed     seed of the weights and the random inputs
     * @param device   where the models run (PA-MPJPE always runs on the CPU cores)
     * @param threads  the engine's intra-op threads while measuring, or 0 for the engine's own choice
     *                 (PyTorch: one per core)
     */
    public record Config(int steps, int batch, int channels, int poses, long seed, Device device, int threads) {
        /** Validates the values. */
        public Config {
            if (steps < 1 || batch < 1 || channels < 1 || poses < 1 || device == null || threads < 0) {
                throw new IllegalArgumentException("invalid throughput config: " + steps + " steps, batch " + batch
                        + ", " + channels + " channels, " + poses + " poses, device " + device + ", " + threads
                        + " threads");
            }
        }
    }

    /**
     * The measured figures; rates are per second of wall-clock time.
     *
     * @param tcn27TrainStepsPerS   TCN-27 training steps per second
     * @param tcn27TrainSamplesPerS TCN-27 training samples (27-frame windows) per second
     * @param mlpTrainStepsPerS     SimpleBaseline training steps per second
     * @param mlpTrainSamplesPerS   SimpleBaseline training samples per second
     * @param tcn27InferPosesPerS   TCN-27 poses predicted per second in evaluation mode, no gradient
     * @param paMpjpePosesPerS      poses scored per second by {@link Metrics#paMpjpe}
     * @param peakHeapMb            the most Java heap in use at any sample, MiB
     * @param peakRssMb             the process's peak resident memory (VmHWM: heap, engine natives and
     *                              all), MiB; NaN where {@code /proc/self/status} does not exist
     * @param device                {@code cpu} or {@code gpu N}
     * @param threads               the engine's intra-op threads
     * @param batch                 samples per step
     * @param channels              hidden width of both models
     */
    public record Report(double tcn27TrainStepsPerS, double tcn27TrainSamplesPerS, double mlpTrainStepsPerS,
            double mlpTrainSamplesPerS, double tcn27InferPosesPerS, double paMpjpePosesPerS, double peakHeapMb,
            double peakRssMb, String device, int threads, int batch, int channels) {

        /**
         * The figures under the keys of {@code poseshift bench --json} (and of
         * {@code bench/pytorch_reference.py --json} for those it measures), in a fixed order; an
         * unavailable peak RSS is null.
         */
        public Map<String, Object> toKeyedMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tcn27_train_steps_per_s", tcn27TrainStepsPerS);
            m.put("tcn27_train_samples_per_s", tcn27TrainSamplesPerS);
            m.put("mlp_train_steps_per_s", mlpTrainStepsPerS);
            m.put("mlp_train_samples_per_s", mlpTrainSamplesPerS);
            m.put("tcn27_infer_poses_per_s", tcn27InferPosesPerS);
            m.put("pa_mpjpe_poses_per_s", paMpjpePosesPerS);
            m.put("peak_heap_mb", peakHeapMb);
            m.put("peak_rss_mb", Double.isNaN(peakRssMb) ? null : peakRssMb);
            m.put("device", device);
            m.put("threads", threads);
            m.put("batch", batch);
            m.put("channels", channels);
            return m;
        }
    }

    /**
     * Runs every measurement of {@code config} in turn, writing one line per measurement to
     * {@code log} (null for none).
     */
    public static Report measure(Config config, PrintWriter log) {
        return withEngineThreads(config.threads(), () -> {
            try (HeapSampler heap = new HeapSampler()) {
                return measureAll(config, log, heap);
            }
        });
    }

    /**
     * {@code work} run with {@code threads} intra-op threads (0 or less: the engine's current count), the count
     * given back afterwards: it is process-wide, and later work in this JVM must not inherit it.
     *
     * @throws IllegalArgumentException when {@code threads} is positive and the engine is not PyTorch
     */
    public static <T> T withEngineThreads(int threads, java.util.function.Supplier<T> work) {
        int engineDefault = engineThreads();
        if (threads > 0) {
            setEngineThreads(threads);
        }
        try {
            return work.get();
        } finally {
            if (threads > 0) {
                setEngineThreads(engineDefault);
            }
        }
    }

    private static Report measureAll(Config config, PrintWriter log, HeapSampler heap) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        TemporalConvNet.Config tcnConfig = new TemporalConvNet.Config(JOINTS, TCN27_WIDTHS, config.channels(), 0.25f,
                false);
        Shape tcnInput = new Shape(config.batch(), tcnConfig.receptiveField(), JOINTS * 2L);
        double tcnSteps;
        double tcnInfer;
        try (Model model = Model.newInstance("tcn27", config.device())) {
            TemporalConvNet tcn = new TemporalConvNet(tcnConfig);
            model.setBlock(tcn);
            tcnSteps = trainStepsPerSecond(model, tcnInput, config.steps(), config.seed());
            log(log, "tcn27 training   %d steps of batch %d: %.3f steps/s", config.steps(), config.batch(), tcnSteps);
            tcnInfer = inferencePosesPerSecond(tcn, tcnInput, config.steps(), config.device(), config.seed());
            log(log, "tcn27 inference  %d batches of %d: %.0f poses/s", config.steps(), config.batch(), tcnInfer);
        }
        double mlpSteps;
        try (Model model = Model.newInstance("mlp", config.device())) {
            model.setBlock(SimpleBaseline.build(new SimpleBaseline.Config(JOINTS, config.channels(), 2, 0.5f)));
            mlpSteps = trainStepsPerSecond(model, new Shape(config.batch(), JOINTS * 2L), config.steps(), config.seed());
            log(log, "mlp training     %d steps of batch %d: %.3f steps/s", config.steps(), config.batch(), mlpSteps);
        }
        double paMpjpe = paMpjpePosesPerSecond(config.poses(), config.seed());
        log(log, "PA-MPJPE         %d poses: %.0f poses/s", config.poses(), paMpjpe);
        return new Report(tcnSteps, tcnSteps * config.batch(), mlpSteps, mlpSteps * config.batch(), tcnInfer, paMpjpe,
                heap.peakBytes() / MIB, peakRssMb().orElse(Double.NaN), deviceName(config.device()), engineThreads(),
                config.batch(), config.channels());
    }

    /**
     * Training steps per second of the (uninitialised) block of {@code model}: {@link #WARMUP_STEPS}
     * untimed steps, then {@code steps} timed ones, each a forward pass, the MPJPE loss read back to
     * Java (as a training loop records it, which also waits for a GPU to finish), the backward pass
     * and an Adam step (learning rate 1e-3, the {@link ResumableAdam} every PoseShift training loop uses).
     * The model's output is read as {@code [B, 17, 3]}.
     */
    public static double trainStepsPerSecond(Model model, Shape inputShape, int steps, long seed) {
        int batch = (int) inputShape.get(0);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] inputs = gaussian(rng, (int) inputShape.size(), 0.3);
        float[] targets = gaussian(rng, batch * JOINTS * 3, 0.3);
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(ResumableAdam.create(1e-3f, 0))
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        try (Trainer trainer = model.newTrainer(cfg)) {
            trainer.initialize(inputShape);
            long start = 0;
            for (int step = 0; step < WARMUP_STEPS + steps; step++) {
                if (step == WARMUP_STEPS) {
                    start = System.nanoTime();
                }
                try (NDManager scope = trainer.getManager().newSubManager()) {
                    NDArray x = scope.create(inputs, inputShape);
                    NDArray y = scope.create(targets, new Shape(batch, JOINTS, 3));
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow().reshape(batch, JOINTS, 3);
                        NDArray loss = LifterTraining.mpjpeLoss(pred, y);
                        gc.backward(loss);
                        float value = loss.getFloat();
                        if (!Float.isFinite(value)) {
                            throw new ArithmeticException("training diverged: loss " + value);
                        }
                    }
                    trainer.step();
                }
            }
            return steps / seconds(start);
        }
    }

    /**
     * Poses per second that {@code block} (already initialised for {@code inputShape}) predicts in
     * evaluation mode without gradients, one pose per input sample, predictions copied back to Java as
     * {@link LifterTraining#predict} does; {@link #WARMUP_STEPS} untimed batches first.
     */
    public static double inferencePosesPerSecond(Block block, Shape inputShape, int batches, Device device, long seed) {
        float[] inputs = gaussian(new SplittableRandom(seed + 1), (int) inputShape.size(), 0.3);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ParameterStore store = new ParameterStore(manager, false);
            long start = 0;
            long checksum = 0;
            for (int b = 0; b < WARMUP_STEPS + batches; b++) {
                if (b == WARMUP_STEPS) {
                    start = System.nanoTime();
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(inputs, inputShape);
                    float[] out = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
                    checksum += out.length;
                }
            }
            if (checksum != (long) (WARMUP_STEPS + batches) * inputShape.get(0) * JOINTS * 3) {
                throw new IllegalStateException("the lifter returned " + checksum + " values, not one pose per sample");
            }
            return batches * inputShape.get(0) / seconds(start);
        }
    }

    /**
     * Poses per second scored by {@link Metrics#paMpjpe} over {@code poses} random 17-joint poses and
     * noisy predictions of them (metres), after an untimed warm-up on a small set.
     */
    public static double paMpjpePosesPerSecond(int poses, long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 2);
        PoseArray[] warm = noisyPosePair(rng, Math.min(poses, PA_MPJPE_WARMUP_POSES));
        checkFinite(Metrics.paMpjpe(warm[0], warm[1]));
        PoseArray[] pair = noisyPosePair(rng, poses);
        long start = System.nanoTime();
        double value = Metrics.paMpjpe(pair[0], pair[1]);
        double rate = poses / seconds(start);
        checkFinite(value);
        return rate;
    }

    private static void checkFinite(double paMpjpe) {
        if (!Double.isFinite(paMpjpe)) {
            throw new ArithmeticException("PA-MPJPE of the benchmark poses is " + paMpjpe);
        }
    }

    /** {predictions, targets}: Gaussian joints (σ 0.3 m) and the same joints with 5 cm noise. */
    private static PoseArray[] noisyPosePair(SplittableRandom rng, int poses) {
        // Filled in float32, half the transient memory of doubles; PoseArray widens exactly.
        float[] target = gaussian(rng, poses * JOINTS * 3, 0.3);
        float[] predicted = new float[target.length];
        for (int i = 0; i < target.length; i++) {
            predicted[i] = target[i] + (float) (rng.nextGaussian() * 0.05);
        }
        return new PoseArray[] {PoseArray.of(predicted, JOINTS), PoseArray.of(target, JOINTS)};
    }

    /**
     * The peak resident memory of this process so far (VmHWM in {@code /proc/self/status}, Linux) in
     * MiB; empty elsewhere.
     */
    public static OptionalDouble peakRssMb() {
        Path status = Path.of("/proc/self/status");
        try {
            List<String> lines = Files.readAllLines(status);
            for (String line : lines) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return OptionalDouble.of(Long.parseLong(parts[0]) / 1024.0);
                }
            }
            return OptionalDouble.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** The engine's intra-op thread count (PyTorch's), or the cores Java sees for another engine. */
    public static int engineThreads() {
        if (isPyTorch()) {
            return JniUtils.getNumThreads();
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static void setEngineThreads(int threads) {
        if (!isPyTorch()) {
            throw new IllegalArgumentException("setting the thread count needs the PyTorch engine, not "
                    + Engine.getInstance().getEngineName());
        }
        JniUtils.setNumThreads(threads);
    }

    private static boolean isPyTorch() {
        return "PyTorch".equals(Engine.getInstance().getEngineName());
    }

    private static String deviceName(Device device) {
        return device.isGpu() ? "gpu " + device.getDeviceId() : "cpu";
    }

    /** Gaussian values; SplittableRandom's ziggurat is several times faster than Random's for 10⁸ of them. */
    private static float[] gaussian(SplittableRandom rng, int n, double sigma) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (rng.nextGaussian() * sigma);
        }
        return values;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }

    /**
     * Samples the used Java heap on a daemon thread until closed: the JVM keeps a peak per memory pool
     * but not of their sum, and the pools peak at different times.
     */
    private static final class HeapSampler implements AutoCloseable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Thread thread;
        private volatile boolean running = true;
        private long peak;

        HeapSampler() {
            sample();
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(HEAP_SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void sample() {
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used > peak) {
                peak = used;
            }
        }

        synchronized long peakBytes() {
            sample();
            return peak;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
