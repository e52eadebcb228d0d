package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Not a test: {@code imap} throughput of a ClusterPool on 3 loopback host agents (1 worker each) against a local
 * ProcessPool of 3 workers (chunk 1, 1000, automatic), and the latency of one {@code submit}. Run with the test class
 * path: {@code java -cp ... dev.ringfork.ipc.cluster.ClusterPoolBench}.
 */
public final class ClusterPoolBench {

    private ClusterPoolBench() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (ClusterMembers members = ClusterMembers.start(hosts, 1);
             Cluster cluster = members.connect();
             ClusterPool clusterPool = ClusterPool.open(cluster);
             ProcessPool local = ProcessPool.create(hosts)) {
            for (Pool pool : new Pool[] {local, clusterPool}) {
                String name = pool == local ? "local ProcessPool (" + hosts + " workers)" : "ClusterPool (" + hosts + " agents x 1 worker)";
                run(pool, 2_000, 1); // warm-up
                run(pool, 200_000, 0);
                System.out.printf(Locale.ROOT, "%s: imap chunk 1    %,12.0f items/s%n", name, run(pool, 20_000, 1));
                System.out.printf(Locale.ROOT, "%s: imap chunk 1000 %,12.0f items/s%n", name, run(pool, 2_000_000, 1000));
                System.out.printf(Locale.ROOT, "%s: imap auto       %,12.0f items/s%n", name, run(pool, 2_000_000, 0));
                long[] micros = new long[500];
                for (int i = 0; i < 100; i++) {
                    pool.submit(() -> 1).get(60, TimeUnit.SECONDS);
                }
                for (int i = 0; i < micros.length; i++) {
                    long start = System.nanoTime();
                    pool.submit(() -> 1).get(60, TimeUnit.SECONDS);
                    micros[i] = (System.nanoTime() - start) / 1_000;
                }
                Arrays.sort(micros);
                long start = System.nanoTime();
                java.util.List<java.util.concurrent.CompletableFuture<Integer>> all = new java.util.ArrayList<>();
                for (int i = 0; i < 3_000; i++) {
                    all.add(pool.submit(() -> 1));
                }
                java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
                        .get(300, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "%s: 3000 submits at once %,12.0f tasks/s%n", name,
                        3_000 / ((System.nanoTime() - start) / 1e9));
                System.out.printf(Locale.ROOT, "%s: submit latency median %d us, p99 %d us%n", name, micros[micros.length / 2],
                        micros[micros.length * 99 / 100]);
            }
        }
    }

    /** Items per second of an imap of {@code count} cheap items, read to the end. */
    private static double run(Pool pool, int count, int chunk) {
        SerializableFunction<Integer, Integer> fn = x -> x * 31 + 7;
        long start = System.nanoTime();
        long sum = 0;
        try (PoolResults<Integer> results = pool.imap(fn, IntStream.range(0, count).iterator(), chunk)) {
            while (results.hasNext()) {
                sum += results.next();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sum == 42) {
            System.out.println();
        }
        return count / seconds;
    }
}
