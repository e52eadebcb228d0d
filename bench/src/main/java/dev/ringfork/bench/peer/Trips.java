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

    /** Trips per call of the trip loop (see {@link #run}). */
    static final int BATCH = 10_000;

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

    /** One round trip: send ping {@code seq}, stamped {@code intended}, and wait for its reply. */
    @FunctionalInterface
    interface Trip {
        void run(long seq, long intended) throws InterruptedException;
    }

    /**
     * Runs the warm-up trips, then the measured ones, on schedule; returns how many trips ran.
     *
     * <p>The trips run in calls of {@value #BATCH} to {@link #runBatch}, not in one long loop: one loop
     * would be compiled on-stack (OSR) during the warm-up, having never left its loop, and the first exit,
     * at the start of the measurement, would throw that code away (an uncommon trap). The measured trips
     * would then run interpreted or C1-compiled until C2 compiled the loop again: seen here taking 480 ms
     * of the 1 s measured for Ringfork's pinger (larger inlined code) and 40 ms for Agrona's, so the
     * median measured the JIT rather than the ring. Called per batch, {@link #runBatch} is compiled as a
     * whole method with its exit profiled, during the warm-up, and the measured batches run that code.
     */
    long run(Trip trip) throws InterruptedException {
        long seq = 0;
        for (int phase = 0; phase < 2; phase++) {
            long n = phase == 0 ? warmup : measured;
            start = System.nanoTime() + interval;
            for (long from = 0; from < n; from += BATCH) {
                long to = Math.min(n, from + BATCH);
                runBatch(trip, from, to, seq);
                seq += to - from;
            }
        }
        return seq;
    }

    /** Trips {@code from} to {@code to} of the phase, ping numbers from {@code seq}; latencies as plain stores. */
    private void runBatch(Trip trip, long from, long to, long seq) throws InterruptedException {
        for (long i = from; i < to; i++) {
            long intended = due(i);
            trip.run(seq + i - from, intended);
            latencies[(int) i] = System.nanoTime() - intended;
        }
    }

    /** Ends the measured phase: its latencies go into the histogram. */
    void measured() {
        for (int i = 0; i < measured; i++) {
            histogram.recordValue(Math.min(latencies[i], histogram.getHighestTrackableValue()));
        }
    }

    /** Waits until trip {@code i} of the phase is due and returns its intended send time. */
    private long due(long i) {
        long intended = start + i * interval;
        while (System.nanoTime() < intended) {
            Thread.onSpinWait();
        }
        return intended;
    }

    String result() {
        return String.format("trips=%d interval_ns=%d p50_ns=%d p90_ns=%d p99_ns=%d p999_ns=%d max_ns=%d mean_ns=%.1f",
                histogram.getTotalCount(), interval,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                histogram.getMaxValue(), histogram.getMean());
    }
}
