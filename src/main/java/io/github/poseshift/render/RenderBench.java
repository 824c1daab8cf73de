package io.github.poseshift.render;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rendering throughput, for {@code poseshift bench}: images per second of {@link ImageDataset#samples} over
 * the four preset domains in turn (small versions: 2 subjects, 40 frames per sequence), every label included
 * (mask, parts, depth, 17 heatmaps, visibility), nothing written to disk. As many untimed images as timed ones
 * come first, so that the JIT has compiled the loops before the clock starts (a shorter warm-up read a third low
 * on a JVM's first measurement: {@code bench/README.md}).
 */
public final class RenderBench {

    private RenderBench() {}

    /** The datasets the measurement renders from, one per preset, at {@code size}. */
    public static List<ImageDataset> presetDatasets(int size, long seed) throws IOException {
        List<ImageDataset> out = new ArrayList<>();
        for (String name : Domains.PRESETS) {
            DomainSpec spec = Domains.resized(Domains.preset(name), 2, 40);
            out.add(ImageDataset.of(SyntheticDomain.generate(spec, seed), "all", new ImageRenderer(spec.image(), size), 1,
                    seed));
        }
        return out;
    }

    /**
     * Images per second rendering {@code images} images (split evenly over the presets) on {@code threads}
     * threads.
     *
     * @throws IllegalArgumentException when images or threads is below 1
     */
    public static double imagesPerSecond(List<ImageDataset> datasets, int images, int threads) {
        if (images < 1 || threads < 1) {
            throw new IllegalArgumentException("need at least one image and one thread, got " + images + " and " + threads);
        }
        renderAll(datasets, Math.max(datasets.size(), images), threads);
        long start = System.nanoTime();
        int done = renderAll(datasets, images, threads);
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static int renderAll(List<ImageDataset> datasets, int images, int threads) {
        int per = Math.max(1, images / datasets.size());
        int done = 0;
        for (ImageDataset d : datasets) {
            int[] indices = new int[per];
            for (int k = 0; k < per; k++) {
                indices[k] = (int) ((long) k * d.size() / per);
            }
            done += d.samples(indices, threads).length;
        }
        return done;
    }
}
