package io.github.poseshift.train;

import java.util.Arrays;
import java.util.Random;

/**
 * The history of generated samples the discriminators learn from (Shrivastava et al., CVPR 2017, sec. 2.3;
 * AdaptPose keeps 4096): until the pool is full every new sample goes in and through; afterwards each new
 * sample, with probability ½, takes the place of a random stored one, which the discriminator sees instead.
 * A discriminator that also sees older generations cannot chase only the generator's latest move, which
 * damps the oscillation of adversarial training.
 *
 * <p>Samples are rows of {@code rowLength} floats (a centre-frame 2D pose, a 3D body). Draws come from the
 * pool's own seeded generator.
 */
public final class SamplePool {

    private final int capacity;
    private final int rowLength;
    private final float[] rows;
    private final Random rng;
    private int size;

    /**
     * An empty pool.
     *
     * @throws IllegalArgumentException when capacity or rowLength is below 1
     */
    public SamplePool(int capacity, int rowLength, long seed) {
        if (capacity < 1 || rowLength < 1) {
            throw new IllegalArgumentException("a pool needs capacity >= 1 and rows of >= 1 value, got " + capacity
                    + " and " + rowLength);
        }
        this.capacity = capacity;
        this.rowLength = rowLength;
        this.rows = new float[Math.multiplyExact(capacity, rowLength)];
        this.rng = new Random(seed);
    }

    /** How many samples the pool holds now. */
    public int size() {
        return size;
    }

    /**
     * Passes a batch through the pool: returns the batch the discriminator should see, of the same length, with
     * some of the new rows swapped for stored ones once the pool is full; the new rows are stored.
     *
     * @param batch {@code n × rowLength} values
     * @throws IllegalArgumentException when the batch is not a whole number of rows
     */
    public float[] exchange(float[] batch) {
        if (batch.length % rowLength != 0) {
            throw new IllegalArgumentException(batch.length + " values are not whole rows of " + rowLength);
        }
        float[] out = Arrays.copyOf(batch, batch.length);
        for (int r = 0; r < batch.length / rowLength; r++) {
            int at = r * rowLength;
            if (size < capacity) {
                System.arraycopy(batch, at, rows, size * rowLength, rowLength);
                size++;
            } else if (rng.nextDouble() > 0.5) {
                int stored = rng.nextInt(capacity) * rowLength;
                System.arraycopy(rows, stored, out, at, rowLength);
                System.arraycopy(batch, at, rows, stored, rowLength);
            }
        }
        return out;
    }
}
