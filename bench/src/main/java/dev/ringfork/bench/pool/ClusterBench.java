package dev.ringfork.bench.pool;

import dev.ringfork.bench.report.Spread;
import dev.ringfork.ipc.cluster.Cluster;
import dev.ringfork.ipc.cluster.ClusterPool;
import dev.ringfork.ipc.demo.PrimeCount;
import dev.ringfork.ipc.internal.cluster.LoopbackAgents;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster pool beside the local one, in one run on this machine: {@code imap} of x -> 2x at chunk sizes 1, 1000
 * and automatic, a CPU-bound imap (primes by trial division, one block per item), and one {@code submit} round trip.
 * The cluster is {@code --agents} host agents on 127.0.0.1 (child JVMs, {@code ringfork worker}), each with one
 * worker JVM; the local pool has as many workers as the cluster in all. Both pools are warmed with the same jobs
 * before timing; rounds interleave local and cluster, and each ratio is paired per round (median [min-max]).
 * <pre>
 *   java -cp benchmarks.jar dev.ringfork.bench.pool.ClusterBench [--quick] [--rounds=N] [--agents=3] [--report=FILE]
 * </pre>
 */
public final class ClusterBench {

    private static final int[] CHUNKS = {1, 1000, 0};

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int rounds = quick ? 1 : 3;
        int agents = 3;
        Path report = null;
        for (String arg : args) {
            if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else if (arg.startsWith("--agents=")) {
                agents = Integer.parseInt(arg.substring("--agents=".length()));
            } else if (arg.startsWith("--report=")) {
                report = Path.of(arg.substring("--report=".length()));
            }
        }
        String command = "scripts/bench cluster" + (quick ? " --quick" : "") + (rounds != 3 && !quick ? " --rounds=" + rounds : "");
        String md = run(quick, rounds, agents, command);
        System.out.println(md);
        if (report != null) {
            Files.writeString(report, md);
        }
    }

    private static String run(boolean quick, int rounds, int agents, String command) throws Exception {
        Map<String, List<Double>> local = new LinkedHashMap<>();
        Map<String, List<Double>> cluster = new LinkedHashMap<>();
        PoolRun.Latency localLatency;
        PoolRun.Latency clusterLatency;
        try (LoopbackAgents hosts = LoopbackAgents.start("rf-bench", agents, 1, Duration.ofSeconds(120), line -> { });
             Cluster connection = Cluster.connect(hosts.clusterName(), hosts.address());
             ProcessPool localPool = ProcessPool.builder().workers(agents).build();
             ClusterPool clusterPool = ClusterPool.open(connection)) {
            for (Pool pool : List.of(localPool, clusterPool)) { // the same warm-up for both
                for (int chunk : CHUNKS) {
                    SideBySide.imapJob(pool, chunk, chunk == 1 ? 2_000 : 500_000);
                }
                primes(pool, quick);
                PoolBench.latency(pool, 200);
            }
            for (int r = 0; r < rounds; r++) {
                boolean localFirst = r % 2 == 0;
                for (int chunk : CHUNKS) {
                    long items = items(chunk, quick);
                    String label = chunk == 0 ? "auto" : Integer.toString(chunk);
                    for (Pool pool : localFirst ? List.of(localPool, clusterPool) : List.<Pool>of(clusterPool, localPool)) {
                        double rate = SideBySide.imapJob(pool, chunk, items).rate();
                        (pool == localPool ? local : cluster).computeIfAbsent(label, k -> new ArrayList<>()).add(rate);
                    }
                }
                for (Pool pool : localFirst ? List.of(localPool, clusterPool) : List.<Pool>of(clusterPool, localPool)) {
                    (pool == localPool ? local : cluster).computeIfAbsent("primes", k -> new ArrayList<>()).add(primes(pool, quick));
                }
                System.out.printf(Locale.ROOT, "cluster bench round %d/%d done%n", r + 1, rounds);
            }
            int calls = quick ? 500 : 2_000;
            localLatency = PoolBench.latency(localPool, calls);
            clusterLatency = PoolBench.latency(clusterPool, calls);
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### imap on %d loopback host agents (1 worker JVM each) vs a local ProcessPool of %d workers%n%n",
                        agents, agents))
                .append("`").append(command).append("`; ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs; x -> 2x over Integers from an iterator, results consumed in order; primes: one block of 10,000 numbers an item\n\n")
                .append("| job | items | local items/s | cluster items/s | cluster ÷ local, paired | target |\n|---|---:|---:|---:|---:|---|\n");
        for (String label : local.keySet()) {
            Spread l = Spread.of(local.get(label));
            Spread c = Spread.of(cluster.get(label));
            Spread ratio = c.over(l);
            String target = label.equals("1000") ? String.format(Locale.ROOT, "≥ 0.33 (within 3× of local): %s",
                    ratio.median() >= 1.0 / 3 ? "MET" : "MISSED") : "";
            String items = label.equals("primes") ? String.format(Locale.ROOT, "%,d blocks", blocks(quick))
                    : String.format(Locale.ROOT, "%,d", items(label.equals("auto") ? 0 : Integer.parseInt(label), quick));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", label.equals("primes") ? "primes, chunk 1"
                    : "chunk " + label, items, l.show("%,.0f", 1), c.show("%,.0f", 1), ratio.show("%.3f", 1), target));
        }
        md.append(String.format(Locale.ROOT, "%n| submit(() -> 1).get(), one at a time | calls | median µs | p99 µs |%n|---|---:|---:|---:|%n"))
                .append(String.format(Locale.ROOT, "| local | %,d | %.1f | %.1f |%n", localLatency.calls(), localLatency.medianMicros(), localLatency.p99Micros()))
                .append(String.format(Locale.ROOT, "| cluster | %,d | %.1f | %.1f |%n", clusterLatency.calls(), clusterLatency.medianMicros(),
                        clusterLatency.p99Micros()));
        return md.toString();
    }

    private static long items(int chunk, boolean quick) {
        return chunk == 1 ? (quick ? 2_000 : 10_000) : (quick ? 1_000_000 : 4_000_000);
    }

    private static int blocks(boolean quick) {
        return quick ? 100 : 300;
    }

    /** Items (blocks) per second of a CPU-bound imap: the primes below blocks x 10,000, checked against a local count. */
    private static double primes(Pool pool, boolean quick) {
        int blocks = blocks(quick);
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            starts.add(i * 10_000L);
        }
        long started = System.nanoTime();
        long total = 0;
        try (PoolResults<Long> counts = pool.imap(from -> PrimeCount.count(from, from + 10_000), starts, 1)) {
            while (counts.hasNext()) {
                total += counts.next();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long expected = PrimeCount.count(0, blocks * 10_000L);
        if (total != expected) {
            throw new IllegalStateException("primes below " + blocks * 10_000L + ": " + total + ", expected " + expected);
        }
        return blocks / seconds;
    }
}
