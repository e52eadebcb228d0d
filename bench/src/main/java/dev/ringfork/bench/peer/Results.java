package dev.ringfork.bench.peer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of every round, by measurement key, and the failures; each figure reported is the median
 * over the rounds. Throughput keys look like {@code spsc/32/ringfork-claim} (messages/s; the {@code cost/}
 * keys too, as messages/s of one thread), ping-pong keys like {@code ringfork-spin} (the pinger's RESULT
 * fields, {@code p50_ns}, {@code p99_ns}, {@code p999_ns}, {@code max_ns} and so on, plus the ponger's
 * {@code idle_cpu} in % of one core); a failed ping-pong is recorded as {@code pingpong/ringfork-spin}.
 * Filled by the harness; read by its report and by {@code dev.ringfork.bench.report}.
 */
public final class Results {

    /** Figures by key, e.g. "spsc/32/ringfork-claim" -> messages/s. */
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, List<Map<String, String>>> trips = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    void addRate(String key, double rate) {
        rates.computeIfAbsent(key, k -> new ArrayList<>()).add(rate);
    }

    void addTrips(String key, Map<String, String> fields) {
        trips.computeIfAbsent(key, k -> new ArrayList<>()).add(fields);
    }

    void addFailure(String key, String message) {
        failures.put(key, message);
    }

    /** Whether a round of {@code key} failed. */
    public boolean failed(String key) {
        return failures.containsKey(key);
    }

    /** Every round's rate, by key, in the order they were first measured. */
    public Map<String, List<Double>> rates() {
        return Collections.unmodifiableMap(rates);
    }

    /** Every round's ping-pong fields, by key, in the order they were first measured. */
    public Map<String, List<Map<String, String>>> trips() {
        return Collections.unmodifiableMap(trips);
    }

    /** The failure messages by key, in the order they happened. */
    public Map<String, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    /** The median rate over the rounds, or NaN if none was measured. */
    public double rate(String key) {
        List<Double> all = rates.get(key);
        return all == null ? Double.NaN : median(all);
    }

    /** The highest of the keys' median rates; NaN if any is missing. */
    public double best(String... keys) {
        double best = Double.NEGATIVE_INFINITY;
        for (String key : keys) {
            best = Math.max(best, rate(key));
        }
        return best;
    }

    /** Each field the median over the rounds (as a whole number, or one decimal for idle CPU), or null if none. */
    public Map<String, String> tripsMedian(String key) {
        List<Map<String, String>> all = trips.get(key);
        if (all == null || all.isEmpty()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        for (String field : all.getFirst().keySet()) {
            if (field.equals("role")) {
                continue;
            }
            double m = median(all.stream().map(r -> Double.parseDouble(r.get(field))).toList());
            out.put(field, field.equals("idle_cpu") || field.equals("mean_ns")
                    ? String.format(Locale.ROOT, "%.1f", m) : Long.toString(Math.round(m)));
        }
        return out;
    }

    /** One field of {@link #tripsMedian}, or NaN if none was measured. */
    public double tripValue(String key, String field) {
        Map<String, String> r = tripsMedian(key);
        return r == null ? Double.NaN : Double.parseDouble(r.get(field));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
