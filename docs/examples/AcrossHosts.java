// needs: scripts/ringfork worker --cluster demo --members 127.0.0.1:5701 --workers 1 --class-path ${classes}
import dev.ringfork.ipc.cluster.Cluster;
import dev.ringfork.ipc.cluster.ClusterLock;
import dev.ringfork.ipc.cluster.ClusterLong;
import dev.ringfork.ipc.cluster.ClusterPool;
import dev.ringfork.ipc.cluster.ClusterQueue;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.pool.Generator;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.PoolResults;

import java.util.concurrent.TimeUnit;

/**
 * The README's "Across hosts": the pool, a queue, a lock and a counter of a cluster of host agents
 * ({@code scripts/ringfork worker --cluster demo ...} in another terminal, or on other hosts).
 *
 *   javac -cp core/target/ringfork-core-0.1.0-SNAPSHOT.jar:ipc/target/ringfork-ipc-0.1.0-SNAPSHOT.jar:ipc/target/lib/hazelcast-5.7.0.jar -d /tmp/ringfork-across docs/examples/AcrossHosts.java
 *   java --sun-misc-unsafe-memory-access=allow -cp /tmp/ringfork-across:core/target/ringfork-core-0.1.0-SNAPSHOT.jar:... AcrossHosts
 */
public class AcrossHosts {

    /** Counts the primes in [start, start + 10,000). Runs in the hosts' worker JVMs. */
    static long primes(long start) {
        long count = 0;
        for (long n = Math.max(start, 2); n < start + 10_000; n++) {
            boolean prime = true;
            for (long d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    public static void main(String[] args) throws Exception {
        // region: across-hosts
        try (Cluster cluster = Cluster.connect("demo", "127.0.0.1:5701");   // any member; the others are found
             Pool pool = ClusterPool.open(cluster)) {                      // on one host: ProcessPool.create()
            Generator<Long> blocks = Generator.of(sink -> {                  // lazy: pulled as the hosts have room
                for (long start = 0; start < 1_000_000; start += 10_000) {
                    sink.yield(start);
                }
            });
            long total = 0;
            try (blocks; PoolResults<Long> counts = pool.imap(AcrossHosts::primes, blocks)) {
                while (counts.hasNext()) {
                    total += counts.next();                                  // in order, each exactly once
                }
            }
            ClusterQueue<String> jobs = ClusterQueue.open(cluster, "jobs", Codec.string());
            jobs.put("resize:42");                                           // any JVM of the cluster may take it
            ClusterLock lock = ClusterLock.open(cluster, "books");
            ClusterLong done = ClusterLong.open(cluster, "done");
            lock.lock();
            try {
                done.addAndGet(total);
            } finally {
                lock.unlock();
            }
            System.out.println(total + " primes below 1,000,000; took " + jobs.poll(5, TimeUnit.SECONDS));
        }
        // endregion
    }
}
// prints: 78498 primes below 1,000,000; took resize:42
