package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host agent joins a cluster of one, and the first agent is SIGKILLed as soon as the new one says it is ready: a
 * queue's acknowledged elements, a counter's value and a held lock, all written while the first agent was alone,
 * survive on the new one. An agent says it is ready only once the data is safe (partitions moved to it, backups
 * made); before it waited for that, this kill lost the queue and the counter (all or part of them). With no agent
 * left, {@link Cluster#awaitSafe} gives up at its timeout.
 */
class ClusterFailoverTest {

    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @Test
    void whatTheFirstAgentHeldSurvivesItsDeathOnceTheSecondIsReady() throws Exception {
        try (ClusterMembers members = ClusterMembers.start(1, 1); Cluster cluster = members.connect();
             Cluster second = members.connect()) {
            int count = 20_000;
            ClusterQueue<String> queue = ClusterQueue.open(cluster, "survive", Codec.string());
            List<String> all = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                all.add(ClientMain.payload(n));
            }
            queue.putAll(all);
            ClusterLong counter = ClusterLong.open(cluster, "count");
            for (int i = 0; i < 1_000; i++) {
                counter.incrementAndGet();
            }
            ClusterLock lock = ClusterLock.open(cluster, "held");
            assertTrue(lock.tryLock(1, TimeUnit.MINUTES));

            members.add(); // returns once the new agent says it is ready
            SharedAgents.killNow(members.agent(0), cluster, second); // at once: a crash does not wait either

            assertEquals(1_000, counter.get(), "the counter's acknowledged increments");
            ClusterLock other = ClusterLock.open(second, "held");
            assertTrue(other.isLocked(), "the held lock");
            assertFalse(other.tryLock(200, TimeUnit.MILLISECONDS));
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
            queue.close();
            BitSet seen = new BitSet(count);
            int taken = assertTimeoutPreemptively(DEADLINE, () -> {
                List<String> batch = new ArrayList<>();
                int total = 0;
                while (queue.drainTo(batch, 5000, 1, TimeUnit.MINUTES) >= 0) {
                    for (String payload : batch) {
                        int n = (int) ClientMain.sequence(payload);
                        assertFalse(seen.get(n), "taken twice: " + n);
                        seen.set(n);
                    }
                    total += batch.size();
                    batch.clear();
                }
                return total;
            });
            assertEquals(count, taken, "the queue's acknowledged elements; the first one missing is " + seen.nextClearBit(0));
            assertEquals(count, seen.cardinality());

            members.agent(1).kill();
            assertFalse(assertTimeoutPreemptively(DEADLINE, () -> cluster.awaitSafe(Duration.ofSeconds(2))),
                    "with no agent left, the data is not safe, and the wait gives up at its timeout");
        }
    }
}
