package io.github.poseshift.data;

import java.util.Random;

/**
 * A closed interval {@code [min, max]} from which a domain draws a value uniformly (a camera distance,
 * an elevation, a body height...). In JSON it is {@code [min, max]}, or a single number for a fixed value.
 *
 * @param min lower bound
 * @param max upper bound, at least {@code min}
 */
public record Range(double min, double max) {

    /** Rejects non-finite bounds and {@code min > max}. */
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] must be finite with min <= max");
        }
    }

    /** The fixed value {@code v}. */
    public static Range of(double v) {
        return new Range(v, v);
    }

    /** A uniform draw from the interval. */
    public double sample(Random rng) {
        return min == max ? min : min + (max - min) * rng.nextDouble();
    }

    /** Whether {@code v} lies in the interval. */
    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    @Override
    public String toString() {
        return min == max ? Double.toString(min) : "[" + min + ", " + max + "]";
    }
}
