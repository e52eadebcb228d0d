package dev.ringfork.bench.peer;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The pinger's schedule and histogram, the same for every peer. Trip {@code i} is due at a fixed
 * interval after the start; its round trip is measured from that intended send time, not from when it
 * was actually sent, so a stall delays (and is charged to) every trip that should have gone out during
 * it: no coordinated omission. The schedule restarts once after the warm-up trips.
 */
final class Trips {

    final long warmup;
    final long measured;
    private final long interval;
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    /** Round trips of the current phase, recorded as plain stores (no branch the JIT could meet late). */
    private final long[] latencies;
    private long start;

    Trips(Args args) {
        warmup = args.number("warmup", 50_000);
        measured = args.number("trips", 100_000);
        interval = args.number("interval", 10_000);
        latencies = new long[(int) Math.max(warmup, measured)];
    }

    /**
     * Phase 0 is the warm-up, phase 1 the measurement: the pinger runs the same loop for both, so the
     * code the JIT compiled during the warm-up is the code measured (a branch on "measuring yet?" inside
     * the loop would be deoptimized, and recompiled, at the start of the measurement).
     */
    long trips(int phase) {
        return phase == 0 ? warmup : measured;
    }

    long[] latencies() {
        return latencies;
    }

    /** Ends the measured phase: its latencies go into the histogram. */
    void measured() {
        for (int i = 0; i < measured; i++) {
            histogram.recordValue(Math.min(latencies[i], histogram.getHighestTrackableValue()));
        }
    }

    /** Starts a phase's schedule one interval from now. */
    void restart() {
        start = System.nanoTime() + interval;
    }

    /** Waits until trip {@code i} of the phase is due and returns its intended send time. */
    long due(long i) {
        long intended = start + i * interval;
        while (System.nanoTime() < intended) {
            Thread.onSpinWait();
        }
        return intended;
    }

    static void replied(long[] latencies, long i, long intended) {
        latencies[(int) i] = System.nanoTime() - intended;
    }

    String result() {
        return String.format("trips=%d interval_ns=%d p50_ns=%d p90_ns=%d p99_ns=%d p999_ns=%d max_ns=%d mean_ns=%.1f",
                histogram.getTotalCount(), interval,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                histogram.getMaxValue(), histogram.getMean());
    }
}
