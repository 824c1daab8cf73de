package io.github.poseshift.train;

import ai.djl.Model;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A domain-adaptation method on images as the image benchmark runs it ({@link ImageBenchmark}), the image twin of
 * {@link Adaptation}: given a copy of the shared pretrained source model, the source domain and the target domain,
 * it changes the model so it does better on the target, reading no 3D label of the target (a method may read the
 * target's 2D labels where its paper's setting has them, and says so). The benchmark then scores the model's block,
 * which must stay an {@link io.github.poseshift.nn.image.ImagePoseModel}, on the target's test crops. Methods live in
 * {@code method.<paper>} and reach the benchmark through this interface, so the training package never depends on them.
 */
public interface ImageAdaptation {

    /** The method's name in {@code --methods} and in the tables (e.g. {@code yang2018}). */
    String name();

    /**
     * Adapts {@code model} in place.
     *
     * @param model      its block an {@link io.github.poseshift.nn.image.ImagePoseModel} with the source model's weights
     *                   (a method that starts afresh sets a new block)
     * @param source     the source domain (3D-labelled training crops are rendered from it)
     * @param target     the target domain: its training subjects' crops, their images and what the method's setting
     *                   allows of their labels; never a test subject's
     * @param budget     how much to compute
     * @param seed       seed of every draw
     * @param threads    render threads
     * @param validation crops with labels the method may score after every epoch for a learning curve (never to
     *                   choose anything), or null
     * @param log        progress lines (null for none)
     * @return the history of the adaptation's losses ({@code epoch_loss_mm} at least)
     */
    History adapt(Model model, SyntheticDomain source, SyntheticDomain target, ImageBenchmark.Budget budget, long seed,
            int threads, ImageSamples validation, PrintWriter log) throws IOException;

    /** The work of an adaptation method, {@link #adapt}'s signature: what {@link #named} gives a name. */
    @FunctionalInterface
    interface Work {
        /** See {@link ImageAdaptation#adapt}. */
        History adapt(Model model, SyntheticDomain source, SyntheticDomain target, ImageBenchmark.Budget budget, long seed,
                int threads, ImageSamples validation, PrintWriter log) throws IOException;
    }

    /** The method called {@code name} among {@code adaptations}, or null when none is. */
    static ImageAdaptation find(String name, java.util.List<ImageAdaptation> adaptations) {
        return adaptations.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }

    /** The method {@code name} that adapts as {@code work} does. */
    static ImageAdaptation named(String name, Work work) {
        return new ImageAdaptation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public History adapt(Model model, SyntheticDomain source, SyntheticDomain target, ImageBenchmark.Budget budget,
                    long seed, int threads, ImageSamples validation, PrintWriter log) throws IOException {
                return work.adapt(model, source, target, budget, seed, threads, validation, log);
            }
        };
    }
}
