package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.nn.ahup.SpaLifter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One method of the {@link CrossDatasetBenchmark} trained into a checkpoint folder — a baseline, source-only
 * (the source's training subjects), target-only (the target's) or oracle (both: {@link
 * CrossDatasetBenchmark#trainingWindows}), or an {@link Adaptation} of a source-only lifter — and any such
 * checkpoint scored on a domain.
 * The checkpoint's {@code info} records the method, domains, budget, seed and window rate, so scoring it
 * later rebuilds exactly the data it was trained and tested on.
 */
public final class BaselineTraining {

    /** The checkpoint kind of the benchmark's temporal lifter. */
    public static final String KIND = "tcn";

    /**
     * What a training job produced.
     *
     * @param epochsDone epochs in the checkpoint
     * @param finished   whether all the asked epochs are done (false when stopped early to resume later)
     * @param result     the score on the target's test subjects, when finished
     */
    public record Outcome(int epochsDone, boolean finished, CrossDatasetBenchmark.Result result) {}

    private BaselineTraining() {}

    /**
     * Trains {@code method} ({@code source-only}, {@code target-only} or {@code oracle}) with {@code budget}, checkpointing
     * every epoch into {@code folder}, and when finished scores it on the target's test subjects. The oracle, like
     * the benchmark's, continues a source-only lifter trained first into {@code folder/source-only}.
     *
     * @param epochs    epochs to train, or 0 for the budget's
     * @param resume    continue from the checkpoint in {@code folder}
     * @param stopAfter stop after this epoch (0: run to the end)
     */
    public static Outcome train(String method, DomainSpec source, DomainSpec target, CrossDatasetBenchmark.Budget budget,
            int epochs, long seed, Device device, Path folder, boolean resume, int stopAfter, PrintWriter log)
            throws IOException {
        return train(method, source, target, budget, null, epochs, seed, device, folder, resume, stopAfter, log);
    }

    /**
     * Like {@link #train(String, DomainSpec, DomainSpec, CrossDatasetBenchmark.Budget, int, long, Device, Path,
     * boolean, int, PrintWriter)}, with the oracle's source-only lifter the checkpoint {@code init} when given (from
     * {@code train --method source-only} with the same budget and source); else it is trained first into {@code
     * folder/source-only}, {@code epochs}, {@code resume} and {@code stopAfter} applying to both stages.
     *
     * @param init the oracle's source-only checkpoint, or null; only the oracle takes one
     * @throws FormatException when {@code init} is not a source-only lifter of this source and budget
     */
    public static Outcome train(String method, DomainSpec source, DomainSpec target, CrossDatasetBenchmark.Budget budget,
            Path init, int epochs, long seed, Device device, Path folder, boolean resume, int stopAfter, PrintWriter log)
            throws IOException {
        if (!CrossDatasetBenchmark.BASELINES.contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; available: "
                    + String.join(", ", CrossDatasetBenchmark.BASELINES));
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be positive (or 0 for the budget's), got " + epochs);
        }
        boolean oracle = method.equals("oracle");
        if (init != null && !oracle) {
            throw new IllegalArgumentException("only the oracle and adaptation methods start from a source-only lifter; "
                    + method + " trains from scratch");
        }
        DomainSpec src = budget.apply(source);
        DomainSpec tgt = budget.apply(target);
        double fps = src.motion().fps();
        // The target decides what the lifter does to its 2D (DomainSpec#lifterInput), as in the benchmark.
        TemporalConvNet.Config net = budget.network(target);
        LifterTraining.Config training = budget.training(seed);
        if (epochs > 0) {
            training = training.withEpochs(epochs);
        }
        JsonObject info = info(method, src, tgt, budget, seed, fps);
        Path sourceOnly = oracle ? (init != null ? init : folder.resolve("source-only")) : null;
        if (oracle) {
            info.addProperty("source_only_checkpoint", sourceOnly.toString());
        }
        LifterTraining.Checkpointing checkpointing = new LifterTraining.Checkpointing(folder, KIND, net, info, resume,
                stopAfter);
        // Before the data is made: a checkpoint of another run in the folder is named at once.
        LifterTraining.checkResume(checkpointing, training);
        if (oracle && init == null) {
            Outcome first = train("source-only", source, target, budget, null, epochs, seed, device, sourceOnly, resume,
                    stopAfter, log);
            if (!first.finished()) {
                return first;
            }
        }
        if (oracle) {
            checkSourceOnly(sourceOnly, src, budget);
        }
        // Only the domains the baseline learns from are made before training; the target is scored at the end.
        PoseDataset sourceTrain = method.equals("target-only") ? null : PoseDataset.of(
                CrossDatasetBenchmark.generate(source, budget, seed).views(), src.split().trainSubjects(),
                budget.trainWindows(fps));
        SyntheticDomain targetDomain = method.equals("source-only") ? null
                : CrossDatasetBenchmark.generate(target, budget, seed);
        PoseDataset targetTrain = targetDomain == null ? null : PoseDataset.of(targetDomain.views(),
                tgt.split().trainSubjects(), budget.trainWindows(fps));
        PoseDataset trainSet = CrossDatasetBenchmark.trainingWindows(method, sourceTrain, targetTrain);
        say(log, "%s: training on %s, windows of %d frames, %scheckpoints in %s", method,
                CrossDatasetBenchmark.describe(method, src.name(), sourceTrain, tgt.name(), targetTrain),
                net.receptiveField(), oracle ? "from the source-only lifter " + sourceOnly + ", " : "", folder);
        TemporalConvNet lifter = new TemporalConvNet(net);
        try (Model model = Model.newInstance(method, device)) {
            model.setBlock(lifter);
            if (oracle && !Checkpoint.exists(folder)) {
                // A resumed oracle loads its own checkpoint instead.
                Checkpoint.loadInto(sourceOnly, KIND, net, lifter, model.getNDManager(),
                        new Shape(budget.batchSize(), net.receptiveField(), net.joints() * 2L));
                // Loaded arrays come without gradients; training needs them on every trainable parameter.
                lifter.getParameters().values().forEach(p -> p.freeze(!p.requiresGradient()));
            }
            History history = LifterTraining.train(model, trainSet, training, log, method, checkpointing);
            int done = Checkpoint.meta(folder).epochs();
            if (done < training.epochs()) {
                return new Outcome(done, false, null);
            }
            if (targetDomain == null) {
                targetDomain = CrossDatasetBenchmark.generate(target, budget, seed);
            }
            PoseDataset test = PoseDataset.of(targetDomain.views(), tgt.split().testSubjects(), budget.testWindows(fps));
            return new Outcome(done, true, CrossDatasetBenchmark.evaluate(tgt.name(), method, lifter, test, history));
        }
    }

    /**
     * Checks that {@code folder} holds a source-only lifter of {@code src} at {@code budget}.
     *
     * @throws FormatException naming the checkpoint's file and what differs
     */
    private static void checkSourceOnly(Path folder, DomainSpec src, CrossDatasetBenchmark.Budget budget)
            throws IOException {
        Checkpoint.Meta meta = Checkpoint.meta(folder);
        String metaFile = folder.resolve(Checkpoint.META_FILE).toString();
        for (String[] wanted : new String[][] {{"method", "source-only"}, {"source", src.name()}, {"budget", budget.name()}}) {
            if (!meta.info().has(wanted[0]) || !meta.info().get(wanted[0]).getAsString().equals(wanted[1])) {
                throw new FormatException(metaFile, "is not a source-only lifter of " + src.name() + " at budget "
                        + budget.name() + ": its " + wanted[0] + " is " + meta.info().get(wanted[0])
                        + " (train one with: poseshift train --method source-only --budget " + budget.name() + ")");
            }
        }
    }

    /**
     * Adapts a source-only lifter to {@code target} with {@code adaptation} and saves the adapted lifter into
     * {@code folder}, then scores it on the target's test subjects. The source-only lifter is the checkpoint
     * {@code init} when given (from {@code train --method source-only} with the same budget and source), else
     * it is trained first into {@code folder/source-only} with {@code epochs}, {@code resume} and {@code
     * stopAfter} applying to that stage, which is the long one. The adaptation itself runs in one go.
     *
     * @return the outcome; not finished when the source-only stage stopped early
     * @throws io.github.poseshift.data.io.FormatException when {@code folder} already holds an adapted lifter
     *         (nothing is overwritten) or {@code init} is not a source-only lifter of this source and budget
     */
    public static Outcome adapt(Adaptation adaptation, DomainSpec source, DomainSpec target,
            CrossDatasetBenchmark.Budget budget, Path init, int epochs, long seed, Device device, Path folder,
            boolean resume, int stopAfter, PrintWriter log) throws IOException {
        if (Checkpoint.exists(folder)) {
            throw new FormatException(folder.toString(), "already holds an adapted lifter ("
                    + Checkpoint.meta(folder).info().get("method") + "); choose another folder (nothing was overwritten)");
        }
        Path sourceOnly = init;
        if (sourceOnly == null) {
            sourceOnly = folder.resolve("source-only");
            Outcome first = train("source-only", source, target, budget, epochs, seed, device, sourceOnly, resume,
                    stopAfter, log);
            if (!first.finished()) {
                return first;
            }
        }
        DomainSpec src = budget.apply(source);
        DomainSpec tgt = budget.apply(target);
        checkSourceOnly(sourceOnly, src, budget);
        double fps = src.motion().fps();
        // The target decides what the lifter does to its 2D (DomainSpec#lifterInput), as in the benchmark.
        TemporalConvNet.Config net = budget.network(target);
        PoseDataset sourceTrain = PoseDataset.of(CrossDatasetBenchmark.generate(source, budget, seed).views(),
                src.split().trainSubjects(), budget.trainWindows(fps));
        SyntheticDomain targetDomain = CrossDatasetBenchmark.generate(target, budget, seed);
        PoseDataset test = PoseDataset.of(targetDomain.views(), tgt.split().testSubjects(), budget.testWindows(fps));
        try (Model model = Model.newInstance(adaptation.name(), device)) {
            TemporalConvNet lifter = new TemporalConvNet(net);
            model.setBlock(lifter);
            Checkpoint.loadInto(sourceOnly, KIND, net, lifter, model.getNDManager(),
                    new Shape(budget.batchSize(), net.receptiveField(), net.joints() * 2L));
            // Loaded arrays come without gradients; the adaptation trains every trainable parameter.
            lifter.getParameters().values().forEach(p -> p.freeze(!p.requiresGradient()));
            double before = CrossDatasetBenchmark.evaluate(tgt.name(), "source-only", lifter, test,
                    Checkpoint.history(sourceOnly)).summary().mpjpeMm();
            say(log, "%s: adapting the source-only lifter %s (%.1f mm MPJPE on %s's test subjects) to %s",
                    adaptation.name(), sourceOnly, before, tgt.name(), tgt.name());
            History history = adaptation.adapt(model, sourceTrain, targetDomain, tgt, budget, seed, log);
            JsonObject info = info(adaptation.name(), src, tgt, budget, seed, fps);
            info.addProperty("source_only_checkpoint", sourceOnly.toString());
            int adaptedEpochs = history.series("epoch_loss_mm").size();
            Block adapted = model.getBlock();
            if (adapted == lifter) {
                Checkpoint.save(folder, KIND, net, lifter, history, adaptedEpochs, info, null);
            } else if (adapted instanceof SpaLifter refined) {
                Checkpoint.save(folder, SpaLifter.KIND, refined.config(), refined, history, adaptedEpochs, info, null);
            } else {
                // Saving only the lifter would silently drop whatever the method put around it.
                throw new IllegalStateException(adaptation.name() + " left a " + adapted.getClass().getSimpleName()
                        + " in the model, which a checkpoint cannot describe (kinds: " + KIND + ", " + SpaLifter.KIND
                        + ")");
            }
            return new Outcome(adaptedEpochs, true, CrossDatasetBenchmark.evaluate(tgt.name(), adaptation.name(), adapted,
                    test, history));
        }
    }

    /**
     * Scores the lifter in checkpoint {@code folder} (with its SPA head when it has one, kind {@value
     * SpaLifter#KIND}) on {@code domain}, generated at the budget and seed
     * the checkpoint was trained with unless {@code budgetName} or {@code seed} say otherwise, over the
     * windows of the {@code split} subjects ({@code test}, {@code train} or {@code all}) at the
     * checkpoint's frame rate.
     */
    public static CrossDatasetBenchmark.Result evaluate(Path folder, DomainSpec domain, String budgetName, Long seed,
            String split, Device device) throws IOException {
        Checkpoint.Meta meta = Checkpoint.meta(folder);
        String metaFile = folder.resolve(Checkpoint.META_FILE).toString();
        if (!meta.kind().equals(KIND) && !meta.kind().equals(SpaLifter.KIND)) {
            throw new FormatException(metaFile, "holds a '" + meta.kind() + "' model; only '" + KIND + "' lifters (train,"
                    + " benchmark) and '" + SpaLifter.KIND + "' lifters with AHuP's SPA head can be scored on a domain");
        }
        Record config;
        TemporalConvNet.Config net;
        if (meta.kind().equals(KIND)) {
            net = Checkpoint.config(folder, meta, TemporalConvNet.Config.class);
            config = net;
        } else {
            SpaLifter.Config refined = Checkpoint.config(folder, meta, SpaLifter.Config.class);
            net = refined.lifter();
            config = refined;
        }
        if (net == null) {
            throw new FormatException(metaFile, "invalid " + meta.kind() + " configuration: no lifter configuration");
        }
        CrossDatasetBenchmark.Budget budget = CrossDatasetBenchmark.Budget.byName(
                budgetName != null ? budgetName : infoString(meta, "budget", metaFile));
        long domainSeed = seed != null ? seed : infoNumber(meta, "seed", metaFile).longValue();
        double fps = infoNumber(meta, "fps", metaFile).doubleValue();
        int stride = meta.info().has("test_stride") ? meta.info().get("test_stride").getAsInt() : budget.testStride();
        DomainSpec spec = budget.apply(domain);
        List<String> subjects = spec.split().subjects(split.toLowerCase(Locale.ROOT));
        SyntheticDomain data = CrossDatasetBenchmark.generate(domain, budget, domainSeed);
        PoseDataset windows = PoseDataset.of(data.views(), subjects, new PoseDataset.Config(net.receptiveField(), stride, fps));
        Block lifter = config instanceof SpaLifter.Config refined ? new SpaLifter(refined) : new TemporalConvNet(net);
        try (Model model = Model.newInstance("checkpoint", device)) {
            model.setBlock(lifter);
            Checkpoint.loadInto(folder, meta.kind(), config, lifter, model.getNDManager(),
                    new Shape(1, net.receptiveField(), net.joints() * 2L));
            String method = meta.info().has("method") ? meta.info().get("method").getAsString() : folder.toString();
            return CrossDatasetBenchmark.evaluate(spec.name(), method, lifter, windows, Checkpoint.history(folder));
        }
    }

    /**
     * What a checkpoint records of its run, so that {@link #evaluate} rebuilds the same data: method, domains,
     * budget, seed, window rate and test stride.
     */
    private static JsonObject info(String method, DomainSpec source, DomainSpec target, CrossDatasetBenchmark.Budget budget,
            long seed, double fps) {
        JsonObject info = new JsonObject();
        info.addProperty("method", method);
        info.addProperty("source", source.name());
        info.addProperty("target", target.name());
        info.addProperty("budget", budget.name());
        info.addProperty("seed", seed);
        info.addProperty("fps", fps);
        info.addProperty("test_stride", budget.testStride());
        return info;
    }

    private static String infoString(Checkpoint.Meta meta, String key, String file) throws FormatException {
        JsonElement e = meta.info().get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new FormatException(file, "info has no '" + key + "'; pass it on the command line");
        }
        return e.getAsString();
    }

    private static Number infoNumber(Checkpoint.Meta meta, String key, String file) throws FormatException {
        JsonElement e = meta.info().get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new FormatException(file, "info has no number '" + key + "'");
        }
        return e.getAsNumber();
    }

    private static void say(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }
}
