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

/** A queue survives the SIGKILL of the host agent that owns it: its backup takes over with every acknowledged put. */
class ClusterQueueFailoverTest {

    @Test
    void nothingAcknowledgedIsLostWhenTheOwningAgentIsKilled() throws Exception {
        int count = 20_000;
        try (ClusterMembers members = ClusterMembers.start(2, 1); Cluster cluster = members.connect()) {
            ClusterQueue<String> queue = ClusterQueue.open(cluster, "survive", Codec.string());
            List<String> all = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                all.add(ClientMain.payload(n));
            }
            queue.putAll(all);
            int ownerPort = cluster.hazelcast().getPartitionService().getPartition("ringfork.queue.survive").getOwner()
                    .getAddress().getPort();
            ClusterMembers.Agent owner = members.agents().stream().filter(a -> a.port() == ownerPort).findFirst().orElseThrow();
            owner.kill();
            queue.close();
            BitSet seen = new BitSet(count);
            int taken = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
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
            assertEquals(count, taken);
            assertEquals(count, seen.cardinality());
        }
    }
}
