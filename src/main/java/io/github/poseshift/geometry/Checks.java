package io.github.poseshift.geometry;

import java.util.Arrays;

/** Argument checks shared by the geometry classes; each message names the parameter and the expectation. */
final class Checks {

    private Checks() {
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    static double positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    static <T> T nonNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Checks a finite 3-vector and returns it (not copied: callers only read it). */
    static double[] vector3(String name, double[] v) {
        nonNull(name, v);
        if (v.length != 3) {
            throw new IllegalArgumentException(name + " must have length 3, got " + v.length);
        }
        for (int i = 0; i < 3; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(
                        name + " must be finite, got " + Arrays.toString(v));
            }
        }
        return v;
    }

    /** Checks a finite float array whose length is a multiple of {@code stride}. */
    static float[] tuples(String name, float[] values, int stride) {
        nonNull(name, values);
        if (values.length % stride != 0) {
            throw new IllegalArgumentException(name + " length must be a multiple of " + stride
                    + ", got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] must be finite, got " + values[i]);
            }
        }
        return values;
    }
}
