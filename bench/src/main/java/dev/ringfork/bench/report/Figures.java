package dev.ringfork.bench.report;

import dev.ringfork.bench.peer.PeerRun;
import dev.ringfork.bench.peer.Results;
import dev.ringfork.bench.pool.PoolRun;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns each suite's own results into {@link Figure}s with units: the peers harness's rates and
 * ping-pong fields, and the pool benchmarks' figures.
 */
final class Figures {

    private Figures() {
    }

    /**
     * Throughput keys as they are ({@code spsc/32/agrona/short}: msg/s); each ping-pong field as its own figure,
     * {@code pingpong/PAIR/FIELD} with the {@code _ns} suffix dropped ({@code p50}, {@code p99},
     * {@code p999}, {@code max}, {@code mean}, {@code interval}: ns; {@code trips}; {@code idle_cpu}: %).
     */
    static List<Figure> fromPeers(PeerRun run) {
        Results results = run.results();
        List<Figure> out = new ArrayList<>();
        results.rates().forEach((key, rounds) -> out.add(Figure.median("peers", key,
                key.endsWith("-cpu-wait-pct") ? "% of the run" : key.startsWith("cost/") ? "msg/s (one thread)" : "msg/s", rounds)));
        results.trips().forEach((pair, rounds) -> {
            for (String field : rounds.getFirst().keySet()) {
                if (field.equals("role")) {
                    continue;
                }
                List<Double> values = rounds.stream().map(r -> Double.parseDouble(r.get(field))).toList();
                String name = field.endsWith("_ns") ? field.substring(0, field.length() - 3) : field;
                String unit = field.endsWith("_ns") ? "ns" : field.equals("idle_cpu") ? "% of one core" : "count";
                out.add(Figure.median("peers", "pingpong/" + pair + "/" + name, unit, values));
            }
        });
        return out;
    }

    /** {@code pool/imap/CHUNK} (items/s), {@code pool/latency/median|p99|max} (µs), {@code pool/scaling/WORKERS} (s). */
    static List<Figure> fromPool(PoolRun run) {
        List<Figure> out = new ArrayList<>();
        run.imap().forEach((chunk, rounds) -> out.add(Figure.median("pool", "imap/" + chunk, "items/s", rounds)));
        PoolRun.Latency latency = run.latency();
        if (latency != null) {
            out.add(new Figure("pool", "latency/median", latency.medianMicros(), "us", Double.NaN, List.of()));
            out.add(new Figure("pool", "latency/p99", latency.p99Micros(), "us", Double.NaN, List.of()));
            out.add(new Figure("pool", "latency/max", latency.maxMicros(), "us", Double.NaN, List.of()));
        }
        run.scaling().forEach((workers, rounds) -> out.add(Figure.median("pool", "scaling/" + workers, "s", rounds)));
        return out;
    }
}
