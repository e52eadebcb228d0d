package dev.ringfork.bench.pool;

import dev.ringfork.bench.report.Spread;
import dev.ringfork.ipc.demo.PrimeCount;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * PoolBench's side-by-side section: Ringfork's pool and Python 3's {@code multiprocessing.Pool}
 * ({@link PythonPool}) on the same machine, rounds interleaved, each figure the median with its range,
 * ratios paired round by round. Measures the issue-10 targets: imap of x -> 2x over a lazy 0..n-1 at 1 M
 * (short) and 20 M (long) items, a job's time to steady speed, bench_primes' CPU-bound job on 1 and 2
 * workers, the one-at-a-time submit round trip and an idle pool's CPU.
 */
final class SideBySide {

    static final long SHORT = 1_000_000;
    static final long LONG = 20_000_000;
    static final long PRIME_LIMIT = 3_000_000;
    static final int PRIME_RANGES = 64;
    private static final long TEN_MS = 10_000_000;

    private final boolean quick;
    private final int rounds;
    private final String command;
    private final StringBuilder md = new StringBuilder();

    SideBySide(boolean quick, int rounds, String command) {
        this.quick = quick;
        this.rounds = rounds;
        this.command = command;
    }

    /** One Ringfork imap job: its time, and the items consumed by 10 ms (and when exactly that was seen). */
    record Job(long items, double seconds, long at10, long nanosAt10) {
        double rate() {
            return items / seconds;
        }

        /** Items/s from the 10 ms mark to the end. */
        double rateAfter10() {
            double left = seconds - nanosAt10 / 1e9;
            return left <= 0 ? Double.NaN : (items - at10) / left;
        }
    }

    String run() throws Exception {
        md.append(String.format(Locale.ROOT, "## Side by side with Python's multiprocessing.Pool (%d round(s), interleaved; median (min–max))%n%n", rounds));
        try (PythonPool python = PythonPool.startOrNull();
             ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            md.append("Ringfork: ").append(command).append(" (ProcessPool.builder().workers(2), default settings). Python ")
                    .append(python == null ? "NOT MEASURED" : python.version()).append(": `").append(PythonPool.command())
                    .append("` (commands on its stdin, see the script).\n\n");
            imap(pool, python);
            latencyAndIdle(pool);
            primes(python);
        }
        return md.toString();
    }

