package dev.ringfork.ipc.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two host agents shared by a test class (one at a time), and a client of them; killed after the class. */
abstract class SharedAgents {

    static ClusterMembers members;
    static Cluster cluster;

    @BeforeAll
    static void startAgents() throws Exception {
        members = ClusterMembers.start(2, 1);
        cluster = members.connect();
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
