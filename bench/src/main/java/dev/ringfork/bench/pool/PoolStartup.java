package dev.ringfork.bench.pool;

import dev.ringfork.bench.report.Spread;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * PoolBench's start-up section: seconds from {@code ProcessPool.builder().workers(w).build()} to the first
 * result of a trivial {@code submit(() -> 1)}, for 1 worker and for the default (one per CPU), each the
 * median of several fresh pools (closing is not timed). Side by side, when python3 runs, the same for
 * Python's {@code concurrent.futures.ProcessPoolExecutor(max_workers=w)} ({@link PythonPool#startupSeconds}),
 * rounds interleaved.
 */
final class PoolStartup {

    private PoolStartup() {
    }

    /** Seconds from build() to the first result of submit(() -> 1) on a fresh pool of {@code workers}. */
    static double seconds(int workers) throws Exception {
        long started = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().workers(workers).build()) {
            int one = pool.submit(() -> 1).get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (one != 1) {
                throw new IllegalStateException("submit returned " + one);
            }
            return seconds;
        }
    }

    /**
     * The markdown section: {@code runs} fresh pools of each size, interleaved with Python's when {@code python}
     * is not null; {@code onFigure} hears {@code pool/startup/<workers>} once each size is measured.
     */
    static String run(int runs, int cpus, PythonPool python, Consumer<String> onFigure) throws Exception {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Start-up: seconds from `ProcessPool.builder().workers(w)"
                + ".build()` to the first result of `submit(() -> 1)` (%d fresh pools each, median (min–max))", runs));
        md.append(python == null ? "; Python not measured\n\n" : String.format(Locale.ROOT, "; Python %s: from"
                + " `ProcessPoolExecutor(max_workers=w)` to the first `submit(one).result()` (start method %s)%n%n",
                python.version(), python.startMethod()));
        md.append("| workers | Ringfork s | Python s |\n|---:|---:|---:|\n");
        int[] sizes = cpus > 1 ? new int[] {1, cpus} : new int[] {1};
        for (int workers : sizes) {
            List<Double> ringfork = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ringfork.add(seconds(workers));
                if (python != null) {
                    py.add(python.startupSeconds(workers));
                }
            }
            md.append(String.format(Locale.ROOT, "| %d%s | %s | %s |%n", workers, workers == cpus ? " (default)" : "",
                    Spread.of(ringfork).show("%.3f", 1), python == null ? "—" : Spread.of(py).show("%.3f", 1)));
            System.out.printf(Locale.ROOT, "startup workers=%d %.3f s%s%n", workers, Spread.of(ringfork).median(),
                    python == null ? "" : String.format(Locale.ROOT, " (Python %.3f s)", Spread.of(py).median()));
            onFigure.accept("pool/startup/" + workers);
        }
        return md.append('\n').toString();
    }

    /** How many figures {@link #run} reports. */
    static int figures(int cpus) {
        return cpus > 1 ? 2 : 1;
    }
}
