package dev.ringfork.ipc.demo;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.Futex;
import dev.ringfork.core.sync.SharedEvent;
import dev.ringfork.core.sync.SharedInt;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.ipc.internal.FreshRegions;
import dev.ringfork.ipc.internal.JvmCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The main job (scripts/demo): worker JVMs increment one {@link SharedInt} under one {@link SharedLock},
 * all in a shared region; the parent prints the expected and observed totals and the rate.
 * <pre>
 *   scripts/demo [--workers N] [--increments N]
 * </pre>
 */
public final class CounterDemo {

    static final String USAGE = "usage: scripts/demo [--workers N (1-64, default 2)] [--increments N per worker (default 1000000)]";
    private static final long STEP_SECONDS = 120;

    /** What a run observed. */
    record Outcome(long expected, long observed, double seconds) {
        boolean exact() {
            return expected == observed;
        }
    }

    private CounterDemo() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int workers = 2;
        int increments = 1_000_000;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--workers" -> workers = Integer.parseInt(args[++i]);
                    case "--increments" -> increments = Integer.parseInt(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (workers < 1 || workers > 64 || increments < 1) {
                throw new IllegalArgumentException("workers must be 1-64 and increments positive");
            }
        } catch (RuntimeException e) {
            System.err.println("demo: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
        Outcome outcome = run(workers, increments, RegionOptions.defaults(), System.out);
        System.exit(outcome.exact() ? 0 : 1);
    }

    /** Runs the demo with {@code workers} child JVMs; prints the report to {@code out}. */
    static Outcome run(int workers, int increments, RegionOptions options, PrintStream out) throws Exception {
        try (SharedRegion region = FreshRegions.createUnique("demo", options)) {
            String name = region.name();
            out.printf(Locale.ROOT, "Ringfork demo: %d worker JVMs, each doing %,d increments of one SharedInt under one SharedLock%n",
                    workers, increments);
            out.println("  region " + options.directory().resolve(name) + ", waits on the " + Futex.system().description());
            SharedInt counter = region.sharedInt("counter");
            SharedEvent allReady = region.event("all-ready");
            SharedEvent go = region.event("go");
            SharedEvent allDone = region.event("all-done");
            List<Process> children = new ArrayList<>();
            try {
                for (int i = 1; i <= workers; i++) {
                    children.add(start(i, name, workers, increments, options));
                }
                await(allReady, children, "start");
                long start = System.nanoTime();
                go.set();
                await(allDone, children, "finish");
                double seconds = (System.nanoTime() - start) / 1e9;
                for (int i = 1; i <= workers; i++) {
                    Process child = children.get(i - 1);
                    if (!child.waitFor(STEP_SECONDS, TimeUnit.SECONDS) || child.exitValue() != 0) {
                        throw new IllegalStateException("worker pid " + child.pid() + " failed");
                    }
                    out.printf(Locale.ROOT, "  worker %d (pid %d): %,d increments in %.3f s%n", i, child.pid(), increments,
                            region.sharedLong("elapsed-nanos-" + i).get() / 1e9);
                }
                Outcome outcome = new Outcome((long) workers * increments, counter.get(), seconds);
                report(outcome, out);
                return outcome;
            } finally {
                children.forEach(Process::destroyForcibly);
                region.unlink();
            }
        }
    }

    private static void report(Outcome outcome, PrintStream out) {
        out.printf(Locale.ROOT, "  expected total: %,d%n", outcome.expected());
        out.printf(Locale.ROOT, "  observed total: %,d  %s%n", outcome.observed(),
                outcome.exact() ? "(exact)" : "(WRONG: " + (outcome.expected() - outcome.observed()) + " lost)");
        out.printf(Locale.ROOT, "  time: %.3f s, rate: %,.0f lock-protected increments/s across processes%n",
                outcome.seconds(), outcome.expected() / outcome.seconds());
    }

    private static Process start(int index, String region, int workers, int increments, RegionOptions options) {
        List<String> command = JvmCommand.forMain(CounterDemo.class,
                List.of("-XX:+UseSerialGC", "-Xmx64m", "-Dringfork.dir=" + options.directory()),
                List.of("worker", region, Integer.toString(index), Integer.toString(workers), Integer.toString(increments)));
        try {
            return new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + index + ": " + command, e);
        }
    }

    /** Waits for the event, failing fast if a worker died instead. */
    private static void await(SharedEvent event, List<Process> children, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (!event.await(100, TimeUnit.MILLISECONDS)) {
            for (Process child : children) {
                if (!child.isAlive() && child.exitValue() != 0) {
                    throw new IllegalStateException("worker pid " + child.pid() + " exited with " + child.exitValue());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers did not " + what + " within " + STEP_SECONDS + " s");
            }
        }
    }

    /** A worker JVM: announce, wait for the start signal, increment under the lock, record its time. */
    private static void worker(String name, int index, int workers, int increments) throws Exception {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        try (SharedRegion region = SharedRegion.open(name, RegionOptions.defaults())) {
            SharedInt counter = region.sharedInt("counter");
            SharedLock lock = region.lock("lock");
            if (region.sharedInt("ready").incrementAndGet() == workers) {
                region.event("all-ready").set();
            }
            if (!region.event("go").await(STEP_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no start signal");
            }
            long start = System.nanoTime();
            for (int i = 0; i < increments; i++) {
                lock.lock();
                try {
                    counter.setPlain(counter.getPlain() + 1); // a plain read-modify-write: only the lock makes it safe
                } finally {
                    lock.unlock();
                }
            }
            region.sharedLong("elapsed-nanos-" + index).set(System.nanoTime() - start);
            if (region.sharedInt("done").incrementAndGet() == workers) {
                region.event("all-done").set();
            }
        }
    }
}
