// needs: scripts/ringfork worker --cluster tour --members 127.0.0.1:5711 --port 5711 --workers 1 --class-path ${classes}
import dev.ringfork.ipc.cluster.Cluster;
import dev.ringfork.ipc.cluster.ClusterLock;
import dev.ringfork.ipc.cluster.ClusterOwnerDiedException;
import dev.ringfork.ipc.cluster.ClusterPool;
import dev.ringfork.ipc.cluster.ClusterQueue;
import dev.ringfork.ipc.codec.Codec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * docs/cluster.md: a cluster pool with an initializer, a queue moved in batches, a lock whose owner may have died.
 * Needs a host agent: scripts/ringfork worker --cluster tour --members 127.0.0.1:5711 --port 5711 --class-path DIR
 */
public class ClusterTour {

    /** What the initializer sets up once in every worker JVM of every host. */
    static final class Model {
        static volatile String name = "not loaded";
    }

    public static void main(String[] args) throws Exception {
        try (Cluster cluster = Cluster.connect("tour", "127.0.0.1:5711")) {
            // region: cluster-pool-builder
            try (ClusterPool pool = ClusterPool.builder(cluster)
                    .initializer(() -> Model.name = "model-v2")          // once in every worker JVM, on every host
                    .jvmOption("-Xmx512m")                               // for the hosts' worker JVMs
                    .retries(2)                                          // a chunk runs again if its host dies
                    .hostWaitTimeout(Duration.ofMinutes(5))              // with no host agent, work waits this long
                    .build()) {
                List<String> loaded = pool.map(x -> x + ":" + Model.name, List.of(1, 2, 3));
                System.out.println(loaded + " on " + pool.workers() + " workers");
            }
            // endregion

            // region: cluster-queue-batches
            ClusterQueue<String> lines = ClusterQueue.open(cluster, "lines", Codec.string());
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                batch.add("line " + i);
            }
            lines.putAll(batch);                                         // a round trip per 4,096, not per line
            List<String> got = new ArrayList<>();
            while (got.size() < batch.size()) {
                lines.drainTo(got, 5_000, 10, TimeUnit.SECONDS);          // up to 5,000 in one round trip
            }
            System.out.println("moved " + got.size() + " lines");
            // endregion

            // region: cluster-lock
            ClusterLock lock = ClusterLock.open(cluster, "ledger");
            try {
                lock.lock();
            } catch (ClusterOwnerDiedException e) {                     // we hold it; its last owner was killed
                System.out.println("repairing after pid " + e.deadOwnerPid() + " on " + e.deadOwnerHost());
            }
            try {
                System.out.println("holding " + lock.name());
            } finally {
                lock.unlock();
            }
            // endregion
        }
    }
}
// prints: [1:model-v2, 2:model-v2, 3:model-v2] on 1 workers
// prints: moved 10000 lines
// prints: holding ledger
