package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import io.github.poseshift.data.PoseDataset;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The training loop every adversarial adaptation shares (AdaptPose and PoseDA over pose windows, Yang et al. over
 * rendered crops: the batch type is the game's): a {@link Game} says which networks it trains beside the lifter
 * (the network it adapts: a temporal lifter or an image model) and what one step does; the loop owns the rest —
 * <ul>
 *   <li>the models and trainers of the game's networks (Adam at the GAN rate, gradients clipped,
 *       {@link AdversarialSteps#trainer}) and of the lifter (VideoPose3D's Adam, its rate following the training's
 *       schedule), created, initialised and closed in one place;</li>
 *   <li>seeds: the engine's generator (dropout) is seeded at the start of the run and of every epoch, and each
 *       epoch's batches and the game's draws come from a {@link Random} seeded from the run's seed and the
 *       epoch, never from whatever ran before in the JVM; noise for a generator comes from that
 *       {@link Random} too ({@link Step#gaussian}), not from the engine;</li>
 *   <li>the pools of generated samples the discriminators learn from ({@link SamplePool}), each seeded;</li>
 *   <li>guarded optimiser steps ({@link Step#stepGenerator}, {@link Step#stepDiscriminator}, via
 *       {@link AdversarialSteps#stepIfFinite}) with the skipped ones counted;</li>
 *   <li>a typed per-epoch {@link LossMeter}: one rule for every discriminator, whose loss averages over the
 *       steps its update actually ran;</li>
 *   <li>the history ({@code epoch_loss_mm} and the game's series per epoch) and one log line per epoch.</li>
 * </ul>
 */
public final class AdversarialLoop {

    /** The lifter's mean training MPJPE over the epoch, mm. */
    public static final String LIFTER_LOSS = "epoch_loss_mm";
    /** Generator steps skipped for non-finite gradients in the epoch. */
    public static final String SKIPPED_GENERATOR = "skipped_generator_steps";
    /** Discriminator updates skipped for a non-finite loss or gradients in the epoch. */
    public static final String SKIPPED_DISCRIMINATOR = "skipped_discriminator_steps";

    /**
     * A network the game trains beside the lifter.
     *
     * @param name        its name in {@link Step#trainer} and in error messages
     * @param block       the network
     * @param inputShapes the shapes it is initialised with
     */
    public record Network(String name, Block block, Shape... inputShapes) {}

    /** A pool of generated samples ({@link SamplePool}): its name and its rows' length. */
    public record Pool(String name, int rowLength) {}

    /**
     * The loop's settings.
     *
     * @param name            the method's name at the start of each log line
     * @param seedSalt        mixed into every seed, so two methods run with one seed draw differently
     * @param ganLearningRate Adam's rate for the game's networks
     * @param poolSize        capacity of each pool
     */
    public record Settings(String name, long seedSalt, float ganLearningRate, int poolSize) {}

    /**
     * The source's batches, epoch by epoch, whatever a batch holds: a {@link PoseDataset}'s windows ({@link
     * #windows}) or rendered crops (the image methods).
     *
     * @param <B> a batch
     */
    public interface Batches<B> {

        /** Samples per epoch. */
        int size();

        /** The shape the lifter (the network the game adapts) is initialised with for {@code batch} samples. */
        Shape lifterInput(int batch);

        /** Epoch {@code epoch}'s (1-based) batches in order, every draw from {@code rng}. */
        Iterable<B> epoch(int epoch, int batchSize, boolean flipAugment, Random rng);
    }

    /** A pose dataset's shuffled windows, as {@link PoseDataset#batches(int, boolean, Random)} draws them. */
    public static Batches<PoseDataset.Batch> windows(PoseDataset source) {
        return new Batches<>() {
            @Override
            public int size() {
                return source.size();
            }

            @Override
            public Shape lifterInput(int batch) {
                return new Shape(batch, source.config().receptiveField(), source.skeleton().numJoints() * 2L);
            }

            @Override
            public Iterable<PoseDataset.Batch> epoch(int epoch, int batchSize, boolean flipAugment, Random rng) {
                return source.batches(batchSize, flipAugment, rng);
            }
        };
    }

    /**
     * What a method brings to the loop: its networks and its step.
     *
     * @param <B> the source's batch
     */
    public interface Game<B> {

        /** The networks to train beside the lifter (none for a method without adversarial part). */
        List<Network> networks(int batch);

        /** The pools of generated samples. */
        List<Pool> pools();

        /** The game's series, in the order the history records them after {@link #LIFTER_LOSS}. */
        List<LossMeter.Series> series();

        /** One step on {@code step.batch()}; it must step the lifter once ({@link Step#stepLifter}). */
        void step(Step<B> step);

        /** The game's part of an epoch's log line (after the lifter's loss), from the epoch's values. */
        String summary(LossMeter epoch);

        /** Called once the networks are initialised, before the first epoch (a probe's first snapshot). */
        default void started(Block lifter, Device device) {}

        /** Called after every epoch (a probe's snapshot). */
        default void epochEnded(int epoch, Block lifter, Device device) {}
    }

    private AdversarialLoop() {}

    /** {@link #run(Model, Batches, LifterTraining.Config, Settings, Game, PrintWriter)} over a pose dataset's windows. */
    public static History run(Model lifter, PoseDataset source, LifterTraining.Config training, Settings settings,
            Game<PoseDataset.Batch> game, PrintWriter log) {
        return run(lifter, windows(source), training, settings, game, log);
    }

    /**
     * Runs {@code game} for {@code training}'s epochs over {@code source}'s batches, changing {@code lifter} in place.
     * The lifter's rate follows {@code training}'s schedule ({@link LifterTraining.Config#rate}), set every step.
     *
     * @param log one line per epoch (null for none)
     * @return the history: {@link #LIFTER_LOSS}, the game's series, and the skipped steps when the game has networks
     */
    public static <B> History run(Model lifter, Batches<B> source, LifterTraining.Config training, Settings settings,
            Game<B> game, PrintWriter log) {
        Device device = lifter.getNDManager().getDevice();
        long seed = training.seed();
        Engine.getInstance().setRandomSeed(seed(seed, settings.seedSalt(), 0));
        int batch = training.batchSize();
        List<Network> networks = game.networks(batch);
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        History history = new History();
        try {
            Map<String, Model> models = new LinkedHashMap<>();
            for (Network n : networks) {
                Model m = Model.newInstance(settings.name() + "-" + n.name(), device);
                opened.push(m);
                m.setBlock(n.block());
                if (models.put(n.name(), m) != null) {
                    throw new IllegalArgumentException("two networks of " + settings.name() + " are called " + n.name());
                }
            }
            ResumableAdam lifterAdam = ResumableAdam.create(training.learningRate(), training.clipGradient());
            Map<String, Trainer> trainers = new LinkedHashMap<>();
            for (Network n : networks) {
                Trainer t = AdversarialSteps.trainer(models.get(n.name()), settings.ganLearningRate(), device);
                opened.push(t);
                trainers.put(n.name(), t);
            }
            Trainer lifterTrainer = AdversarialSteps.lifterTrainer(lifter, lifterAdam, device);
            opened.push(lifterTrainer);
            for (Network n : networks) {
                trainers.get(n.name()).initialize(n.inputShapes());
            }
            lifterTrainer.initialize(source.lifterInput(batch));
            Map<String, SamplePool> pools = new LinkedHashMap<>();
            List<Pool> declared = game.pools();
            for (int i = 0; i < declared.size(); i++) {
                pools.put(declared.get(i).name(), new SamplePool(settings.poolSize(), declared.get(i).rowLength(),
                        seed(seed, settings.seedSalt(), -1 - i)));
            }
            List<LossMeter.Series> series = new ArrayList<>();
            series.add(LossMeter.Series.mean(LIFTER_LOSS));
            series.addAll(game.series());
            if (!networks.isEmpty()) {
                series.add(LossMeter.Series.total(SKIPPED_GENERATOR));
                series.add(LossMeter.Series.total(SKIPPED_DISCRIMINATOR));
            }
            Map<String, Block> blocks = new LinkedHashMap<>();
            networks.forEach(n -> blocks.put(n.name(), n.block()));
            game.started(lifter.getBlock(), device);
            int index = 0;
            int totalSteps = training.epochs() * ((source.size() + batch - 1) / batch);
            for (int epoch = 1; epoch <= training.epochs(); epoch++) {
                Engine.getInstance().setRandomSeed(seed(seed, settings.seedSalt(), epoch));
                Random rng = new Random(seed(seed, settings.seedSalt(), epoch));
                LossMeter meter = new LossMeter(series);
                for (B b : source.epoch(epoch, batch, training.flipAugment(), rng)) {
                    // Per epoch under the epoch decay (VideoPose3D's), per step under warm-up + cosine.
                    lifterAdam.setLearningRate(training.rate(epoch, index, totalSteps));
                    try (NDManager scope = lifterTrainer.getManager().newSubManager()) {
                        game.step(new Step<>(scope, b, rng, index, epoch, meter, trainers, blocks, lifterTrainer, pools));
                    }
                    index++;
                }
                meter.recordInto(history, index, epoch);
                if (log != null) {
                    log.printf(Locale.ROOT, "%s epoch %d/%d  lifter %.1f mm%s%n", settings.name(), epoch,
                            training.epochs(), meter.value(LIFTER_LOSS), game.summary(meter));
                    if (!networks.isEmpty() && meter.value(SKIPPED_GENERATOR) + meter.value(SKIPPED_DISCRIMINATOR) > 0) {
                        log.printf(Locale.ROOT, "%s epoch %d: %.0f generator and %.0f discriminator steps skipped"
                                + " (non-finite gradients)%n", settings.name(), epoch, meter.value(SKIPPED_GENERATOR),
                                meter.value(SKIPPED_DISCRIMINATOR));
                    }
                    log.flush();
                }
                game.epochEnded(epoch, lifter.getBlock(), device);
            }
        } catch (RuntimeException | Error e) {
            // The training's failure is what the caller must see; a failure to close comes with it, suppressed.
            try {
                closeAll(opened);
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        closeAll(opened);
        return history;
    }

    /** Closes trainers before models, the last opened first; the first failure is thrown after all are closed. */
    private static void closeAll(Deque<AutoCloseable> opened) {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing a model or trainer of an adversarial loop failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The seed of {@code epoch} (0: the run's start; negative: a pool) for a run seeded {@code seed}. */
    static int seed(long seed, long salt, int epoch) {
        return (int) new SplittableRandom(seed * 1_000_003L + salt + epoch).nextLong();
    }

    /** Parameters a {@link Step#freeze} froze; closing thaws exactly them. */
    public static final class Frozen implements AutoCloseable {
        private final List<Parameter> parameters;

        private Frozen(List<Parameter> parameters) {
            this.parameters = parameters;
        }

        @Override
        public void close() {
            AdversarialSteps.thaw(parameters);
        }
    }

    /**
     * One step's view of the loop: its batch and draws, the networks and their guarded steps, the meter.
     *
     * @param <B> the source's batch
     */
    public static final class Step<B> {
        private final NDManager scope;
        private final B batch;
        private final Random rng;
        private final int index;
        private final int epoch;
        private final LossMeter meter;
        private final Map<String, Trainer> trainers;
        private final Map<String, Block> blocks;
        private final Trainer lifterTrainer;
        private final Map<String, SamplePool> pools;

        private Step(NDManager scope, B batch, Random rng, int index, int epoch, LossMeter meter,
                Map<String, Trainer> trainers, Map<String, Block> blocks, Trainer lifterTrainer,
                Map<String, SamplePool> pools) {
            this.scope = scope;
            this.batch = batch;
            this.rng = rng;
            this.index = index;
            this.epoch = epoch;
            this.meter = meter;
            this.trainers = trainers;
            this.blocks = blocks;
            this.lifterTrainer = lifterTrainer;
            this.pools = pools;
        }

        /** The step's arrays live here and are freed when the step ends. */
        public NDManager scope() {
            return scope;
        }

        /** The source batch. */
        public B batch() {
            return batch;
        }

        /** The epoch's seeded generator: every draw of the step comes from it. */
        public Random rng() {
            return rng;
        }

        /** The step's index over the whole run, from 0. */
        public int index() {
            return index;
        }

        /** The epoch, from 1. */
        public int epoch() {
            return epoch;
        }

        /** The epoch's meter. */
        public LossMeter meter() {
            return meter;
        }

        /** Standard normal noise of {@code shape} drawn from {@link #rng()}, in {@link #scope()}. */
        public NDArray gaussian(Shape shape) {
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rng.nextGaussian();
            }
            return scope.create(values, shape);
        }

        /** The trainer of network {@code name}. */
        public Trainer trainer(String name) {
            Trainer t = trainers.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no network '" + name + "'; networks: " + trainers.keySet());
            }
            return t;
        }

        /** The lifter's trainer. */
        public Trainer lifterTrainer() {
            return lifterTrainer;
        }

        /** The lifter. */
        public Block lifter() {
            return lifterTrainer.getModel().getBlock();
        }

        /** The pool {@code name}. */
        public SamplePool pool(String name) {
            SamplePool p = pools.get(name);
            if (p == null) {
                throw new IllegalArgumentException("no pool '" + name + "'; pools: " + pools.keySet());
            }
            return p;
        }

        /**
         * Freezes the trainable parameters of the networks {@code names} (and of the lifter when {@code lifter}),
         * so a step of another network leaves them and their gradients alone; closing thaws exactly them.
         */
        public Frozen freeze(boolean lifter, String... names) {
            List<Parameter> frozen = new ArrayList<>();
            for (String name : names) {
                trainer(name);
                frozen.addAll(AdversarialSteps.freezeTrainable(blocks.get(name)));
            }
            if (lifter) {
                frozen.addAll(AdversarialSteps.freezeTrainable(lifter()));
            }
            return new Frozen(frozen);
        }

        /** Steps generator {@code name} if its gradients are finite; a skipped step is counted. */
        public boolean stepGenerator(String name) {
            boolean stepped = AdversarialSteps.stepIfFinite(trainer(name), blocks.get(name));
            meter.add(SKIPPED_GENERATOR, stepped ? 0 : 1);
            return stepped;
        }

        /**
         * Steps discriminator {@code name} if its loss and gradients are finite, and only then adds {@code loss} to
         * {@code series} (the one rule for every discriminator's loss: the mean over the updates it made); a
         * skipped update is counted and its gradients zeroed.
         */
        public boolean stepDiscriminator(String name, String series, float loss) {
            boolean stepped = Float.isFinite(loss) && AdversarialSteps.stepIfFinite(trainer(name), blocks.get(name));
            if (!stepped) {
                AdversarialSteps.zeroGradients(blocks.get(name));
            }
            meter.add(SKIPPED_DISCRIMINATOR, stepped ? 0 : 1);
            if (stepped) {
                meter.add(series, loss);
            }
            return stepped;
        }

        /** Steps the lifter and adds its loss (mm) to {@link #LIFTER_LOSS}. */
        public void stepLifter(float lossMm) {
            lifterTrainer.step();
            meter.add(LIFTER_LOSS, lossMm);
        }
    }
}
