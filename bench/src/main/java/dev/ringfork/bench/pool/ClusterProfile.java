package dev.ringfork.bench.pool;

import dev.ringfork.ipc.cluster.Cluster;
import dev.ringfork.ipc.cluster.ClusterPool;
import dev.ringfork.ipc.internal.cluster.LoopbackAgents;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.ProcessPool;

import java.time.Duration;

/** Profiling aid: the chunk-1000 job, and the CPU time of this JVM and all its descendants per chunk. */
public final class ClusterProfile {
    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        String workerOpts = System.getProperty("profile.worker.opt", "");
        try (LoopbackAgents hosts = LoopbackAgents.start("rf-prof", 3, 1, Duration.ofSeconds(120), line -> { });
             Cluster connection = Cluster.connect(hosts.clusterName(), hosts.address());
             ProcessPool local = ProcessPool.builder().workers(3).build();
             ClusterPool pool = workerOpts.isEmpty() ? ClusterPool.open(connection)
                     : ClusterPool.builder(connection).jvmOption(workerOpts).build()) {
            for (int round = 0; round < 2; round++) {
                measure("cluster", pool, jobs);
                if (!Boolean.getBoolean("profile.clusterOnly")) { // -Dprofile.clusterOnly=true: for JFR of the cluster only
                    measure("local", local, jobs);
                }
            }
        }
    }

    private static void measure(String name, Pool pool, int jobs) {
        for (int i = 0; i < 2; i++) {
            SideBySide.imapJob(pool, 1000, 1_000_000);
        }
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        double rates = 0;
        for (int i = 0; i < jobs; i++) {
            rates += SideBySide.imapJob(pool, 1000, 1_000_000).rate();
        }
        long cpu = cpu() - cpu0;
        long wall = System.nanoTime() - t0;
        long chunks = jobs * 1000L;
        System.out.printf("%s: %.1f us CPU per chunk of 1000 (all processes), wall %.1f us per chunk, mean rate %.0f%n",
                name, cpu / 1e3 / chunks, wall / 1e3 / chunks, rates / jobs);
    }

    private static long cpu() {
        long total = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            total += child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }
}
