package dev.ringfork.ipc.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two host agents shared by a test class (one at a time), and a client of them; killed after the class. */
abstract class SharedAgents {

    static ClusterMembers members;
    static Cluster cluster;

    @BeforeAll
    static void startAgents() throws Exception {
        members = ClusterMembers.start(2, 1);
        cluster = members.connect();
    }

    /**
     * Waits until the cluster's data is safe (the condition under which docs/cluster.md promises that one agent's
     * death loses nothing acknowledged), then {@link #killNow kills} {@code agent}.
     */
    static void kill(ClusterMembers.Agent agent, Cluster client, Cluster... others) throws InterruptedException {
        assertTrue(client.awaitSafe(Duration.ofMinutes(2)), "the cluster's data was not safe within 2 minutes");
        Cluster[] all = new Cluster[others.length + 1];
        all[0] = client;
        System.arraycopy(others, 0, all, 1, others.length);
        killNow(agent, all);
    }

    /**
     * SIGKILLs {@code agent} and waits until the cluster has removed it and told {@code clients}: from then on their
     * calls go to the members that took over (a call sent to the dead one before has an unknown outcome).
     */
    static void killNow(ClusterMembers.Agent agent, Cluster... clients) throws InterruptedException {
        CountDownLatch removed = new CountDownLatch(clients.length);
        for (Cluster client : clients) {
            client.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    removed.countDown();
                }
            });
        }
        agent.kill();
        assertTrue(removed.await(2, TimeUnit.MINUTES), "the cluster did not remove the killed agent within 2 minutes");
    }

    @AfterAll
    static void stopAgents() throws InterruptedException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            members.close();
            cluster = null;
            members = null;
        }
    }
}
