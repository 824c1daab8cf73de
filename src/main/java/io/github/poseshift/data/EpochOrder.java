package io.github.poseshift.data;

import java.util.Random;

/**
 * The draws of one training epoch over n samples: a shuffled order (Fisher–Yates, from the last index
 * down) and, with flip augmentation, a coin per position saying whether that sample is mirrored, all from
 * one seeded generator in that sequence, so an epoch's batches depend on its seed alone.
 *
 * @param order   sample indices in the order the epoch visits them
 * @param flipped whether the sample at each position of {@code order} is mirrored
 */
public record EpochOrder(int[] order, boolean[] flipped) {

    /** Draws the order of {@code samples} samples, then (with {@code flipAugment}) one coin per position. */
    public static EpochOrder draw(int samples, boolean flipAugment, Random rng) {
        int[] order = shuffled(samples, rng);
        boolean[] flips = new boolean[order.length];
        for (int i = 0; i < flips.length; i++) {
            flips[i] = flipAugment && rng.nextBoolean();
        }
        return new EpochOrder(order, flips);
    }

    /**
     * Positions {@code from} … {@code to − 1} of this epoch, a batch: their samples and flips, in order. Positions
     * past the end wrap around to the start, so a smaller set can be cycled beside a larger one.
     *
     * @throws IllegalArgumentException when the range is empty or negative, or the epoch has no samples
     */
    public EpochOrder slice(int from, int to) {
        if (from < 0 || to <= from || order.length == 0) {
            throw new IllegalArgumentException("cannot slice positions " + from + " to " + to + " of an epoch of "
                    + order.length + " samples");
        }
        int[] indices = new int[to - from];
        boolean[] flips = new boolean[to - from];
        for (int k = 0; k < indices.length; k++) {
            indices[k] = order[(from + k) % order.length];
            flips[k] = flipped[(from + k) % order.length];
        }
        return new EpochOrder(indices, flips);
    }

    /** 0 … n−1 in a random order (Fisher–Yates from the last index down, every draw from {@code rng}). */
    public static int[] shuffled(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
