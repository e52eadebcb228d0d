package dev.ringfork.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.stream.IntStream;

/**
 * A figure measured in several interleaved rounds, in round order: its median (the mean of the middle
 * two for an even count), its lowest and highest round, and round-by-round ratios against another
 * figure of the same rounds. The one summary every benchmark report uses.
 */
public record Spread(List<Double> values) {

    /** No rounds: a figure that was not measured. */
    public static final Spread NONE = new Spread(List.of());

    public Spread {
        values = List.copyOf(values);
    }

    public static Spread of(List<Double> values) {
        return new Spread(values);
    }

    /** How many rounds. */
    public int n() {
        return values.size();
    }

    public boolean missing() {
        return values.isEmpty();
    }

    public double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Round by round {@code this[i] / other[i]}: a paired ratio, fairer than a ratio of medians on a noisy machine. */
    public Spread over(Spread other) {
        int n = Math.min(values.size(), other.values.size());
        return new Spread(IntStream.range(0, n).mapToObj(i -> values.get(i) / other.values.get(i)).toList());
    }

    /** {@code median [min–max]} with each value formatted by {@code format}, or "-" when there is none. */
    public String format(DoubleFunction<String> format) {
        if (missing()) {
            return "-";
        }
        String median = format.apply(median());
        return n() == 1 ? median : median + " [" + format.apply(min()) + "–" + format.apply(max()) + "]";
    }

    /** As {@link #format(DoubleFunction)} with {@code digits} decimals. */
    public String format(int digits) {
        return format(v -> String.format(Locale.ROOT, "%." + digits + "f", v));
    }

    /** As {@link #format(DoubleFunction)} with a {@link String#format} pattern applied after dividing by {@code unit}. */
    public String show(String pattern, double unit) {
        return format(v -> String.format(Locale.ROOT, pattern, v / unit));
    }
}
