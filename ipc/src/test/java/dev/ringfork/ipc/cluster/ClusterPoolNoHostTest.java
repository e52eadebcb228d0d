package dev.ringfork.ipc.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ringfork.ipc.internal.cluster.HazelcastSetup;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.WorkerDiedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster with no host agent (one plain member, in this JVM): work waits the pool's host wait timeout, then fails with
 * a WorkerDiedException that says why; work waiting when an agent joins runs on it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterPoolNoHostTest {

    private static ClusterMembers members;
    private static HazelcastInstance plainMember;
    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        members = ClusterMembers.start(0, 1);
        int port = MemberAddress.parse(members.address()).port();
        plainMember = Hazelcast.newHazelcastInstance(HazelcastSetup.member(members.clusterName(), List.of(members.address()),
                port, Map.of()));
        cluster = members.connect();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        if (plainMember != null) {
            plainMember.shutdown();
        }
        members.close();
    }

    @Test
    void workFailsClearlyAfterTheHostWaitTimeoutThenRunsOnAnAgentThatJoins() throws Exception {
        try (ClusterPool pool = ClusterPool.builder(cluster).hostWaitTimeout(Duration.ofSeconds(2)).build()) {
            assertEquals(0, pool.workers());
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(() -> 1).get(60, TimeUnit.SECONDS));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertTrue(died.getMessage().startsWith("no host agent in cluster '" + members.clusterName() + "' for 2000 ms"),
                    died.getMessage());
            try (PoolResults<Integer> results = pool.imap(x -> x + 1, List.of(1, 2, 3))) {
                WorkerDiedException mapDied = assertThrows(WorkerDiedException.class, () -> results.next(60, TimeUnit.SECONDS));
                assertTrue(mapDied.getMessage().startsWith("no host agent"), mapDied.getMessage());
            }
        }
        try (ClusterPool pool = ClusterPool.builder(cluster).hostWaitTimeout(Duration.ofSeconds(120)).build()) {
            CompletableFuture<Long> waiting = pool.submit(ClusterPoolTest::agentPid);
            CompletableFuture<List<Integer>> mapped = pool.mapAsync(x -> x * 2, List.of(1, 2, 3));
            ClusterMembers.Agent agent = members.add();
            assertEquals(agent.pid(), waiting.get(120, TimeUnit.SECONDS));
            assertEquals(List.of(2, 4, 6), mapped.get(120, TimeUnit.SECONDS));
        }
    }
}
