package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import dev.ringfork.core.sync.Deadline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects a client to a cluster within a bounded time, and says why when it cannot: no member reachable at any
 * address (and the error each gave), or members reachable that refused the cluster name.
 */
public final class ClusterConnector {

    private ClusterConnector() {
    }

    /**
     * A client of cluster {@code clusterName} through {@code members} ({@code host:port} each, already checked).
     *
     * @throws IllegalStateException whose message says what was tried and what to check; {@code Cluster} wraps it
     */
    public static HazelcastInstance connect(String clusterName, List<String> members, List<InetSocketAddress> addresses,
                                            Duration timeout) {
        long deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        List<String> unreachable = new ArrayList<>();
        List<String> reachable = new ArrayList<>();
        long probeMillis = Math.max(1, Math.min(2_000, timeout.toMillis() / Math.max(1, addresses.size())));
        for (int i = 0; i < addresses.size(); i++) {
            String problem = probe(addresses.get(i), (int) probeMillis);
            if (problem == null) {
                reachable.add(members.get(i));
            } else {
                unreachable.add(members.get(i) + " (" + problem + ")");
            }
        }
        if (reachable.isEmpty()) {
            throw new IllegalStateException("no member of cluster '" + clusterName + "' is reachable: " + String.join(", ", unreachable)
                    + ". Start a host agent there (ringfork worker --cluster " + clusterName + " --members ...), or name a member"
                    + " that runs one.");
        }
        long left = Math.max(1_000, Deadline.left(deadline, System.nanoTime(), Long.MAX_VALUE) / 1_000_000);
        try {
            return HazelcastClient.newHazelcastClient(HazelcastSetup.client(clusterName, members, Duration.ofMillis(left)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("members answered at " + String.join(", ", reachable) + " but none let us into cluster '"
                    + clusterName + "' within " + timeout.toMillis() + " ms: check the cluster name (each agent prints it when it"
                    + " starts; names are case-sensitive) and that the port is a Ringfork host agent's"
                    + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable)), e);
        }
    }

    /** Null if a TCP connection to {@code address} opened within {@code millis}, else what went wrong. */
    private static String probe(InetSocketAddress address, int millis) {
        if (address.isUnresolved()) {
            return "unknown host";
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, millis);
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
