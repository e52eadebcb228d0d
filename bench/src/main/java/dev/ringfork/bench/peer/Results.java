package dev.ringfork.bench.peer;

import dev.ringfork.bench.report.Spread;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The figures of every round, by measurement key and round number, and the failures. Throughput keys
 * look like {@code spsc/32/ringfork-claim/short} (messages/s, first to last message; the {@code cost/}
 * keys too, as messages/s of one thread), ping-pong keys like {@code ringfork-spin} (the pinger's RESULT
 * fields, {@code p50_ns}, {@code p99_ns} and so on, plus the ponger's {@code idle_cpu} in % of one core);
 * a failed ping-pong is recorded as {@code pingpong/ringfork-spin}. Ratios pair the rounds: round r of
 * one key against round r of the other. Filled by the harness; read by its report and by
 * {@code dev.ringfork.bench.report}.
 */
public final class Results {

    private final Map<String, TreeMap<Integer, Double>> rates = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Map<String, String>>> trips = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    void addRate(String key, int round, double rate) {
        rates.computeIfAbsent(key, k -> new TreeMap<>()).put(round, rate);
    }

    void addTrips(String key, int round, Map<String, String> fields) {
        trips.computeIfAbsent(key, k -> new TreeMap<>()).put(round, fields);
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
        Map<String, List<Double>> out = new LinkedHashMap<>();
        rates.forEach((k, v) -> out.put(k, List.copyOf(v.values())));
        return Collections.unmodifiableMap(out);
    }

    /** Every round's ping-pong fields, by key, in the order they were first measured. */
    public Map<String, List<Map<String, String>>> trips() {
        Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
        trips.forEach((k, v) -> out.put(k, List.copyOf(v.values())));
        return Collections.unmodifiableMap(out);
    }

    /** The failure messages by key, in the order they happened. */
    public Map<String, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    /** The median rate over the rounds, or NaN if none was measured. */
    public double rate(String key) {
        return rateSpread(key).median();
    }

    Spread rateSpread(String key) {
        TreeMap<Integer, Double> all = rates.get(key);
        return all == null ? Spread.NONE : Spread.of(List.copyOf(all.values()));
    }

    /** One ping-pong field over the rounds (NONE if the key or field was not measured). */
    Spread tripSpread(String key, String field) {
        TreeMap<Integer, Map<String, String>> all = trips.get(key);
        if (all == null || !all.firstEntry().getValue().containsKey(field)) {
            return Spread.NONE;
        }
        return Spread.of(all.values().stream().map(r -> Double.parseDouble(r.get(field))).toList());
    }

    /** The median of one ping-pong field over the rounds, or NaN if none was measured. */
    public double tripValue(String key, String field) {
        return tripSpread(key, field).median();
    }

    /** Round by round, rate of {@code a} / rate of {@code b}, over the rounds both were measured in. */
    Spread rateRatio(String a, String b) {
        return paired(rates.get(a), rates.get(b), Double::doubleValue);
    }

    /** Round by round, field of ping-pong {@code a} / the same field of {@code b}. */
    Spread tripRatio(String a, String b, String field) {
        return paired(trips.get(a), trips.get(b), r -> r.containsKey(field) ? Double.parseDouble(r.get(field)) : Double.NaN);
    }

    private static <T> Spread paired(TreeMap<Integer, T> a, TreeMap<Integer, T> b, ToDoubleFunction<T> value) {
        if (a == null || b == null) {
            return Spread.NONE;
        }
        List<Double> ratios = new ArrayList<>();
        a.forEach((round, x) -> {
            T y = b.get(round);
            if (y != null) {
                double r = value.applyAsDouble(x) / value.applyAsDouble(y);
                if (!Double.isNaN(r)) {
                    ratios.add(r);
                }
            }
        });
        return Spread.of(ratios);
    }
}
