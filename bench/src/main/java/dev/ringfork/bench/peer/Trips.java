package dev.ringfork.bench.peer;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The pinger's schedule and histograms, the same for every peer. Warm-up trips always run on a fixed
 * schedule ({@code interval}). The measured trips run either on that schedule, each timed from its
 * intended send time, not from when it was actually sent, so a stall is charged to every trip that
 * should have gone out during it (no coordinated omission); or, with {@code gap=ns}, the pinger parks
 * for the gap before each trip (both sides idle, as an outside harness does it) and times it from the
 * send to the reply. Every trip is also timed from its actual send to its reply ({@code svc_} fields:
 * what a stall costs that one trip only, as a harness without a schedule sees it). A trip may also report how long its publishing call took (the commit or offer
 * that wakes a sleeping ponger): those go into a second histogram. Each phase stops at its time limit
 * ({@code seconds=}, 30 unless given) even if its trips are not all done; the result says how many ran.
 */
final class Trips {

    /** Trips per call of the trip loop (see {@link #run}). */
    static final int BATCH = 10_000;

    final long warmup;
    final long measured;
    private final long interval;
    private final long gap;
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram publish = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram service = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    /** Round trips of the current phase, recorded as plain stores (no branch the JIT could meet late). */
    private final long[] latencies;
    private final long[] publishes;
    /** Round trips from the actual send (not the intended time) to the reply. */
    private final long[] services;
    private final long phaseNanos;
    private long start;
    private long deadline;
    private boolean parked;
    /** Measured trips actually run: fewer than {@link #measured} if the phase hit its time limit. */
    private int done;

    Trips(Args args) {
        warmup = args.number("warmup", 50_000);
        measured = args.number("trips", 100_000);
        interval = args.number("interval", 10_000);
        gap = args.number("gap", 0);
        phaseNanos = TimeUnit.SECONDS.toNanos(args.number("seconds", 30));
        latencies = new long[(int) Math.max(warmup, measured)];
        publishes = new long[latencies.length];
        services = new long[latencies.length];
    }

    /** One round trip: send ping {@code seq}, stamped {@code intended}, and wait for its reply. */
    @FunctionalInterface
    interface Trip {
        /** Returns how long the publishing call took in ns, or -1 if the trip does not time it. */
        long run(long seq, long intended) throws InterruptedException;
    }

    /** Whether the measured trips are parked ones ({@code gap=}): only then is timing the publishing call worth its cost. */
    boolean parked() {
        return parked;
    }

    /**
     * Runs the warm-up trips, then the measured ones; returns how many trips ran.
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
            parked = phase == 1 && gap > 0;
            start = System.nanoTime() + interval;
            deadline = start + phaseNanos;
            long from = 0;
            while (from < n) {
                long to = Math.min(n, from + BATCH);
                long reached = runBatch(trip, from, to, seq);
                seq += reached - from;
                from = reached;
                if (reached < to) {
                    break; // the phase's time limit: on a CPU shared with other work a trip can take a scheduler slice
                }
            }
            done = (int) from;
        }
        return seq;
    }

    /**
     * Trips {@code from} to {@code to} of the phase, ping numbers from {@code seq}; latencies as plain
     * stores. Returns the index it reached: {@code to}, or less once the phase's time limit has passed.
     */
    private long runBatch(Trip trip, long from, long to, long seq) throws InterruptedException {
        for (long i = from; i < to; i++) {
            long intended = due(i);
            long sent = parked ? intended : System.nanoTime();
            if (sent > deadline) {
                return i;
            }
            publishes[(int) i] = trip.run(seq + i - from, intended);
            long end = System.nanoTime();
            latencies[(int) i] = end - intended;
            services[(int) i] = end - sent;
        }
        return to;
    }

    /** Ends the measured phase: its latencies go into the histograms; returns how many trips were measured. */
    int measured() {
        for (int i = 0; i < done; i++) {
            histogram.recordValue(Math.min(latencies[i], histogram.getHighestTrackableValue()));
            service.recordValue(Math.min(services[i], service.getHighestTrackableValue()));
            if (publishes[i] >= 0) {
                publish.recordValue(Math.min(publishes[i], publish.getHighestTrackableValue()));
            }
        }
        return done;
    }

    /** Trip {@code i}'s send time: parks for the gap, or waits (spinning) until it is due on the schedule. */
    private long due(long i) {
        if (parked) {
            LockSupport.parkNanos(gap);
            return System.nanoTime();
        }
        long intended = start + i * interval;
        while (System.nanoTime() < intended) {
            Thread.onSpinWait();
        }
        return intended;
    }

    String result() {
        String out = String.format("trips=%d interval_ns=%d gap_ns=%d p50_ns=%d p90_ns=%d p99_ns=%d p999_ns=%d max_ns=%d mean_ns=%.1f",
                histogram.getTotalCount(), interval, gap,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
                histogram.getMaxValue(), histogram.getMean());
        out += String.format(" svc_p50_ns=%d svc_p99_ns=%d", service.getValueAtPercentile(50), service.getValueAtPercentile(99));
        if (publish.getTotalCount() > 0) {
            out += String.format(" publish_p50_ns=%d publish_p99_ns=%d",
                    publish.getValueAtPercentile(50), publish.getValueAtPercentile(99));
        }
        return out;
    }
}
