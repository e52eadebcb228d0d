package dev.ringfork.bench.pool;

import java.util.List;
import java.util.Map;

/**
 * What one run of the {@link PoolBench} measured, every round, and the markdown it printed.
 *
 * @param rounds   how many rounds each figure was measured
 * @param imap     items/s through {@code imap} by chunk size ("1", "16", "1000", "auto"), one value a round
 * @param latency  submit -> result latency, or null if not measured
 * @param scaling  seconds for the CPU-bound job by number of workers, one value a round
 * @param markdown the report's text
 */
public record PoolRun(int rounds, Map<String, List<Double>> imap, Latency latency,
                      Map<Integer, List<Double>> scaling, String markdown) {

    /**
     * One-at-a-time {@code submit(() -> 1).get()} round trips.
     *
     * @param calls        how many were timed
     * @param medianMicros the median, µs
     * @param p99Micros    the 99th percentile, µs
     * @param maxMicros    the slowest, µs
     */
    public record Latency(int calls, double medianMicros, double p99Micros, double maxMicros) {
    }
}
