package dev.ringfork.ipc.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.ringfork.ipc.internal.cluster.ClusterConnector;
import dev.ringfork.ipc.internal.cluster.HazelcastSetup;
import dev.ringfork.ipc.internal.cluster.SafetyCheck;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to a cluster of Ringfork host agents ({@code ringfork worker --cluster NAME} on each host): what a
 * {@link dev.ringfork.core.memory.SharedRegion} is on one host, a cluster is across hosts. Pools, queues, locks and
 * counters are opened on it by name:
 * <pre>{@code
 * try (Cluster cluster = Cluster.connect("jobs", "10.0.0.5:5701")) {
 *     ...
 * }
 * }</pre>
 * This JVM joins as a Hazelcast <em>client</em>, not a member: it holds none of the cluster's data, so it may come
 * and go (or be killed) without the members moving data or losing a backup, it needs none of the JVM options a
 * member needs, and it starts in about a second. The host agents are the members; they hold the queues, locks and
 * counters (each with one backup on another member) and run the work.
 *
 * <p>Needs {@code com.hazelcast:hazelcast} on the class path (Ringfork declares it optional). Closing the cluster
 * disconnects; what was opened on it stops working.
 */
public final class Cluster implements AutoCloseable {

    private final String name;
    private final HazelcastInstance client;

    private Cluster(String name, HazelcastInstance client) {
        this.name = name;
        this.client = client;
    }

    /** Connects to cluster {@code clusterName} through {@code members} ({@code host:port}), waiting at most 10 s. */
    public static Cluster connect(String clusterName, String... members) {
        return connect(ClusterOptions.of(clusterName, members));
    }

    /**
     * Connects as {@code options} say.
     *
     * @throws ClusterUnavailableException within the connect timeout, if no member is reachable or none accepts the
     *                                     cluster name: the message says which
     */
    public static Cluster connect(ClusterOptions options) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (MemberAddress address : options.addresses()) {
            addresses.add(new InetSocketAddress(address.host(), address.port()));
        }
        List<String> members = options.addresses().stream().map(MemberAddress::toString).toList();
        try {
            return new Cluster(options.clusterName(),
                    ClusterConnector.connect(options.clusterName(), members, addresses, options.connectTimeout()));
        } catch (IllegalStateException e) {
            throw new ClusterUnavailableException(e.getMessage(), e.getCause());
        }
    }

    /** The cluster's name. */
    public String name() {
        return name;
    }

    /** The host agents in the cluster now (members that are not agents are left out), oldest first. */
    public List<ClusterHost> hosts() {
        List<ClusterHost> hosts = new ArrayList<>();
        for (Member member : client.getCluster().getMembers()) {
            String workers = member.getAttribute(HazelcastSetup.ATTR_WORKERS);
            if (workers != null) {
                hosts.add(new ClusterHost(member.getAddress().getHost() + ":" + member.getAddress().getPort(),
                        member.getAttribute(HazelcastSetup.ATTR_HOST), Long.parseLong(member.getAttribute(HazelcastSetup.ATTR_PID)),
                        Integer.parseInt(workers)));
            }
        }
        return hosts;
    }

    /**
     * Waits until the cluster's data is safe: no partition is migrating and every backup is in sync with its owner
     * (Hazelcast's "cluster safe" state). Only then does the death of one host agent lose nothing acknowledged: in the
     * seconds after an agent joins or leaves, data moves between the agents and backups are being made, and an agent
     * killed then may take with it what it held alone. Call it before stopping or restarting a host on purpose, one
     * at a time; {@code ringfork stat --cluster} shows the same.
     *
     * @return true once safe; false if not within {@code timeout}, or if no agent answered
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitSafe(Duration timeout) throws InterruptedException {
        return SafetyCheck.awaitFromClient(client, timeout);
    }

    /** True until {@link #close()}, and while the client is connected or reconnecting. */
    public boolean isConnected() {
        return client.getLifecycleService().isRunning();
    }

    /** The Hazelcast client, for the structures of this package. */
    HazelcastInstance hazelcast() {
        return client;
    }

    /** Disconnects. Idempotent. */
    @Override
    public void close() {
        client.shutdown();
    }

    @Override
    public String toString() {
        return "Cluster " + name + (isConnected() ? "" : " (closed)");
    }
}
