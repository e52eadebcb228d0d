package dev.ringfork.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured figure of a benchmark run, as the JSON file and the charts see it.
 *
 * @param suite  {@code jmh}, {@code peers} or {@code pool}
 * @param name   the figure's key within the suite, e.g. {@code spsc/32/agrona/short}, {@code pingpong/agrona-spin/p99}
 * @param value  the reported value (the median over the rounds, or JMH's score)
 * @param unit   what {@code value} counts, e.g. {@code msg/s}, {@code ns}, {@code items/s}, {@code ns/op}
 * @param error  JMH's 99.9 % confidence half-width, or NaN where there is none
 * @param rounds every round's (for JMH: every measured iteration's) value, or empty
 */
public record Figure(String suite, String name, double value, String unit, double error, List<Double> rounds) {

    public Figure {
        rounds = List.copyOf(rounds);
    }

    /** A figure that is the median of its rounds. */
    static Figure median(String suite, String name, String unit, List<Double> rounds) {
        return new Figure(suite, name, median(rounds), unit, Double.NaN, rounds);
    }

    /** The median (the mean of the middle two for an even count), or NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** This figure as a JSON object (for {@link Json}). */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("suite", suite);
        out.put("name", name);
        out.put("value", value);
        out.put("unit", unit);
        if (!Double.isNaN(error)) {
            out.put("error", error);
        }
        if (!rounds.isEmpty()) {
            out.put("rounds", rounds);
        }
        return out;
    }
}
