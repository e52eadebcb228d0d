package dev.ringfork.bench.pool;

import dev.ringfork.bench.report.Spread;
import dev.ringfork.ipc.demo.PrimeCount;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The pool's benchmarks, with real worker JVMs: {@code imap} throughput of a trivial function
 * (x -> 2x) at chunk sizes 1, 16, 1000 and automatic; submit -> result latency; CPU-bound speedup from
 * 1 to N workers; start-up, from build() to the first result, next to Python's ProcessPoolExecutor
 * ({@link PoolStartup}); side by side with Python's multiprocessing.Pool ({@link SideBySide}). Every run checks its answer. Each figure is the median of {@code --rounds} runs.
 * {@link #run} runs them in a caller's JVM and returns the figures as data ({@link PoolRun}).
 * <pre>
 *   java -cp benchmarks.jar dev.ringfork.bench.pool.PoolBench [--quick] [--rounds=N] [--only=imap,latency,scaling,startup,side] [--chunks=1,16,1000,0] [--report=FILE]
 * </pre>
 */
public final class PoolBench {

    private final boolean quick;
    private final int rounds;
    private final Path report;
    private final String only;
    private final int[] chunks;
    private final String[] args;
    private final int cpus = Runtime.getRuntime().availableProcessors();

    private PoolBench(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int rounds = quick ? 1 : 3;
        Path report = null;
        String only = "imap,latency,scaling,startup,side";
        int[] chunks = {1, 16, 1000, 0};
        for (String arg : args) {
            if (arg.startsWith("--chunks=")) {
                chunks = Arrays.stream(arg.substring("--chunks=".length()).split(",")).mapToInt(Integer::parseInt).toArray();
            } else if (arg.startsWith("--only=")) {
                only = arg.substring("--only=".length());
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else if (arg.startsWith("--report=")) {
                report = Path.of(arg.substring("--report=".length()));
            }
        }
        this.quick = quick;
        this.rounds = rounds;
        this.report = report;
        this.only = only;
        this.chunks = chunks;
        this.args = args.clone();
    }

    public static void main(String[] args) throws Exception {
        run(args, label -> { });
    }

    /** How many figures {@link #run} measures with these arguments, for a progress count. */
    public static int figures(String[] args) {
        PoolBench bench = new PoolBench(args);
        return (bench.only.contains("imap") ? bench.chunks.length : 0) + (bench.only.contains("latency") ? 1 : 0)
                + (bench.only.contains("scaling") ? bench.cpus : 0) + (bench.only.contains("startup") ? PoolStartup.figures(bench.cpus) : 0);
    }

    /**
     * Runs the benchmarks in this JVM with {@link #main}'s arguments, prints the report (and writes it to
     * {@code --report}) and returns the figures.
     *
     * @param onFigure hears each figure's label ({@code pool/imap/16}, {@code pool/latency}, {@code pool/scaling/2}) once it is measured
     */
    public static PoolRun run(String[] args, Consumer<String> onFigure) throws Exception {
        return new PoolBench(args).run(onFigure);
    }

    private PoolRun run(Consumer<String> onFigure) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Pool benchmarks (%d CPUs, %d round(s), median; worker JVMs started before timing)%n%n", cpus, rounds));
        if (only.contains("imap")) {
            md.append("imap throughput, x -> 2x over Integers from an iterator, results consumed in order\n\n");
            md.append("| chunk size | items | items/s |\n|---|---:|---:|\n");
        }
        Map<String, List<Double>> imap = new LinkedHashMap<>();
        PoolRun.Latency latency = null;
        try (ProcessPool pool = ProcessPool.builder().workers(cpus).build()) {
            warmUp(pool);
            for (int chunk : only.contains("imap") ? chunks : new int[0]) {
                long items = chunk == 1 ? (quick ? 100_000 : 300_000) : chunk == 16 ? (quick ? 1_000_000 : 3_000_000) : (quick ? 5_000_000 : 20_000_000);
                List<Double> rates = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    rates.add(imapRate(pool, chunk, items));
                }
                String label = chunk == 0 ? "auto" : Integer.toString(chunk);
                imap.put(label, rates);
                double rate = median(rates);
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f |%n", label, items, rate));
                System.out.printf(Locale.ROOT, "imap chunk=%s %,.0f items/s%n", label, rate);
                onFigure.accept("pool/imap/" + label);
            }
            md.append('\n');
            if (only.contains("latency")) {
                latency = latency(pool, quick ? 2_000 : 10_000);
                String line = String.format(Locale.ROOT, "submit -> result latency, one call at a time (%,d calls): median %.1f µs, p99 %.1f µs, max %.1f µs%n%n",
                        latency.calls(), latency.medianMicros(), latency.p99Micros(), latency.maxMicros());
                System.out.print(line);
                md.append(line);
                onFigure.accept("pool/latency");
            }
        }
        Map<Integer, List<Double>> scaling = new LinkedHashMap<>();
        if (only.contains("scaling")) {
            md.append(scaling(scaling, onFigure));
        }
        double auto = imap.containsKey("auto") ? median(imap.get("auto")) : Double.NaN;
        double one = imap.containsKey("1") ? median(imap.get("1")) : Double.NaN;
        if (only.contains("imap")) {
            md.append(String.format(Locale.ROOT, "Targets:%n%n- auto-chunked imap >= 5M items/s: %,.0f -> %s%n- chunk size 1 >= 300k items/s: %,.0f -> %s%n",
                    auto, verdict(auto, 5e6), one, verdict(one, 3e5)));
        }
        if (scaling.containsKey(1) && scaling.containsKey(cpus) && cpus > 1) {
            double speedup = median(scaling.get(1)) / median(scaling.get(cpus));
            md.append(String.format(Locale.ROOT, "- CPU-bound speedup >= 1.8x on 2 workers vs 1: %.2fx -> %s%n", speedup, verdict(speedup, 1.8)));
        }
        if (only.contains("startup")) {
            try (PythonPool python = PythonPool.startOrNull()) {
                md.append('\n').append(PoolStartup.run(quick ? 3 : Math.max(5, rounds), cpus, python, onFigure));
            }
        }
        if (only.contains("side")) {
            md.append('\n').append(new SideBySide(quick, rounds, SideBySide.describe(args)).run());
        }
        System.out.println(md);
        if (report != null) {
            Files.writeString(report, md);
        }
        return new PoolRun(rounds, imap, latency, scaling, md.toString());
    }

    private static String verdict(double value, double bar) {
        return Double.isNaN(value) ? "NOT MEASURED" : value >= bar ? "MET" : "MISSED";
    }

    private static void warmUp(ProcessPool pool) {
        for (int chunk : new int[] {1, 1000, 0}) {
            imapRate(pool, chunk, chunk == 1 ? 20_000 : 2_000_000);
        }
    }

    /** Items per second through imap at {@code chunk} (0: automatic), checking the sum. */
    static double imapRate(Pool pool, int chunk, long items) {
        return SideBySide.imapJob(pool, chunk, items).rate();
    }

    /** submit(() -> 1).get() round trips, one at a time. */
    static PoolRun.Latency latency(Pool pool, int calls) throws Exception {
        for (int i = 0; i < 1000; i++) {
            pool.submit(() -> 1).get(60, TimeUnit.SECONDS);
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            int value = pool.submit(() -> 1).get(60, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - started;
            if (value != 1) {
                throw new IllegalStateException("submit returned " + value);
            }
        }
        Arrays.sort(nanos);
        return new PoolRun.Latency(calls, nanos[calls / 2] / 1e3, nanos[(int) (calls * 0.99)] / 1e3, nanos[calls - 1] / 1e3);
    }

    /** Seconds to count primes below a limit in blocks, with 1..cpus workers, into {@code seconds}; the markdown table. */
    private String scaling(Map<Integer, List<Double>> seconds, Consumer<String> onFigure) {
        long limit = quick ? 10_000_000 : 30_000_000;
        long block = 100_000;
        List<Long> starts = new ArrayList<>();
        for (long from = 0; from < limit; from += block) {
            starts.add(from);
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "CPU-bound scaling: primes below %,d by trial division, blocks of %,d, imapUnordered chunk size 1%n%n", limit, block));
        md.append("| workers | seconds | speedup vs 1 |\n|---:|---:|---:|\n");
        double base = 0;
        long answer = -1;
        for (int workers = 1; workers <= cpus; workers++) {
            List<Double> times = new ArrayList<>();
            try (ProcessPool pool = ProcessPool.builder().workers(workers).build()) {
                pool.map(from -> PrimeCount.count(from, from + 1000), List.of(0L, 1000L, 2000L, 3000L), 1);
                for (int r = 0; r < rounds; r++) {
                    long started = System.nanoTime();
                    long total = 0;
                    try (PoolResults<Long> counts = pool.imapUnordered(from -> PrimeCount.count(from, Math.min(from + block, limit)), starts, 1)) {
                        while (counts.hasNext()) {
                            total += counts.next();
                        }
                    }
                    times.add((System.nanoTime() - started) / 1e9);
                    if (answer >= 0 && total != answer) {
                        throw new IllegalStateException("prime count " + total + " with " + workers + " workers, " + answer + " before");
                    }
                    answer = total;
                }
            }
            seconds.put(workers, times);
            double s = median(times);
            if (workers == 1) {
                base = s;
            }
            md.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", workers, s, base / s));
            System.out.printf(Locale.ROOT, "scaling workers=%d %.2f s%n", workers, s);
            onFigure.accept("pool/scaling/" + workers);
        }
        return md.append('\n').toString();
    }

    /** The median as the old report took it: the upper middle value of an even count. */
    static double median(List<Double> values) {
        return Spread.of(values).median();
    }
}
