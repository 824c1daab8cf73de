package io.github.poseshift.render;

import java.util.Random;

/**
 * Fixed random tables every image reads from at a random offset: a tileable fractal value-noise texture
 * (ground, walls, sky, snow, clothing wear) and a table of standard-normal draws (sensor noise). Made once
 * from constant seeds, so they are identical in every run and thread; an image's own seed only chooses where
 * it reads, which costs one draw instead of one per pixel.
 */
final class Textures {

    /** Side of the noise tile, a power of two so that wrapping is a mask. */
    static final int TILE = 256;

    private static final int TILE_MASK = TILE - 1;

    /** Entries of the normal table: more than the 3·256·256 values of the largest image, so none repeats. */
    static final int GAUSSIAN_SIZE = 1 << 18;

    private static final float[] NOISE = fractalNoise(TILE, 0x5EED_7E47L);

    private static final float[] GAUSSIAN = gaussians(GAUSSIAN_SIZE, 0x6A05_51A7L);

    private Textures() {}

    /** The noise tile at (x, y) in tile cells, bilinear and wrapping: values in about [0, 1], mean 0.5. */
    static float noise(double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int x0 = (int) fx & TILE_MASK;
        int y0 = (int) fy & TILE_MASK;
        int x1 = (x0 + 1) & TILE_MASK;
        int y1 = (y0 + 1) & TILE_MASK;
        float tx = (float) (x - fx);
        float ty = (float) (y - fy);
        float top = NOISE[y0 * TILE + x0] + tx * (NOISE[y0 * TILE + x1] - NOISE[y0 * TILE + x0]);
        float bottom = NOISE[y1 * TILE + x0] + tx * (NOISE[y1 * TILE + x1] - NOISE[y1 * TILE + x0]);
        return top + ty * (bottom - top);
    }

    /** Standard-normal draw number {@code i} (wrapping). */
    static float gaussian(int i) {
        return GAUSSIAN[i & (GAUSSIAN_SIZE - 1)];
    }

    /**
     * Sum of octaves of bilinear value noise on lattices of 32, 16, 8, 4 and 2 cells, amplitudes halving:
     * blotches at several scales, as grass, dirt and snow have. Each octave's lattice divides the tile, so
     * the tile wraps without a seam.
     */
    private static float[] fractalNoise(int n, long seed) {
        Random rng = new Random(seed);
        float[] out = new float[n * n];
        double amplitude = 0.5;
        double total = 0;
        for (int cell = 32; cell >= 2; cell /= 2) {
            int lattice = n / cell;
            float[] values = new float[lattice * lattice];
            for (int i = 0; i < values.length; i++) {
                values[i] = rng.nextFloat();
            }
            for (int y = 0; y < n; y++) {
                int gy = y / cell;
                float ty = smooth((y % cell) / (float) cell);
                for (int x = 0; x < n; x++) {
                    int gx = x / cell;
                    float tx = smooth((x % cell) / (float) cell);
                    float v00 = values[gy * lattice + gx];
                    float v01 = values[gy * lattice + (gx + 1) % lattice];
                    float v10 = values[((gy + 1) % lattice) * lattice + gx];
                    float v11 = values[((gy + 1) % lattice) * lattice + (gx + 1) % lattice];
                    float top = v00 + tx * (v01 - v00);
                    float bottom = v10 + tx * (v11 - v10);
                    out[y * n + x] += (float) (amplitude * (top + ty * (bottom - top)));
                }
            }
            total += amplitude;
            amplitude /= 2;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) total;
        }
        return out;
    }

    /** Smoothstep, so that the lattice does not show as a grid of creases. */
    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }

    private static float[] gaussians(int n, long seed) {
        Random rng = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }
}