    private void imap(ProcessPool pool, PythonPool python) throws IOException {
        long ones = quick ? 20_000 : 100_000;
        imapJob(pool, 1000, SHORT); // the warm-up job
        imapJob(pool, 0, SHORT);
        imapJob(pool, 1, ones / 10);
        List<Job> rf1000 = new ArrayList<>(), rfAuto = new ArrayList<>(), rf1000Long = new ArrayList<>(), rfAutoLong = new ArrayList<>();
        List<Double> rfOne = new ArrayList<>(), py1000 = new ArrayList<>(), py1000Long = new ArrayList<>(), pyOne = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            rf1000.add(imapJob(pool, 1000, SHORT));
            rfAuto.add(imapJob(pool, 0, SHORT));
            if (python != null) {
                py1000.add(SHORT / python.imapSeconds(SHORT, 1000));
            }
            rf1000Long.add(imapJob(pool, 1000, LONG));
            rfAutoLong.add(imapJob(pool, 0, LONG));
            if (python != null) {
                py1000Long.add(LONG / python.imapSeconds(LONG, 1000));
            }
            rfOne.add(imapJob(pool, 1, ones).rate());
            if (python != null) {
                pyOne.add(ones / python.imapSeconds(ones, 1));
            }
            System.out.printf(Locale.ROOT, "side by side imap round %d/%d done%n", r + 1, rounds);
        }
        md.append("### imap(x -> 2x) over a lazy 0..n-1, Pool(2), warmed pool and a warm-up job, results consumed in order\n\n")
                .append("`").append(command).append("`; Python: `Pool(2).imap(double, numbers(n), chunksize=c)`\n\n")
                .append("| job | items | Ringfork items/s | Python items/s (chunk) | Ringfork ÷ Python, paired | target |\n|---|---:|---:|---:|---:|---|\n");
        Spread py = Spread.of(py1000), pyLong = Spread.of(py1000Long);
        imapRow("chunk 1000", SHORT, rates(rf1000), py, "1000", 3.0);
        imapRow("automatic chunks", SHORT, rates(rfAuto), py, "1000", 3.0);
        imapRow("chunk 1000", LONG, rates(rf1000Long), pyLong, "1000", Double.NaN);
        imapRow("automatic chunks", LONG, rates(rfAutoLong), pyLong, "1000", Double.NaN);
        imapRow("chunk 1", ones, Spread.of(rfOne), Spread.of(pyOne), "1", Double.NaN);
        md.append('\n');
        steady(rf1000, rf1000Long, "chunk 1000");
        steady(rfAuto, rfAutoLong, "automatic chunks");
        md.append('\n');
    }

    private static Spread rates(List<Job> jobs) {
        return Spread.of(jobs.stream().map(Job::rate).toList());
    }

    private void imapRow(String job, long items, Spread ringfork, Spread python, String pyChunk, double bar) {
        Spread ratio = ringfork.over(python);
        String target = Double.isNaN(bar) ? "" : String.format(Locale.ROOT, "≥ %.0f× Python: %s", bar, verdict(ratio.median(), bar));
        md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s (%s) | %s | %s |%n", job, items, ringfork.show("%.2f M", 1e6),
                python.show("%.2f M", 1e6), pyChunk, ratio.show("%.2f×", 1), target));
    }

    /** Time to steady speed: the 1 M job's first 10 ms and the rest, against the 20 M job of the same round. */
    private void steady(List<Job> shortJobs, List<Job> longJobs, String label) {
        if (md.indexOf("### time to steady speed") < 0) {
            md.append("### time to steady speed of a 1 M-item job (Ringfork; steady = the 20 M-item job of the same round)\n\n")
                    .append("`").append(command).append("`\n\n")
                    .append("| job | items done in the first 10 ms | first 10 ms ÷ steady | from 10 ms to the end ÷ steady | target: ≥ 0.8 from 10 ms on |\n|---|---:|---:|---:|---|\n");
        }
        List<Double> first = new ArrayList<>(), rest = new ArrayList<>(), done = new ArrayList<>();
        for (int i = 0; i < shortJobs.size(); i++) {
            Job job = shortJobs.get(i);
            double steadyPer10 = longJobs.get(i).rate() * (job.nanosAt10() / 1e9);
            done.add((double) job.at10());
            first.add(job.at10() / steadyPer10);
            rest.add(job.rateAfter10() / longJobs.get(i).rate());
        }
        Spread restSpread = Spread.of(rest);
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", label, Spread.of(done).show("%,.0f", 1),
                Spread.of(first).show("%.2f", 1), restSpread.show("%.2f", 1), verdict(restSpread.median(), 0.8)));
    }

    /** One imap job of x -> 2x over 0..items-1, the sum checked, noting the items consumed at 10 ms. */
    static Job imapJob(Pool pool, int chunk, long items) {
        Iterator<Integer> source = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < items;
            }

            @Override
            public Integer next() {
                return next++;
            }
        };
        long started = System.nanoTime();
        long sum = 0;
        long done = 0;
        long at10 = -1;
        long nanosAt10 = 0;
        try (PoolResults<Integer> doubled = pool.imap(x -> 2 * x, source, chunk)) {
            while (doubled.hasNext()) {
                sum += doubled.next();
                if ((++done & 255) == 0 && at10 < 0 && System.nanoTime() - started >= TEN_MS) {
                    at10 = done;
                    nanosAt10 = System.nanoTime() - started;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (sum != items * (items - 1)) {
            throw new IllegalStateException("imap chunk " + chunk + ": sum " + sum + ", expected " + items * (items - 1));
        }
        return at10 < 0 ? new Job(items, seconds, items, (long) (seconds * 1e9)) : new Job(items, seconds, at10, nanosAt10);
    }

    private void latencyAndIdle(ProcessPool pool) throws Exception {
        int calls = quick ? 2_000 : 10_000;
        List<Double> p50 = new ArrayList<>(), p99 = new ArrayList<>();
        PoolBench.latency(pool, calls); // warm-up round
        for (int r = 0; r < rounds; r++) {
            PoolRun.Latency latency = PoolBench.latency(pool, calls);
            p50.add(latency.medianMicros());
            p99.add(latency.p99Micros());
        }
        Spread median = Spread.of(p50);
        md.append("### submit(() -> 1).get(), one at a time, and the idle pool\n\n`").append(command).append("`\n\n")
                .append("| figure | value | target |\n|---|---:|---|\n")
                .append(String.format(Locale.ROOT, "| round trip p50 (%,d calls a round) | %s µs | ≤ 60 µs: %s |%n", calls,
                        median.show("%.1f", 1), verdict(-median.median(), -60)))
                .append(String.format(Locale.ROOT, "| round trip p99 | %s µs | |%n", Spread.of(p99).show("%.1f", 1)));
        Thread.sleep(1_000); // past every hot window
        List<Long> workers = pool.workerPids();
        List<Long> self = List.of(ProcessHandle.current().pid());
        long parentBefore = cpuNanos(self);
        long workersBefore = cpuNanos(workers);
        long started = System.nanoTime();
        Thread.sleep(5_000);
        double wall = System.nanoTime() - started;
        double parent = (cpuNanos(self) - parentBefore) / wall * 100;
        double children = (cpuNanos(workers) - workersBefore) / wall * 100;
        md.append(String.format(Locale.ROOT, "| idle pool CPU over 5 s, 1 s after the last call: this JVM | %.2f %% of a core | |%n", parent))
                .append(String.format(Locale.ROOT, "| idle pool CPU: each of the %d worker JVMs, on average | %.2f %% of a core | ≤ 1 %%: %s |%n%n",
                        workers.size(), children / workers.size(), verdict(-children / workers.size(), -1)));
    }

    /** CPU time of the processes so far (user and system, 10 ms resolution on Linux); -1 if one is unknown. */
    private static long cpuNanos(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            long nanos = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
            if (nanos < 0) {
                return -1;
            }
            total += nanos;
        }
        return total;
    }

    private void primes(PythonPool python) throws Exception {
        List<Long> starts = new ArrayList<>();
        long step = PRIME_LIMIT / PRIME_RANGES;
        for (int i = 0; i < PRIME_RANGES; i++) {
            starts.add(i * step);
        }
        List<Double> rf1 = new ArrayList<>(), rf2 = new ArrayList<>(), py1 = new ArrayList<>(), py2 = new ArrayList<>();
        try (ProcessPool one = ProcessPool.builder().workers(1).build(); ProcessPool two = ProcessPool.builder().workers(2).build()) {
            primesSeconds(one, starts.subList(0, 8)); // warm-up jobs
            primesSeconds(two, starts.subList(0, 8));
            for (int r = 0; r < rounds; r++) {
                rf1.add(primesSeconds(one, starts));
                rf2.add(primesSeconds(two, starts));
                if (python != null) {
                    py1.add(python.primesSeconds(1));
                    py2.add(python.primesSeconds(2));
                }
                System.out.printf(Locale.ROOT, "side by side primes round %d/%d done%n", r + 1, rounds);
            }
        }
        Spread speedup = Spread.of(rf1).over(Spread.of(rf2));
        md.append(String.format(Locale.ROOT, "### primes below %,d in %d ranges (bench_primes' job), map with chunk size 1, 1 vs 2 workers%n%n",
                        PRIME_LIMIT, PRIME_RANGES))
                .append("`").append(command).append("`; Python: `Pool(w).map(count_range, ranges, chunksize=1)`\n\n")
                .append("| pool | 1 worker, s | 2 workers, s | speedup, paired | target |\n|---|---:|---:|---:|---|\n")
                .append(String.format(Locale.ROOT, "| Ringfork | %s | %s | %s | ≥ 1.8×: %s |%n", Spread.of(rf1).show("%.3f", 1),
                        Spread.of(rf2).show("%.3f", 1), speedup.show("%.2f×", 1), verdict(speedup.median(), 1.8)))
                .append(String.format(Locale.ROOT, "| Python | %s | %s | %s | |%n%n", Spread.of(py1).show("%.2f", 1),
                        Spread.of(py2).show("%.2f", 1), Spread.of(py1).over(Spread.of(py2)).show("%.2f×", 1)));
    }

    private static double primesSeconds(ProcessPool pool, List<Long> starts) {
        long started = System.nanoTime();
        long count = 0;
        for (long c : pool.map(from -> PrimeCount.count(from, from + PRIME_LIMIT / PRIME_RANGES), starts, 1)) {
            count += c;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (starts.size() == PRIME_RANGES && count != 216_816) {
            throw new IllegalStateException("primes below " + PRIME_LIMIT + ": " + count + ", expected 216,816");
        }
        return seconds;
    }

    /** MET if {@code value >= bar} (negate both for "at most"), NOT MEASURED for NaN. */
    private static String verdict(double value, double bar) {
        return Double.isNaN(value) ? "NOT MEASURED" : value >= bar ? "**MET**" : "**MISSED**";
    }

    static String describe(String[] args) {
        return "scripts/bench pool " + String.join(" ", Arrays.stream(args).filter(a -> !a.startsWith("--report=")).toList());
    }
}
