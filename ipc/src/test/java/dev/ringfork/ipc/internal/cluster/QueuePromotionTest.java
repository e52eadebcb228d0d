package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue's backup promoted when its owner crashes gives every element exactly once, with the members configured as
 * {@link HazelcastSetup#member} configures the host agents. Hazelcast turns the backup copy into the queue lazily, at
 * the first look after the promotion; its metrics thread used to look too (every few seconds, outside the partition's
 * thread), and when both did at once elements were lost or given twice (18 of 40 rounds of two million elements, with
 * metrics every second). Two members in this JVM, the owner terminated as a crash would; metrics every second here,
 * so that the old configuration fails in most runs of this test.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QueuePromotionTest {

    private static final int ROUNDS = 6;
    private static final int COUNT = 2_000_000;

    @Test
    void aPromotedBackupGivesEveryElementOnce() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String cluster = "rf-promotion-" + ProcessHandle.current().pid() + "-" + round;
            int port = freePort();
            HazelcastInstance first = Hazelcast.newHazelcastInstance(member(cluster, port, "a"));
            HazelcastInstance second = Hazelcast.newHazelcastInstance(member(cluster, port, "b"));
            try {
                assertTrue(SafetyCheck.awaitOnMember(second, Duration.ofMinutes(2)), "the members' data was not safe in time");
                String name = queueOwnedBy(first);
                IQueue<Integer> queue = first.getQueue(name);
                List<Integer> batch = new ArrayList<>();
                for (int n = 0; n < COUNT; n++) {
                    batch.add(n);
                    if (batch.size() == 10_000 || n == COUNT - 1) {
                        queue.addAll(batch);
                        batch.clear();
                    }
                }
                first.getLifecycleService().terminate();
                String outcome = drain(second.getQueue(name));
                if (outcome != null) {
                    failures.add("round " + round + ": " + outcome);
                }
            } finally {
                first.getLifecycleService().terminate();
                second.getLifecycleService().terminate();
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Null if every element came once, else what went wrong. */
    private static String drain(IQueue<Integer> queue) {
        BitSet seen = new BitSet(COUNT);
        List<Integer> batch = new ArrayList<>();
        long taken = 0;
        long twice = 0;
        while (queue.drainTo(batch, 50_000) > 0 || !queue.isEmpty()) {
            for (int n : batch) {
                if (seen.get(n)) {
                    twice++;
                }
                seen.set(n);
            }
            taken += batch.size();
            batch.clear();
        }
        return taken == COUNT && twice == 0 ? null
                : taken + " taken, " + twice + " twice, " + (COUNT - seen.cardinality()) + " never";
    }

    private static Config member(String cluster, int port, String suffix) {
        Config config = HazelcastSetup.member(cluster, List.of("127.0.0.1:" + port), port, java.util.Map.of());
        config.setInstanceName(config.getInstanceName() + "-" + suffix);
        config.getMetricsConfig().setCollectionFrequencySeconds(1);
        return config;
    }

    private static String queueOwnedBy(HazelcastInstance member) {
        for (int i = 0; ; i++) {
            if (member.getPartitionService().getPartition(ClusterNames.QUEUE_PREFIX + i).getOwner().localMember()) {
                return ClusterNames.QUEUE_PREFIX + i;
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
