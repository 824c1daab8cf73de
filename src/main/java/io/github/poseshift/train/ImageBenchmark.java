package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import com.google.gson.JsonObject;
import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.EpochCrops;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.render.ImageAugmentation;
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
 * rendered crops (<b>source-only</b>: the shared pretrained source model, {@link #sourceModel}, cached by {@link
 * SourceModelCache}), the source's mean training pose for every crop (<b>mean-pose</b>: a model that learnt nothing
 * from the image) and, per target, the source model fine-tuned on that target's rendered, labelled training crops
 * (<b>oracle</b>; like the pose benchmark's oracle it has seen both domains' labels), each scored on the
 * rendered test subjects of the source itself and of every target with the pose benchmark's metrics and tables
 * ({@link CrossDatasetBenchmark.Result}, {@link CrossDatasetBenchmark.Run}). The 3D prediction goes through each
 * crop's camera with the true root depth (the protocol of Sun et al. and AHuP), so the error is that of the
 * root-relative pose. Domains are generated as the pose benchmark generates them ({@link
 * CrossDatasetBenchmark#generate}, the same seed mixing) at this budget's size, and rendered with each domain's
 * image style; training crops are rendered afresh every epoch ({@link #trainingCrops}). Adaptation methods on
 * images ({@link ImageAdaptation}, e.g. {@code method.yang2018}) each start from a copy of the same source model and
 * are scored like the baselines.
 */
public final class ImageBenchmark {

    /**
     * The methods available on images: the mean pose (the source's mean training pose for every crop: the error
     * of a model that learnt nothing from the image), the source model, and the oracle (the source model
     * fine-tuned on the target's labelled training crops). Adaptation methods come as {@link ImageAdaptation}s.
     */
    public static final List<String> METHODS = List.of("source-only", "mean-pose", "oracle");

    /**
     * How much compute an image run gets, under the pose benchmark's budget names.
     *
     * @param kind         which budget ({@link #name()}: {@code tiny}, {@code default} or {@code full})
     * @param subjects     synthetic subjects per domain (0: the preset's)
     * @param frames       frames per synthetic sequence (0: the preset's)
     * @param trainImages  training crops rendered afresh every epoch, drawn from every frame of the training
     *                     subjects' views ({@link ImageDataset#freshEachEpoch})
     * @param testImages   test crops per target, at most: frames of the test subjects' views evenly strided
     * @param model        the image model (its {@code imageSize} is the render size)
     * @param epochs       epochs of the source model
     * @param learningRate peak Adam rate of the warm-up + cosine schedule ({@link LifterTraining.Schedule#WARMUP_COSINE})
     * @param batchSize    crops per step
     * @param oracleEpochs epochs of the oracle's fine-tuning of the source model on a target's labelled crops
     * @param augmentation drawn per training crop at render time (flips come on top, in the batch)
     */
    public record Budget(CrossDatasetBenchmark.Budget.Kind kind, int subjects, int frames, int trainImages, int testImages,
            ImagePoseModel.Config model, int epochs, float learningRate, int batchSize, int oracleEpochs,
            ImageAugmentation augmentation) {

        /** Validates the sizes. */
        public Budget {
            if (kind == null || subjects < 0 || frames < 0 || trainImages < 1 || testImages < 1 || epochs < 1 || batchSize < 1
                    || !(learningRate > 0) || model == null || oracleEpochs < 1 || augmentation == null) {
                throw new IllegalArgumentException("invalid image budget '" + (kind == null ? null : kind.label()) + "': " + subjects + " subjects, "
                        + frames + " frames, " + trainImages + "/" + testImages + " train/test images, " + epochs
                        + " epochs, lr " + learningRate + ", batch " + batchSize + ", " + oracleEpochs + " oracle epochs, "
                        + augmentation);
            }
        }

        /**
         * Under two minutes on two CPU cores (docs/image-domains.md has the measured rows): 5 subjects × 40 frames
         * per domain, 800 fresh training crops of 64×64 per epoch and up to 200 test crops (136 of the lab), the
         * tiny ResNet ({@link ImagePoseModel.Config#tiny()}), 40 epochs of batch 16 at a peak rate of 1e-2, 10
         * oracle epochs; colour jitter, a fresh look per crop and flips, no geometric jitter (it costs accuracy on
         * the lab's own crops at this size; docs/image-domains.md).
         */
        public static Budget tiny() {
            return new Budget(CrossDatasetBenchmark.Budget.Kind.TINY, 5, 40, 800, 200, ImagePoseModel.Config.tiny(), 40, 1e-2f,
                    16, 10, new ImageAugmentation(0, 0, 0, 0.2, true));
        }

        /**
         * About ten minutes on two idle CPU cores: 5 subjects × 200 frames, 4000 fresh training crops per epoch and
         * up to 1000 test crops of 64×64, the default model ({@link ImagePoseModel.Config#defaults()}: a 16-wide
         * three-stage ResNet, a 32-channel head of 16 depth bins), 30 epochs of batch 32 at a peak rate of 1e-2, 24
         * oracle epochs; mild geometric jitter (scale ±10 %, shift ±3 %, roll ±10°), colour ±20 %, a fresh look
         * per crop, flips. The oracle trains 24 epochs at the full rate: 8 at half the rate left it far above 130 mm
         * on {@code 3dhp-like} and {@code ski-like} during development (docs/image-domains.md).
         */
        public static Budget standard() {
            return new Budget(CrossDatasetBenchmark.Budget.Kind.DEFAULT, 5, 200, 4000, 1000, ImagePoseModel.Config.defaults(),
                    30, 1e-2f, 32, 24, new ImageAugmentation(0.1, 0.03, 10, 0.2, true));
        }

        /**
         * The presets at full size, 40,000 fresh training and 5,000 test crops of 128×128 per epoch, the large
         * model ({@link ImagePoseModel.Config#large()}), 30 epochs, 10 oracle epochs, the paper's augmentation and
         * fresh looks; for a GPU (not measured).
         */
        public static Budget full() {
            return new Budget(CrossDatasetBenchmark.Budget.Kind.FULL, 0, 0, 40_000, 5_000,
                    ImagePoseModel.Config.large().withImageSize(128), 30, 1e-3f, 64, 10,
                    ImageAugmentation.paper().withFreshLooks(true));
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
         * The source model's training: this budget's epochs, batch and peak rate under warm-up + cosine, flipped
         * crops, and no batch-norm momentum decay (VideoPose3D's 0.1 → 0.001 leaves the running statistics stale
         * over a short run; see {@link ImagePoseTraining}).
         */
        public LifterTraining.Config training(long seed) {
            return new LifterTraining.Config(epochs, batchSize, learningRate, 1f, 0f, true, false, seed, 1,
                    LifterTraining.Schedule.WARMUP_COSINE);
        }

        /**
         * The oracle's fine-tuning of the source model: {@code oracleEpochs} under warm-up + cosine at the peak
         * rate, with its own seed.
         */
        public LifterTraining.Config oracleTraining(long seed) {
            return new LifterTraining.Config(oracleEpochs, batchSize, learningRate, 1f, 0f, true, false, seed + 1, 1,
                    LifterTraining.Schedule.WARMUP_COSINE);
        }

        /** What determines the source model besides the code and the source spec: the cache's description. */
        JsonObject describe() {
            JsonObject o = Checkpoint.toJson(this).getAsJsonObject();
            o.remove("oracleEpochs");
            o.remove("testImages");
            return o;
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
        checkMethods(methods, List.of());
    }

    /**
     * Rejects any method that is neither a baseline nor one of {@code adaptations}.
     *
     * @throws IllegalArgumentException naming the method and what images support
     */
    public static void checkMethods(List<String> methods, List<ImageAdaptation> adaptations) {
        List<String> known = new ArrayList<>(METHODS);
        adaptations.forEach(a -> known.add(a.name()));
        for (String m : methods) {
            if (!known.contains(m)) {
                throw new IllegalArgumentException("method '" + m + "' is not available for images; use "
                        + String.join(", ", known) + " (the other adaptation methods run on poses: --modality pose)");
            }
        }
    }

    /**
     * Runs the baselines of {@code source} against every target on rendered images, without the cache: the
     * source model is trained here.
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, int threads, PrintWriter log) throws IOException {
        return run(source, targets, methods, budget, seed, device, threads, log, null);
    }

    /**
     * Runs the baselines of {@code source} against every target on rendered images: the source model comes from
     * {@code cache} ({@link #sourceModel}) and is scored as {@code source-only}; the {@code oracle} fine-tunes it
     * on each target's labelled training crops.
     *
     * @param methods which of {@link #METHODS} to report (source-only is always trained: it is the reference)
     * @param threads render threads
     * @param log     progress: one line per step and per epoch (null for none)
     * @param cache   the source-model cache folder ({@link SourceModelCache}), or null to train without one
     * @throws IllegalArgumentException naming a method other than the baselines
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, int threads, PrintWriter log, java.nio.file.Path cache) throws IOException {
        return run(source, targets, methods, budget, seed, device, threads, log, cache, List.of());
    }

    /**
     * Like {@link #run(DomainSpec, List, List, Budget, long, Device, int, PrintWriter, java.nio.file.Path)}, with
     * the adaptation methods {@code adaptations} among which {@code methods} may name some: each starts from a copy
     * of the source model, per target, after the baselines of every target.
     *
     * @throws IllegalArgumentException naming a method that is neither a baseline nor one of {@code adaptations}
     */
    public static Run run(DomainSpec source, List<DomainSpec> targets, List<String> methods, Budget budget, long seed,
            Device device, int threads, PrintWriter log, java.nio.file.Path cache, List<ImageAdaptation> adaptations)
            throws IOException {
        checkMethods(methods, adaptations);
        SyntheticDomain sourceDomain = generate(source, budget, seed);
        Map<String, List<double[]>> viewpoints = new LinkedHashMap<>();
        viewpoints.put(sourceDomain.spec().name(), DomainGap.viewpoints(sourceDomain.views()));
        List<CrossDatasetBenchmark.Result> results = new ArrayList<>();
        Map<String, ImageDataset> tests = new LinkedHashMap<>();
        Map<String, float[]> predicted2d = new LinkedHashMap<>();
        Map<String, float[]> truth2d = new LinkedHashMap<>();
        Map<String, ImageSamples> testSamples = new LinkedHashMap<>();
        // Every target is made and its test crops chosen before the first epoch: a target whose files or split
        // fail does so before anything trains.
        List<PreparedTarget> prepared = new ArrayList<>();
        for (DomainSpec targetSpec : targets) {
            SyntheticDomain target = generate(targetSpec, budget, seed);
            prepared.add(new PreparedTarget(target, dataset(target, "test", budget.testImages(), budget, seed)));
        }
        ImageDataset sourceTest = dataset(sourceDomain, "test", budget.testImages(), budget, seed);
        float[] meanPose = ImageDataset.of(sourceDomain, "train", new ImageRenderer(source.image(), budget.imageSize()), 1, 0)
                .meanPose3d();
        try (Model sourceModel = Model.newInstance("image-source-only", device)) {
            SourceModelCache.Entry sourceEntry = sourceModel(sourceModel, sourceDomain, budget, seed, threads, log, cache);
            ImagePoseModel sourceNet = sourceEntry.net();
            History sourceHistory = sourceEntry.history();
            // The source's own test subjects: how well the model learnt its domain, beside the mean pose.
            String sourceName = sourceDomain.spec().name();
            say(log, "%s: rendering %d test crops of the source's own test subjects", sourceName, sourceTest.size());
            ImageSamples sourceCrops = sourceTest.cached(threads);
            tests.put(sourceName, sourceTest);
            truth2d.put(sourceName, ImagePoseTraining.targets2d(sourceCrops));
            results.add(evaluate(sourceName, "source-only", sourceNet, sourceTest, sourceCrops, sourceHistory, predicted2d,
                    budget));
            say(log, "%s: source-only %.1f mm MPJPE on its own test subjects", sourceName,
                    results.get(results.size() - 1).summary().mpjpeMm());
            if (methods.contains("mean-pose")) {
                results.add(result(sourceName, "mean-pose", meanPose(meanPose, sourceCrops), sourceTest, sourceCrops,
                        new History(), predicted2d));
            }
            for (PreparedTarget p : prepared) {
                SyntheticDomain target = p.domain();
                String name = target.spec().name();
                viewpoints.put(name, DomainGap.viewpoints(target.views()));
                ImageDataset test = p.test();
                say(log, "%s: rendering %d test crops of %d×%d", name, test.size(), budget.imageSize(), budget.imageSize());
                ImageSamples testCrops = test.cached(threads);
                testSamples.put(name, testCrops);
                tests.put(name, test);
                truth2d.put(name, ImagePoseTraining.targets2d(testCrops));
                results.add(evaluate(name, "source-only", sourceNet, test, testCrops, sourceHistory, predicted2d, budget));
                say(log, "%s: source-only %.1f mm MPJPE", name, results.get(results.size() - 1).summary().mpjpeMm());
                if (methods.contains("mean-pose")) {
                    results.add(result(name, "mean-pose", meanPose(meanPose, testCrops), test, testCrops, new History(),
                            predicted2d));
                }
                if (!methods.contains("oracle")) {
                    continue;
                }
                try (Model oracleModel = Model.newInstance("image-oracle", device)) {
                    ImagePoseModel oracleNet = CrossDatasetBenchmark.copyWeights(sourceNet, new ImagePoseModel(budget.model()),
                            oracleModel, sourceNet.inputShape(budget.batchSize()));
                    History h = ImagePoseTraining.train(oracleModel, trainingCrops(target, budget, seed, threads),
                            budget.oracleTraining(seed), log, "oracle " + name, null);
                    results.add(evaluate(name, "oracle", oracleNet, test, testCrops, h, predicted2d, budget));
                }
                say(log, "%s: oracle %.1f mm MPJPE", name, results.get(results.size() - 1).summary().mpjpeMm());
            }
            // Adaptations after every target's baselines: a failing target stops the run before the long part.
            for (PreparedTarget p : prepared) {
                String name = p.domain().spec().name();
                for (String method : methods) {
                    ImageAdaptation adaptation = ImageAdaptation.find(method, adaptations);
                    if (adaptation == null) {
                        continue;
                    }
                    ImageSamples testCrops = testSamples.get(name);
                    try (Model adapted = Model.newInstance("image-" + method, device)) {
                        CrossDatasetBenchmark.copyWeights(sourceNet, new ImagePoseModel(budget.model()), adapted,
                                sourceNet.inputShape(budget.batchSize()));
                        History h = adaptation.adapt(adapted, sourceDomain, p.domain(), budget, seed, threads, testCrops,
                                log);
                        if (!(adapted.getBlock() instanceof ImagePoseModel net)) {
                            throw new IllegalStateException(method + " left a " + adapted.getBlock().getClass().getSimpleName()
                                    + " where an ImagePoseModel must be");
                        }
                        results.add(evaluate(name, method, net, p.test(), testCrops, h, predicted2d, budget));
                    }
                    say(log, "%s: %s %.1f mm MPJPE", name, method, results.get(results.size() - 1).summary().mpjpeMm());
                }
            }
        }
        // Rows by target (the source first), each target's in the order they ran: the adaptations ran last.
        List<String> order = new ArrayList<>(viewpoints.keySet());
        results.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.target())));
        return new Run(new CrossDatasetBenchmark.Run(results, viewpoints), tests, predicted2d, truth2d);
    }

    /**
     * The shared pretrained source model of {@code sourceDomain} at {@code budget} and {@code seed}, in {@code
     * model}: loaded from {@code cache} when an entry for this spec, budget, seed and code is there, otherwise
     * trained on the domain's fresh training crops (and saved there unless {@code cache} is null). Every image
     * method starts from it.
     */
    public static SourceModelCache.Entry sourceModel(Model model, SyntheticDomain sourceDomain, Budget budget, long seed,
            int threads, PrintWriter log, java.nio.file.Path cache) throws IOException {
        model.setBlock(new ImagePoseModel(budget.model()));
        JsonObject description = new JsonObject();
        description.add("source", com.google.gson.JsonParser.parseString(Domains.toJson(sourceDomain.spec())));
        description.add("budget", budget.describe());
        description.addProperty("seed", seed);
        return SourceModelCache.obtain(cache, model, budget.model(), description, (m, checkpointing) -> {
            say(log, "source-only: training on %d fresh crops of %s per epoch (%d×%d)", budget.trainImages(),
                    sourceDomain.spec().name(), budget.imageSize(), budget.imageSize());
            return ImagePoseTraining.train(m, trainingCrops(sourceDomain, budget, seed, threads), budget.training(seed), log,
                    "source-only", checkpointing);
        }, log);
    }

    /**
     * A domain's training crops: every frame of its training subjects' views, {@code budget.trainImages()} of them
     * drawn and rendered afresh each epoch with the budget's augmentation.
     */
    public static EpochCrops trainingCrops(SyntheticDomain domain, Budget budget, long seed, int threads) {
        return trainingCrops(domain, budget, seed, threads, budget.trainImages());
    }

    /** Like {@link #trainingCrops(SyntheticDomain, Budget, long, int)} with {@code images} crops per epoch. */
    public static EpochCrops trainingCrops(SyntheticDomain domain, Budget budget, long seed, int threads, int images) {
        ImageRenderer renderer = new ImageRenderer(domain.spec().image(), budget.imageSize());
        return ImageDataset.of(domain, "train", renderer, 1, renderSeed(domain, "train", seed))
                .augmented(budget.augmentation()).freshEachEpoch(images, threads);
    }

    private static long renderSeed(SyntheticDomain domain, String split, long seed) {
        return seed * 1_000_003L + (domain.spec().name() + "/" + split).hashCode();
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
        long renderSeed = renderSeed(domain, split, seed);
        int all = ImageDataset.of(domain, split, renderer, 1, renderSeed).size();
        int stride = Math.max(1, all / images);
        ImageDataset data = ImageDataset.of(domain, split, renderer, stride, renderSeed);
        // Each view keeps its first frame, so the count falls in steps; widen the stride until it fits.
        while (data.size() > images && stride < all) {
            data = ImageDataset.of(domain, split, renderer, ++stride, renderSeed);
        }
        return data;
    }

    /**
     * {@code net} scored on {@code test}'s crops ({@code crops}, rendered) as the benchmark scores a method: MPJPE,
     * PA-MPJPE, PCK, AUC and the per-action table, the 3D through each crop's camera with the true root depth.
     */
    public static CrossDatasetBenchmark.Result evaluate(String target, String method, ImagePoseModel net, ImageDataset test,
            ImageSamples crops, History history, Budget budget) {
        return evaluate(target, method, net, test, crops, history, new LinkedHashMap<>(), budget);
    }

    private static CrossDatasetBenchmark.Result evaluate(String target, String method, ImagePoseModel net,
            ImageDataset test, ImageSamples crops, History history, Map<String, float[]> predicted2d, Budget budget) {
        ImagePoseTraining.Prediction p = ImagePoseTraining.predict(net, crops, budget.batchSize());
        return result(target, method, p, test, crops, history, predicted2d);
    }

    private static CrossDatasetBenchmark.Result result(String target, String method, ImagePoseTraining.Prediction p,
            ImageDataset test, ImageSamples crops, History history, Map<String, float[]> predicted2d) {
        var truth = ImagePoseTraining.targets(crops);
        PoseErrors errors = PoseErrors.compute(p.joints3d(), truth, LengthUnit.METRES);
        List<String> labels = test.actions();
        predicted2d.put(target + " " + method, p.joints2d());
        return new CrossDatasetBenchmark.Result(target, method, errors.summary(), ErrorTable.byGroup("action", errors,
                labels), errors, history, p.joints3d(), truth, labels, test.viewpoints());
    }

    /**
     * The source's mean training pose (root-relative, in each camera's frame, over every frame of the training
     * subjects' views; no image is rendered) as the prediction for every crop: the error of a model that has
     * learnt nothing from the image. Its 2D is that pose placed at the true root and projected through the
     * crop's camera.
     */
    static ImagePoseTraining.Prediction meanPose(float[] mean, ImageSamples crops) {
        int n = crops.size();
        int joints = ImageSamples.JOINTS;
        float[] j3 = new float[n * joints * 3];
        float[] j2 = new float[n * joints * 2];
        float[] image = new float[3 * crops.imageSize() * crops.imageSize()];
        float[] truth3 = new float[joints * 3];
        float[] truth2 = new float[joints * 2];
        float[] c = new float[ImageSamples.CAMERA_VALUES];
        for (int i = 0; i < n; i++) {
            crops.fill(i, image, truth3, truth2, c);
            System.arraycopy(mean, 0, j3, i * joints * 3, joints * 3);
            // The root in the camera's frame from its true pixel and depth, then every joint projected.
            double rootX = (truth2[0] - c[2]) * c[4] / c[0];
            double rootY = (truth2[1] - c[3]) * c[4] / c[1];
            for (int j = 0; j < joints; j++) {
                double z = c[4] + mean[3 * j + 2];
                j2[(i * joints + j) * 2] = (float) (c[0] * (rootX + mean[3 * j]) / z + c[2]);
                j2[(i * joints + j) * 2 + 1] = (float) (c[1] * (rootY + mean[3 * j + 1]) / z + c[3]);
            }
        }
        return new ImagePoseTraining.Prediction(PoseArray.of(j3, joints), j2);
    }

    private static void say(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }
}
