package dev.ringfork.ipc.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connecting: two agents found; a wrong name or an unreachable address fails with one clear error, in bounded time. */
class ClusterConnectTest {

    private static ClusterMembers members;

    @BeforeAll
    static void startAgents() throws Exception {
        members = ClusterMembers.start(2, 1);
    }

    @AfterAll
    static void stopAgents() throws InterruptedException {
        members.close();
    }

    @Test
    void aClientSeesEveryHostAgent() {
        try (Cluster cluster = members.connect()) {
            assertEquals(2, cluster.hosts().size(), () -> cluster.hosts().toString());
            assertTrue(cluster.hosts().stream().allMatch(h -> h.workers() == 1 && h.pid() > 0), () -> cluster.hosts().toString());
            assertEquals(members.agents().stream().map(ClusterMembers.Agent::pid).sorted().toList(),
                    cluster.hosts().stream().map(ClusterHost::pid).sorted().toList());
        }
    }

    @Test
    void aWrongClusterNameFailsClearlyWithinTheTimeout() {
        ClusterUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                ClusterUnavailableException.class,
                () -> Cluster.connect(ClusterOptions.of(members.clusterName() + "-other", members.address())
                        .withConnectTimeout(Duration.ofSeconds(3)))));
        assertTrue(e.getMessage().contains("answered at " + members.address()) && e.getMessage().contains("cluster name"), e.getMessage());
    }

    @Test
    void anUnreachableMemberListFailsClearlyWithinTheTimeout() {
        ClusterUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                ClusterUnavailableException.class,
                () -> Cluster.connect(ClusterOptions.of(members.clusterName(), "127.0.0.1:1", "127.0.0.1:2")
                        .withConnectTimeout(Duration.ofSeconds(3)))));
        assertTrue(e.getMessage().startsWith("no member of cluster '" + members.clusterName() + "' is reachable: 127.0.0.1:1 ("),
                e.getMessage());
    }

    @Test
    void badAddressesAndNamesAreRefusedBeforeAnyConnection() {
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.of("bad name", "127.0.0.1:5701"));
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.of("jobs"));
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.of("jobs", "127.0.0.1:70000"));
        assertThrows(IllegalArgumentException.class, () -> ClusterOptions.of("jobs", "::1:5701"));
        assertEquals(new MemberAddress("::1", 5701), MemberAddress.parse("[::1]"));
        assertEquals(new MemberAddress("h", 5702), MemberAddress.parse("h:5702"));
    }
}
