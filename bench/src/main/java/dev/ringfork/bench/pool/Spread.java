package dev.ringfork.bench.pool;

import java.util.List;
import java.util.Locale;

/** A figure measured in several rounds: its median and its range, formatted for the report's tables. */
record Spread(List<Double> values) {

    Spread {
        values = List.copyOf(values);
    }

    static Spread of(List<Double> values) {
        return new Spread(values);
    }

    /** The median (the upper middle value of an even count, as PoolBench's other tables take it). */
    double median() {
        return values.isEmpty() ? Double.NaN : PoolBench.median(values);
    }

    double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Round by round {@code this[i] / other[i]}: a paired ratio, fairer than a ratio of medians on a noisy machine. */
    Spread over(Spread other) {
        int n = Math.min(values.size(), other.values.size());
        return new Spread(java.util.stream.IntStream.range(0, n).mapToObj(i -> values.get(i) / other.values.get(i)).toList());
    }

    /** "median (min–max)" with {@code format} applied to each number after dividing by {@code unit}. */
    String show(String format, double unit) {
        if (values.isEmpty()) {
            return "not measured";
        }
        String one = String.format(Locale.ROOT, format, median() / unit);
        return values.size() == 1 ? one : one + String.format(Locale.ROOT, " (" + format + "–" + format + ")", min() / unit, max() / unit);
    }
}
