package dev.ringfork.bench.peer;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The median of a figure's rounds with its lowest and highest round, and how many rounds there were.
 *
 * @param median the median (the mean of the middle two for an even count)
 * @param min    the lowest round
 * @param max    the highest round
 * @param n      how many rounds
 */
record Spread(double median, double min, double max, int n) {

    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.getFirst(), sorted.getLast(), n);
    }

    boolean missing() {
        return n == 0;
    }

    /** {@code median [min–max]} with each value formatted by {@code format}, or "-" when there is none. */
    String format(DoubleFunction<String> format) {
        if (missing()) {
            return "-";
        }
        return n == 1 ? format.apply(median) : format.apply(median) + " [" + format.apply(min) + "–" + format.apply(max) + "]";
    }

    /** As {@link #format} with {@code digits} decimals. */
    String format(int digits) {
        return format(v -> String.format(Locale.ROOT, "%." + digits + "f", v));
    }
}
