package io.github.poseshift.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.render.RenderBench;
import io.github.poseshift.train.Devices;
import io.github.poseshift.train.ImagePoseTraining;
import io.github.poseshift.train.Throughput;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code poseshift bench}: throughput figures of this machine for the report — training steps of the
 * two lifters, TCN inference, PA-MPJPE scoring, peak memory (see {@link Throughput}), training samples
 * of the default image pose model ({@link ImagePoseTraining#trainStepsPerSecond}) and rendered images
 * ({@link RenderBench}). Progress goes to standard error, the figures to standard output.
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Throughput of this machine: training steps/s of the 27-frame temporal lifter (TCN-27) and of"
                + " the SimpleBaseline MLP (Adam, MPJPE loss, batch 1024, 1024 channels), TCN-27 inference poses/s,"
                + " PA-MPJPE poses/s, training samples/s of the default image pose model (ImagePoseModel defaults,"
                + " 64×64 crops, batch 64, integral L1 loss, Adam; on the CPU), rendered images/s at 64 and 128 pixels"
                + " (every label, nothing written), peak heap and peak resident memory.",
            "bench/pytorch_reference.py measures the same models in PyTorch; bench/README.md compares them."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "N",
            description = "Timed training steps per model, and timed inference batches, each after "
                    + Throughput.WARMUP_STEPS + " untimed ones (default: ${DEFAULT-VALUE}, about 2 minutes on 2 cores).")
    private int steps;

    @Option(names = "--poses", defaultValue = "1000000", paramLabel = "N",
            description = "Poses of 17 joints scored by the PA-MPJPE measurement (default: ${DEFAULT-VALUE}).")
    private int poses;

    @Option(names = "--batch", defaultValue = "1024", paramLabel = "N",
            description = "Samples per training step and per inference batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--channels", defaultValue = "1024", paramLabel = "N",
            description = "Hidden width of both models (default: ${DEFAULT-VALUE}, the papers').")
    private int channels;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = "Where the models run (default: ${DEFAULT-VALUE}); PA-MPJPE always runs on the CPU cores.")
    private String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "The engine's intra-op threads; 0 (default) leaves the engine's choice, one per core.")
    private int threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of weights and inputs (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--image-steps", defaultValue = "10", paramLabel = "N",
            description = "Timed training steps of the image pose model, after " + Throughput.WARMUP_STEPS
                    + " untimed ones (default: ${DEFAULT-VALUE}).")
    private int imageSteps;

    @Option(names = "--image-batch", defaultValue = "64", paramLabel = "N",
            description = "Crops per image pose model training step (default: ${DEFAULT-VALUE}).")
    private int imageBatch;

    @Option(names = "--render-images", defaultValue = "2000", paramLabel = "N",
            description = "Images timed by the 64-pixel render measurement, a quarter of them at 128 pixels, over the"
                    + " four preset domains (default: ${DEFAULT-VALUE}).")
    private int renderImages;

    @Option(names = "--render-threads", paramLabel = "N", description = "Rendering threads (default: one per core).")
    private Integer renderThreads;

    @Option(names = "--json", description = "Print exactly one JSON object instead of the table.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        atLeast("--steps", steps, 1);
        atLeast("--image-steps", imageSteps, 1);
        atLeast("--image-batch", imageBatch, 1);
        atLeast("--render-images", renderImages, 4);
        int renderWorkers = renderThreads == null ? Runtime.getRuntime().availableProcessors() : renderThreads;
        atLeast("--render-threads", renderWorkers, 1);
        atLeast("--poses", poses, 1);
        atLeast("--batch", batch, 1);
        atLeast("--channels", channels, 1);
        atLeast("--threads", threads, 0);
        Device dev = Devices.choose(device);
        Throughput.Config config = new Throughput.Config(steps, batch, channels, poses, seed, dev, threads);
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "bench: %d timed steps per model after %d warm-up, batch %d, %d channels, %d poses,"
                + " device %s%n", steps, Throughput.WARMUP_STEPS, batch, channels, poses, dev.isGpu() ? "gpu" : "cpu");
        err.flush();
        Throughput.Report report = Throughput.measure(config, err);
        ImagePoseModel.Config imageConfig = ImagePoseModel.Config.defaults();
        long imageParameters = trainableParameters(imageConfig);
        double imageSamples = imageSamplesPerSecond(imageConfig);
        err.printf(Locale.ROOT, "image training   %d steps of batch %d, %d×%d, %,d trainable parameters, cpu: %.1f"
                + " samples/s%n", imageSteps, imageBatch, imageConfig.imageSize(), imageConfig.imageSize(), imageParameters,
                imageSamples);
        err.flush();
        double render64 = RenderBench.imagesPerSecond(RenderBench.presetDatasets(64, seed), renderImages, renderWorkers);
        err.printf(Locale.ROOT, "render 64 px     %d images on %d threads: %.0f images/s%n", renderImages, renderWorkers,
                render64);
        int images128 = Math.max(4, renderImages / 4);
        double render128 = RenderBench.imagesPerSecond(RenderBench.presetDatasets(128, seed), images128, renderWorkers);
        err.printf(Locale.ROOT, "render 128 px    %d images on %d threads: %.0f images/s%n", images128, renderWorkers,
                render128);
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            // The image model's and the render figures come after the lifters' and before the settings.
            Map<String, Object> keyed = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : report.toKeyedMap().entrySet()) {
                if (e.getKey().equals("device")) {
                    keyed.put("image_train_samples_per_s", imageSamples);
                    keyed.put("render64_images_per_s", render64);
                    keyed.put("render128_images_per_s", render128);
                }
                keyed.put(e.getKey(), e.getValue());
            }
            keyed.put("image_batch", imageBatch);
            keyed.put("image_parameters", imageParameters);
            keyed.put("render_threads", renderWorkers);
            out.println(new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(keyed));
        } else {
            printTable(out, report);
            row(out, "image model training", imageSamples, "%.1f", "samples/s (batch " + imageBatch + ", "
                    + imageConfig.imageSize() + "×" + imageConfig.imageSize() + ", cpu)");
            row(out, "render 64×64", render64, "%.0f", "images/s (" + renderWorkers + " threads)");
            row(out, "render 128×128", render128, "%.0f", "images/s (" + renderWorkers + " threads)");
        }
        return 0;
    }

    /**
     * Training samples per second of an image pose model of {@code config} at {@code --image-batch}, on the
     * CPU with {@code --threads} intra-op threads (given back afterwards, {@link Throughput#withEngineThreads}).
     */
    private double imageSamplesPerSecond(ImagePoseModel.Config config) {
        return Throughput.withEngineThreads(threads, () ->
                ImagePoseTraining.trainStepsPerSecond(config, imageBatch, imageSteps, seed) * imageBatch);
    }

    /**
     * Trainable parameters of an image pose model of {@code config} (the batch norms' running statistics
     * left out), to check that bench/pytorch_reference.py builds the same network.
     */
    static long trainableParameters(ImagePoseModel.Config config) {
        ImagePoseModel net = new ImagePoseModel(config);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(manager, DataType.FLOAT32, net.inputShape(1));
            long count = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    count += p.getValue().getArray().getShape().size();
                }
            }
            return count;
        }
    }

    private static void atLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(option + " must be at least " + minimum + ", got " + value);
        }
    }

    private void printTable(PrintWriter out, Throughput.Report r) {
        out.printf(Locale.ROOT, "device %s, threads %d, batch %d, channels %d, timed steps %d%n", r.device(), r.threads(),
                r.batch(), r.channels(), steps);
        row(out, "TCN-27 training", r.tcn27TrainStepsPerS(), "%.3f", "steps/s");
        row(out, "", r.tcn27TrainSamplesPerS(), "%.0f", "samples/s");
        row(out, "SimpleBaseline training", r.mlpTrainStepsPerS(), "%.3f", "steps/s");
        row(out, "", r.mlpTrainSamplesPerS(), "%.0f", "samples/s");
        row(out, "TCN-27 inference", r.tcn27InferPosesPerS(), "%.0f", "poses/s");
        row(out, String.format(Locale.ROOT, "PA-MPJPE (%d poses)", poses), r.paMpjpePosesPerS(), "%.0f", "poses/s");
        row(out, "", poses / r.paMpjpePosesPerS(), "%.2f", "s for all poses");
        row(out, "peak heap", r.peakHeapMb(), "%.0f", "MiB");
        if (Double.isNaN(r.peakRssMb())) {
            out.printf(Locale.ROOT, "  %-26s %12s  %s%n", "peak RSS", "n/a", "(no /proc/self/status)");
        } else {
            row(out, "peak RSS", r.peakRssMb(), "%.0f", "MiB");
        }
    }

    private static void row(PrintWriter out, String what, double value, String format, String unit) {
        out.printf(Locale.ROOT, "  %-26s %12s  %s%n", what, String.format(Locale.ROOT, format, value), unit);
    }
}
