package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ringfork.ipc.cluster.MemberAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host agent ({@code ringfork worker}): a Hazelcast member of the cluster that serves the cluster's pools with
 * local worker JVMs. Tasks sent to the member find their agent with {@link #of(HazelcastInstance)}.
 */
public final class HostAgent implements AutoCloseable {

    private static final String CONTEXT_KEY = HostAgent.class.getName();

    /**
     * What an agent is started with.
     *
     * @param clusterName the cluster to join
     * @param members     {@code host:port} of members to join through (this agent's own address may be among them)
     * @param port        the port to listen on, or the next free one above it
     * @param workers     worker JVMs per pool
     * @param classPath   the class path of the worker JVMs (the user's classes), or null for this JVM's
     */
    public record Options(String clusterName, List<String> members, int port, int workers, String classPath) {
        public Options {
            Objects.requireNonNull(clusterName, "clusterName");
            members = List.copyOf(members);
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, was " + workers);
            }
        }
    }

    private final Options options;
    private volatile HazelcastInstance member;
    private volatile AgentPools pools;

    private HostAgent(Options options) {
        this.options = options;
    }

    /**
     * Starts the member and joins the cluster.
     *
     * @throws IllegalStateException if a listed member answered but did not take this agent in (another cluster name)
     */
    public static HostAgent start(Options options) {
        HostAgent agent = new HostAgent(options);
        Config config = HazelcastSetup.member(options.clusterName(), options.members(), options.port(), Map.of(
                HazelcastSetup.ATTR_WORKERS, Integer.toString(options.workers()),
                HazelcastSetup.ATTR_PID, Long.toString(ProcessHandle.current().pid()),
                HazelcastSetup.ATTR_HOST, hostName()));
        config.getUserContext().put(CONTEXT_KEY, agent);
        // Room for every chunk a submitter may send (workers x 2 per pool) of several pools at once: a task waits in
        // its thread for the local pool's answer.
        config.getExecutorConfig(PoolTask.EXECUTOR).setPoolSize(Math.max(16, options.workers() * 2 * 4));
        config.getExecutorConfig(PoolTask.CONTROL).setPoolSize(2);
        agent.pools = new AgentPools(agent); // before the member: work may reach it at once
        agent.member = Hazelcast.newHazelcastInstance(config);
        agent.checkJoined();
        agent.pools.start(agent.member);
        return agent;
    }

    /** The agent running the member {@code instance}. */
    public static HostAgent of(HazelcastInstance instance) {
        Object agent = instance.getUserContext().get(CONTEXT_KEY);
        if (agent == null) {
            throw new IllegalStateException("member " + instance.getName() + " is not a Ringfork host agent");
        }
        return (HostAgent) agent;
    }

    public Options options() {
        return options;
    }

    /** The member. */
    public HazelcastInstance member() {
        return member;
    }

    /** This member's {@code host:port}. */
    public String address() {
        Member local = member.getCluster().getLocalMember();
        return local.getAddress().getHost() + ":" + local.getAddress().getPort();
    }

    /** Members in the cluster now, this one included. */
    public int clusterSize() {
        return member.getCluster().getMembers().size();
    }

    /**
     * Waits until the cluster's data is safe (see {@link SafetyCheck}): after this agent joined, partitions move to it
     * and their backups are made, and until that is done the death of another agent may lose what it held alone.
     *
     * @return true once safe; false if not within {@code timeout}
     */
    public boolean awaitSafe(Duration timeout) throws InterruptedException {
        return SafetyCheck.awaitOnMember(member, timeout);
    }

    /** The local pools serving the cluster's pools. */
    AgentPools pools() {
        return pools;
    }

    /** Stops the local pools (their workers are killed), then leaves the cluster (handing this member's data to the others first). Idempotent. */
    @Override
    public void close() {
        AgentPools serving = pools;
        if (serving != null) {
            serving.close();
        }
        HazelcastInstance m = member;
        if (m != null && m.getLifecycleService().isRunning()) {
            m.shutdown();
        }
    }

    /**
     * A member alone although another listed address answers was refused by that cluster (another name): say so now,
     * rather than run a cluster of one that nobody sends work to.
     */
    private void checkJoined() {
        if (clusterSize() > 1) {
            return;
        }
        String self = address();
        for (String text : options.members()) {
            MemberAddress address = MemberAddress.parse(text);
            if (isSelf(address, self) || !answers(address)) {
                continue;
            }
            close();
            throw new IllegalStateException("the member at " + address + " answered but did not take this agent into cluster '"
                    + options.clusterName() + "': it runs another cluster (check --cluster; names are case-sensitive), or is"
                    + " not a Ringfork host agent");
        }
    }

    private static boolean isSelf(MemberAddress address, String self) {
        try {
            MemberAddress mine = MemberAddress.parse(self);
            return mine.port() == address.port()
                    && InetAddress.getByName(address.host()).equals(InetAddress.getByName(mine.host()));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(MemberAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
