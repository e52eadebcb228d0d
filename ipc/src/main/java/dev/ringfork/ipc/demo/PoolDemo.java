package dev.ringfork.ipc.demo;

import dev.ringfork.ipc.internal.text.ProgressLine;
import dev.ringfork.ipc.pool.Generator;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The main job (scripts/demo): counts the primes below a limit by trial division, in blocks streamed
 * from a lazy {@link Generator} through a {@link ProcessPool} of worker JVMs (one per CPU), with a
 * progress bar on stderr; then does the same work in this one JVM on one thread, and prints both
 * times, the speedup, and whether the answers agree.
 * <pre>
 *   scripts/demo [--limit N] [--block N] [--workers N]
 * </pre>
 */
public final class PoolDemo {

    static final String USAGE = "usage: scripts/demo [--limit N (default 30000000)] [--block N numbers per item (default 100000)]"
            + " [--workers N (default: CPUs)]";

    /** What a run observed. */
    record Outcome(long primes, long expected, double poolSeconds, double singleSeconds, int workers, long blocks) {
        boolean agrees() {
            return primes == expected;
        }

        double speedup() {
            return singleSeconds / poolSeconds;
        }
    }

    private PoolDemo() {
    }

    public static void main(String[] args) throws Exception {
        long limit = 30_000_000;
        long block = 100_000;
        int workers = Runtime.getRuntime().availableProcessors();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--limit" -> limit = Long.parseLong(args[++i]);
                    case "--block" -> block = Long.parseLong(args[++i]);
                    case "--workers" -> workers = Integer.parseInt(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (limit < 2 || block < 1 || workers < 1 || workers > 256) {
                throw new IllegalArgumentException("limit must be >= 2, block >= 1, workers 1-256");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println("scripts/demo: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
        Outcome outcome = run(limit, block, workers, System.out, System.err);
        System.exit(outcome.agrees() ? 0 : 1);
    }

    static Outcome run(long limit, long block, int workers, PrintStream out, PrintStream progress) {
        long blocks = (limit + block - 1) / block;
        out.printf(Locale.ROOT, "Counting primes below %,d in %,d blocks of %,d, on %d worker JVMs...%n", limit, blocks, block, workers);
        try (ProcessPool pool = ProcessPool.builder().workers(workers).chunkSize(1).build()) {
            // Start the workers and warm their JIT on a small job, so the timing below is the work itself.
            pool.map(start -> PrimeCount.count(start, start + 1000), List.of(0L, 1000L, 2000L, 3000L));
            long started = System.nanoTime();
            long primes = 0;
            long done = 0;
            long step = block;
            long end = limit;
            Generator<Long> starts = Generator.of(sink -> {
                for (long from = 0; from < end; from += step) {
                    sink.yield(from);
                }
            });
            try (PoolResults<Long> counts = pool.imapUnordered(from -> PrimeCount.count(from, Math.min(from + step, end)), starts)) {
                boolean terminal = System.console() != null;
                ProgressLine bar = new ProgressLine(new PrintWriter(progress, true), terminal);
                int shown = -1;
                while (counts.hasNext()) {
                    primes += counts.next();
                    int percent = (int) (++done * 100 / blocks);
                    if (percent != shown && (terminal || percent % 10 == 0)) { // every 10% into a log
                        shown = percent;
                        bar.show(new ProgressLine.Step((int) done, (int) blocks,
                                String.format(Locale.ROOT, "blocks, %.1f s", (System.nanoTime() - started) / 1e9)));
                    }
                }
                bar.finish();
            }
            double poolSeconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "pool:   %,d primes in %.2f s (%,.0f numbers/s, %d workers)%n", primes, poolSeconds,
                    limit / poolSeconds, workers);

            long singleStarted = System.nanoTime();
            long expected = 0;
            for (long from = 0; from < limit; from += block) {
                expected += PrimeCount.count(from, Math.min(from + block, limit));
            }
            double singleSeconds = (System.nanoTime() - singleStarted) / 1e9;
            out.printf(Locale.ROOT, "single: %,d primes in %.2f s (one thread in this JVM)%n", expected, singleSeconds);
            Outcome outcome = new Outcome(primes, expected, poolSeconds, singleSeconds, workers, blocks);
            out.printf(Locale.ROOT, "speedup %.2fx on %d workers; %s%n", outcome.speedup(), workers,
                    outcome.agrees() ? "the answers agree" : "MISMATCH: the pool's answer differs");
            return outcome;
        }
    }
}
