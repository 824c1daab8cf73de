package io.github.poseshift.train;

import ai.djl.Model;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A domain-adaptation method as the benchmark runs it: given a copy of the source-only lifter, the source's
 * training windows and the target domain, it changes the lifter so it does better on the target, using no
 * 3D label of the target. The benchmark then scores the model's block on the target's test subjects like the
 * baselines: the adapted lifter, or — for a method that adds a network after it, as AHuP's SPA head — the
 * block the method set in its place, which must take the lifter's input and give its output.
 * Methods live in {@code method.<paper>} and reach the benchmark through this interface, so the training
 * package never depends on them.
 */
public interface Adaptation {

    /** The method's name in {@code --methods} and in the tables (e.g. {@code adaptpose}). */
    String name();

    /**
     * Adapts {@code lifter} in place: changes its weights, or sets a block that wraps the lifter as the model's
     * block (which a checkpoint can store only when {@link BaselineTraining} knows its kind).
     *
     * @param lifter      a {@link io.github.poseshift.nn.TemporalConvNet} with the source-only lifter's weights
     * @param sourceTrain the source's training windows (2D inputs, 3D labels)
     * @param target      the target domain; only its training subjects' 2D keypoints and cameras' intrinsics
     *                    may be used, and, by a method that assumes the target's body proportions known (AHuP's
     *                    SPA), the mean skeleton descriptor of its training subjects' 3D poses — never a test
     *                    subject's pose
     * @param targetSpec  the target's specification at the budget's size (its split names the subjects)
     * @param budget      how much to compute
     * @param seed        seed of every draw
     * @param log         progress lines (null for none)
     * @return the history of the adaptation's losses ({@code epoch_loss_mm} for the lifter at least)
     */
    History adapt(Model lifter, PoseDataset sourceTrain, SyntheticDomain target, DomainSpec targetSpec,
            CrossDatasetBenchmark.Budget budget, long seed, PrintWriter log) throws IOException;

    /** The work of an adaptation method, {@link #adapt}'s signature: what {@link #named} gives a name. */
    @FunctionalInterface
    interface Work {
        /** See {@link Adaptation#adapt}. */
        History adapt(Model lifter, PoseDataset sourceTrain, SyntheticDomain target, DomainSpec targetSpec,
                CrossDatasetBenchmark.Budget budget, long seed, PrintWriter log) throws IOException;
    }

    /** The method {@code name} that adapts as {@code work} does. */
    static Adaptation named(String name, Work work) {
        return new Adaptation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public History adapt(Model lifter, PoseDataset sourceTrain, SyntheticDomain target, DomainSpec targetSpec,
                    CrossDatasetBenchmark.Budget budget, long seed, PrintWriter log) throws IOException {
                return work.adapt(lifter, sourceTrain, target, targetSpec, budget, seed, log);
            }
        };
    }

    /**
     * The target's training windows as an adaptation may read them (their 2D inputs and cameras), cut like the
     * source's: the subjects {@code targetSpec}'s split trains on.
     */
    static PoseDataset targetTrainWindows(SyntheticDomain target, DomainSpec targetSpec, PoseDataset sourceTrain) {
        return PoseDataset.of(target.views(), targetSpec.split().trainSubjects(), sourceTrain.config());
    }
}
