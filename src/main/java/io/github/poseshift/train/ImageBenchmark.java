package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.nn.image.IntegralPoseHead;
import io.github.poseshift.nn.image.ResNetBackbone;
import io.github.poseshift.render.ImageDataset;
import io.github.poseshift.render.ImageRenderer;
import io.github.poseshift.render.RenderFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cross-dataset benchmark on rendered images: an {@link ImagePoseModel} trained on the source domain's
 * rendered crops (<b>source-only</b>) and one per target on that target's own rendered training subjects
 * (<b>oracle</b>: what the pose benchmark calls {@code target-only}; its oracle adds the source's windows), each
 * scored on the target's rendered test subjects with the pose benchmark's metrics and tables ({@link CrossDatasetBenchmark.Result}, {@link CrossDatasetBenchmark.Run}). The 3D prediction goes
 * through each crop's camera with the true root depth (the protocol of Sun et al. and AHuP), so the error is
 * that of the root-relative pose. Domains are generated as the pose benchmark generates them ({@link
 * CrossDatasetBenchmark#generate}, the same seed mixing) at this budget's size, and rendered with each
 * domain's image style. Adaptation methods on images come later; only the baselines run.
 */
public final class ImageBenchmark {

    /**
     * The methods available on images: two baselines. The image oracle is still trained on the target's crops
     * alone, what the pose benchmark calls {@code target-only} (its oracle adds the source's windows).
     */
    public static final List<String> METHODS = List.of("source-only", "oracle");

    /**
     * How much compute an image run gets, under the pose benchmark's budget names.
     *
     * @param kind         which budget ({@link #name()}: {@code tiny}, {@code default} or {@code full})
     * @param subjects     synthetic subjects per domain (0: the preset's)
     * @param frames       frames per synthetic sequence (0: the preset's)
     * @param trainImages  training crops per domain, at most: frames of the training subjects' views evenly
     *                     strided down to about this many
     * @param testImages   test crops per target, at most, likewise
     * @param model        the image model (its {@code imageSize} is the render size)
     * @param epochs       training epochs
     * @param learningRate initial Adam rate, decayed by 0.95 per epoch
     * @param batchSize    crops per step
     */
    public record Budget(CrossDatasetBenchmark.Budget.Kind kind, int subjects, int frames, int trainImages, int testImages,
            ImagePoseModel.Config model, int epochs, float learningRate, int batchSize) {

        /** Validates the sizes. */
        public Budget {
            if (kind == null || subjects < 0 || frames < 0 || trainImages < 1 || testImages < 1 || epochs < 1 || batchSize < 1
                    || !(learningRate > 0) || model == null) {
                throw new IllegalArgumentException("invalid image budget '" + (kind == null ? null : kind.label()) + "': " + subjects + " subjects, "
                        + frames + " frames, " + trainImages + "/" + testImages + " train/test images, " + epochs
                        + " epochs, lr " + learningRate + ", batch " + batchSize);
            }
        }

        /**
         * About three minutes on one CPU thread (measured: 3.4 minutes wall, seed 0): 5 subjects × 40 frames per
         * domain, up to 800 training and 200 test crops of 64×64 (544 and 136 of the lab), the tiny ResNet
         * ({@link ImagePoseModel.Config#tiny()}), 12 epochs of batch 16 at 3e-3. Measured on the lab's own test
         * crops (seed 0): 169 mm MPJPE against the mean pose's 198 mm; with batch 32 (3 subjects × 60 frames,
         * 12 epochs) 192 mm against 180 mm: at this size more steps matter more than more crops.
         */
        public static Budget tiny() {
            return new Budget(CrossDatasetBenchmark.Budget.Kind.TINY, 5, 40, 800, 200, ImagePoseModel.Config.tiny(), 12, 3e-3f, 16);
        }

        /**
         * Under an hour on two CPU cores (measured: 19.4 minutes on one thread, seed 0, about 5 minutes per
         * model): 5 subjects × 200 frames, up to 4000 training and 1000 test crops of 64×64 (3808 and 870–960),
         * a 16-wide three-stage ResNet with the tiny head, 15 epochs of batch 32 at 2e-3.
         */
        public static Budget standard() {
            return new Budget(CrossDatasetBenchmark.Budget.Kind.DEFAULT, 5, 200, 4000, 1000, ImagePoseModel.Config.resnet(64,
                    new ResNetBackbone.Config(16, new int[] {1, 1, 1}), IntegralPoseHead.Config.tiny()), 15, 2e-3f, 32);
        }

        /**
         * The presets at full size, 40,000 training and 5,000 test crops of 128×128, the default model
         * ({@link ImagePoseModel.Config#defaults()}), 30 epochs; for a GPU.
         */
        public static Budget full() {
            return new Budget(CrossDatasetBenchmark.Budget.Kind.FULL, 0, 0, 40_000, 5_000, ImagePoseModel.Config.defaults(), 30, 1e-3f, 64);
        }

        /**
         * {@code tiny}, {@code default} or {@code full}: the pose benchmark's names ({@link
         * CrossDatasetBenchmark.Budget#byName}).
         */
        public static Budget byName(String name) {
            return of(CrossDatasetBenchmark.Budget.Kind.byName(name));
        }

        /** The image budget of {@code kind}. */
        public static Budget of(CrossDatasetBenchmark.Budget.Kind kind) {
            return switch (kind) {
                case TINY -> tiny();
                case DEFAULT -> standard();
                case FULL -> full();
            };
        }

        /** The name users write: {@code tiny}, {@code default} or {@code full}. */
        public String name() {
            return kind.label();
        }

        /** The budget named by {@code POSESHIFT_BUDGET}, as {@link CrossDatasetBenchmark.Budget#fromEnvironment()}. */
        public static Budget fromEnvironment() {
            return of(CrossDatasetBenchmark.Budget.fromEnvironment().kind());
        }

        /** Side of the rendered crops, pixels. */
        public int imageSize() {
            return model.imageSize();
        }

        /**
         * The pose benchmark's budget of the same name with this one's domain size, which {@link
         * CrossDatasetBenchmark#generate} uses to make the domains.
         */
        CrossDatasetBenchmark.Budget domains() {
            CrossDatasetBenchmark.Budget b = CrossDatasetBenchmark.Budget.of(kind);
            return new CrossDatasetBenchmark.Budget(kind, subjects, frames, b.filterWidths(), b.channels(), epochs,
                    learningRate, batchSize, b.trainStride(), b.testStride(), false);
        }

        /**
         * The training schedule: this budget's epochs, batch and rate, decay 0.95 per epoch, flipped crops, and no
         * batch-norm momentum decay (VideoPose3D's 0.1 → 0.001 leaves the running statistics stale over a short
         * run; see {@link ImagePoseTraining}).
         */
        public LifterTraining.Config training(long seed) {
            return new LifterTraining.Config(epochs, batchSize, learningRate, 0.95f, 0f, true, false, seed);
        }
    }

    /**
     * A whole image run: the pose benchmark's run (summary, per-action tables, errors, histories, viewpoints)
     * with what only images have.
     *
     * @param poses       the results, as {@link CrossDatasetBenchmark.Run}
     * @param tests       per target, its rendered test crops (rendered again on demand for drawings)
     * @param predicted2d per {@code "<target> <method>"}, the predicted 2D joints of every test crop,
     *                    {@code [N, 17, 2]} pixels
     * @param truth2d     per target, the true 2D joints of every test crop, likewise
     */
    public record Run(CrossDatasetBenchmark.Run poses, Map<String, ImageDataset> tests, Map<String, float[]> predicted2d,
            Map<String, float[]> truth2d) {

        /**
         * Test crops {@code samples} of {@code target} ready to draw (e.g. with {@code viz.ImagePlots.examples}):
         * the crops as images, their actions, their true 2D joints and every method's 2D prediction and MPJPE.
         */
        public Examples examples(String target, int[] samples) {
            ImageDataset test = tests.get(target);
            if (test == null) {
                throw new IllegalArgumentException("no target '" + target + "'; there are " + tests.keySet());
            }
            int values = ImageSamples.JOINTS * 2;
            List<java.awt.image.BufferedImage> crops = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            float[] truth = new float[samples.length * values];
            Map<String, float[]> predicted = new LinkedHashMap<>();
            Map<String, double[]> errors = new LinkedHashMap<>();
            for (String method : poses.predictions(target).keySet()) {
                float[] all = predicted2d(target, method);
                double[] perPose = poses.result(target, method).errors().perPoseMpjpeMm();
                float[] p = new float[samples.length * values];
                double[] e = new double[samples.length];
                for (int k = 0; k < samples.length; k++) {
                    System.arraycopy(all, samples[k] * values, p, k * values, values);
                    e[k] = perPose[samples[k]];
                }
                predicted.put(method, p);
                errors.put(method, e);
            }
            for (int k = 0; k < samples.length; k++) {
                crops.add(RenderFiles.rgbImage(test.sample(samples[k]).image()));
                labels.add(test.action(samples[k]));
                System.arraycopy(truth2d.get(target), samples[k] * values, truth, k * values, values);
            }
            return new Examples(crops, labels, truth, predicted, errors);
        }

        /** The predicted 2D joints of {@code method} on {@code target}'s test crops. */
        public float[] predicted2d(String target, String method) {
            float[] p = predicted2d.get(target + " " + method);
            if (p == null) {
                throw new IllegalArgumentException("no 2D prediction of " + method + " on " + target + "; there are "
                        + predicted2d.keySet());
            }
            return p;
        }
    }

    /**
     * Some test crops and what each method made of them.
     *
     * @param crops       the crops as images
     * @param labels      their actions
     * @param truth2d     {@code [N, 17, 2]} their true joints, crop pixels
     * @param predicted2d per method, its {@code [N, 17, 2]} predictions
     * @param errorsMm    per method, its MPJPE on each crop, mm
     */
    public record Examples(List<java.awt.image.BufferedImage> crops, List<String> labels, float[] truth2d,
            Map<String, float[]> predicted2d, Map<String, double[]> errorsMm) {}

    private ImageBenchmark() {}

    /**
     * Rejects any method but the baselines.
     *
     * @throws IllegalArgumentException naming the method and what images support
     */
    public static void checkMethods(List<String> methods) {
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("method '" + m + "' is not available for images; use "
                        + String.join(", ", METHODS) + " (adaptation methods run on poses: --modality pose)");
            }
        }
    }

    /**
     * Runs the baselines of {@code source} against every target on rendered images.
     *
     * @param methods which of {@link #METHODS} to report (source-only is always trained: it is the reference)
     * @param threads render threads
     * @param log     progress: one line per step and per epoch (null for none)
     * @throws IllegalArgumentException naming a method other than the baselines
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, int threads, PrintWriter log) throws IOException {
        checkMethods(methods);
        SyntheticDomain sourceDomain = generate(source, budget, seed);
        Map<String, List<double[]>> viewpoints = new LinkedHashMap<>();
        viewpoints.put(sourceDomain.spec().name(), DomainGap.viewpoints(sourceDomain.views()));
        LifterTraining.Config training = budget.training(seed);
        List<CrossDatasetBenchmark.Result> results = new ArrayList<>();
        Map<String, ImageDataset> tests = new LinkedHashMap<>();
        Map<String, float[]> predicted2d = new LinkedHashMap<>();
        Map<String, float[]> truth2d = new LinkedHashMap<>();
        // Every target is made and its test crops chosen before the first epoch: a target whose files or split
        // fail does so before anything trains.
        List<PreparedTarget> prepared = new ArrayList<>();
        for (DomainSpec targetSpec : targets) {
            SyntheticDomain target = generate(targetSpec, budget, seed);
            prepared.add(new PreparedTarget(target, dataset(target, "test", budget.testImages(), budget, seed)));
        }
        try (Model sourceModel = Model.newInstance("image-source-only", device)) {
            ImagePoseModel sourceNet = new ImagePoseModel(budget.model());
            sourceModel.setBlock(sourceNet);
            History sourceHistory = train(sourceModel, sourceDomain, budget, training, seed, threads, log, "source-only");
            for (PreparedTarget p : prepared) {
                SyntheticDomain target = p.domain();
                String name = target.spec().name();
                viewpoints.put(name, DomainGap.viewpoints(target.views()));
                ImageDataset test = p.test();
                say(log, "%s: rendering %d test crops of %d×%d", name, test.size(), budget.imageSize(), budget.imageSize());
                ImageSamples testCrops = test.cached(threads);
                tests.put(name, test);
                truth2d.put(name, ImagePoseTraining.targets2d(testCrops));
                results.add(evaluate(name, "source-only", sourceNet, test, testCrops, sourceHistory, predicted2d, budget));
                say(log, "%s: source-only %.1f mm MPJPE", name, results.get(results.size() - 1).summary().mpjpeMm());
                if (!methods.contains("oracle")) {
                    continue;
                }
                try (Model oracleModel = Model.newInstance("image-oracle", device)) {
                    ImagePoseModel oracleNet = new ImagePoseModel(budget.model());
                    oracleModel.setBlock(oracleNet);
                    History h = train(oracleModel, target, budget, training, seed, threads, log, "oracle " + name);
                    results.add(evaluate(name, "oracle", oracleNet, test, testCrops, h, predicted2d, budget));
                }
                say(log, "%s: oracle %.1f mm MPJPE", name, results.get(results.size() - 1).summary().mpjpeMm());
            }
        }
        return new Run(new CrossDatasetBenchmark.Run(results, viewpoints), tests, predicted2d, truth2d);
    }

    /** A target made before any training: its domain and its test crops (not rendered yet). */
    private record PreparedTarget(SyntheticDomain domain, ImageDataset test) {}

    /**
     * The synthetic domain of {@code spec} at {@code budget}'s size, as the benchmark makes it ({@link
     * CrossDatasetBenchmark#generate}).
     */
    public static SyntheticDomain generate(DomainSpec spec, Budget budget, long seed) throws IOException {
        return CrossDatasetBenchmark.generate(spec, budget.domains(), seed);
    }

    /**
     * The rendered crops of a domain's {@code split} ({@code train} or {@code test}) subjects: every frame of
     * their views, strided evenly to at most {@code images} crops (at least one per view), rendered in {@code
     * budget}'s size with the domain's style. The render seed mixes the run's seed with the domain and split.
     */
    public static ImageDataset dataset(SyntheticDomain domain, String split, int images, Budget budget, long seed) {
        ImageRenderer renderer = new ImageRenderer(domain.spec().image(), budget.imageSize());
        long renderSeed = seed * 1_000_003L + (domain.spec().name() + "/" + split).hashCode();
        int all = ImageDataset.of(domain, split, renderer, 1, renderSeed).size();
        int stride = Math.max(1, all / images);
        ImageDataset data = ImageDataset.of(domain, split, renderer, stride, renderSeed);
        // Each view keeps its first frame, so the count falls in steps; widen the stride until it fits.
        while (data.size() > images && stride < all) {
            data = ImageDataset.of(domain, split, renderer, ++stride, renderSeed);
        }
        return data;
    }

    private static History train(Model model, SyntheticDomain domain, Budget budget, LifterTraining.Config training,
            long seed, int threads, PrintWriter log, String task) throws IOException {
        ImageDataset train = dataset(domain, "train", budget.trainImages(), budget, seed);
        say(log, "%s: rendering %d training crops of %s (%d×%d)", task, train.size(), domain.spec().name(),
                budget.imageSize(), budget.imageSize());
        ImageSamples crops = train.cached(threads);
        return ImagePoseTraining.train(model, crops, training, log, task, null);
    }

    private static CrossDatasetBenchmark.Result evaluate(String target, String method, ImagePoseModel net,
            ImageDataset test, ImageSamples crops, History history, Map<String, float[]> predicted2d, Budget budget) {
        ImagePoseTraining.Prediction p = ImagePoseTraining.predict(net, crops, budget.batchSize());
        var truth = ImagePoseTraining.targets(crops);
        PoseErrors errors = PoseErrors.compute(p.joints3d(), truth, LengthUnit.METRES);
        List<String> labels = test.actions();
        predicted2d.put(target + " " + method, p.joints2d());
        return new CrossDatasetBenchmark.Result(target, method, errors.summary(), ErrorTable.byGroup("action", errors,
                labels), errors, history, p.joints3d(), truth, labels, test.viewpoints());
    }

    private static void say(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }
}
