package io.github.poseshift.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One epoch's losses and counts of an adaptation loop, by name, each averaged by the rule it was declared with:
 * <ul>
 *   <li>{@link Rule#MEAN}: the mean over the steps that recorded a value. A network that updates every step
 *       (the lifter, a generator) records every step; a discriminator records only on the steps its update ran
 *       (it steps every few steps, and a step whose loss or gradients were not finite is skipped), so its mean is
 *       over the updates it made, never diluted by steps it sat out and never holding a skipped step's value;</li>
 *   <li>{@link Rule#TOTAL}: the sum over the epoch (skipped steps, clamped windows);</li>
 *   <li>{@link Rule#RATIO}: the sum of numerators over the sum of denominators (the share of generated windows
 *       kept, so a short last batch weighs what it holds).</li>
 * </ul>
 * A value under a name that was not declared is an error: a misspelt series cannot silently start a new one.
 * A {@link Rule#MEAN} series no step recorded reads NaN (shown as "–" in tables): nothing was measured.
 */
public final class LossMeter {

    /** How a series turns its epoch's values into one number. */
    public enum Rule {
        /** Mean over the steps that recorded a value. */
        MEAN,
        /** Sum over the epoch. */
        TOTAL,
        /** Sum of numerators over sum of denominators. */
        RATIO
    }

    /** A declared series: its history name and its rule. */
    public record Series(String name, Rule rule) {

        /** A {@link Rule#MEAN} series. */
        public static Series mean(String name) {
            return new Series(name, Rule.MEAN);
        }

        /** A {@link Rule#TOTAL} series. */
        public static Series total(String name) {
            return new Series(name, Rule.TOTAL);
        }

        /** A {@link Rule#RATIO} series. */
        public static Series ratio(String name) {
            return new Series(name, Rule.RATIO);
        }
    }

    private static final class Sum {
        final Rule rule;
        double value;
        double count;

        Sum(Rule rule) {
            this.rule = rule;
        }
    }

    private final Map<String, Sum> sums = new LinkedHashMap<>();

    /**
     * A meter of {@code series}, in the order the history records them.
     *
     * @throws IllegalArgumentException when a name is declared twice
     */
    public LossMeter(List<Series> series) {
        for (Series s : series) {
            if (sums.put(s.name(), new Sum(s.rule())) != null) {
                throw new IllegalArgumentException("series '" + s.name() + "' declared twice");
            }
        }
    }

    /** Adds one step's value of a {@link Rule#MEAN} or {@link Rule#TOTAL} series. */
    public void add(String name, double value) {
        Sum s = declared(name);
        if (s.rule == Rule.RATIO) {
            throw new IllegalArgumentException("'" + name + "' is a ratio: add a numerator and a denominator");
        }
        s.value += value;
        s.count++;
    }

    /** Adds one step's numerator and denominator of a {@link Rule#RATIO} series. */
    public void addRatio(String name, double numerator, double denominator) {
        Sum s = declared(name);
        if (s.rule != Rule.RATIO) {
            throw new IllegalArgumentException("'" + name + "' is not a ratio but a " + s.rule);
        }
        s.value += numerator;
        s.count += denominator;
    }

    /** The epoch's value of {@code name} by its rule (NaN for a mean or ratio nothing was added to). */
    public double value(String name) {
        Sum s = declared(name);
        return switch (s.rule) {
            case MEAN, RATIO -> s.count == 0 ? Double.NaN : s.value / s.count;
            case TOTAL -> s.value;
        };
    }

    /** Records every series' value into {@code history} at {@code step}, {@code epoch}, in declaration order. */
    public void recordInto(History history, int step, int epoch) {
        sums.keySet().forEach(name -> history.record(name, step, epoch, value(name)));
    }

    /** Whether {@code name} was declared. */
    public boolean has(String name) {
        return sums.containsKey(name);
    }

    private Sum declared(String name) {
        Sum s = sums.get(name);
        if (s == null) {
            throw new IllegalArgumentException("series '" + name + "' was not declared; declared: " + sums.keySet());
        }
        return s;
    }
}
