package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.internal.cluster.LoopbackAgents;

import java.time.Duration;
import java.util.List;

/**
 * Host agents ({@code ringfork worker}) in child JVMs on 127.0.0.1 for tests ({@link LoopbackAgents}, with a unique
 * cluster name, the agents' output echoed to this JVM's stderr), and clients of them.
 */
public final class ClusterMembers implements AutoCloseable {

    /** How long one agent may take to start and join (class loading on a busy 2-vCPU machine). */
    public static final long START_SECONDS = 90;

    /** One agent JVM. */
    public static final class Agent {
        private final LoopbackAgents.Agent agent;

        private Agent(LoopbackAgents.Agent agent) {
            this.agent = agent;
        }

        public long pid() {
            return agent.pid();
        }

        public int port() {
            return agent.port();
        }

        public Process process() {
            return agent.process();
        }

        /** Its stderr so far. */
        public String output() {
            return agent.output();
        }

        /** SIGKILL, and waits for it to be gone. */
        public void kill() throws InterruptedException {
            agent.kill();
        }
    }

    private final LoopbackAgents agents;

    private ClusterMembers(LoopbackAgents agents) {
        this.agents = agents;
    }

    /** {@code count} agents of a new cluster with a unique name, each running {@code workersEach} worker JVMs per pool. */
    public static ClusterMembers start(int count, int workersEach) throws Exception {
        return new ClusterMembers(LoopbackAgents.start("rf-test", count, workersEach, Duration.ofSeconds(START_SECONDS),
                System.err::println));
    }

    /** Starts one more agent and waits until it has joined. */
    public Agent add() throws Exception {
        return new Agent(agents.add());
    }

    public String clusterName() {
        return agents.clusterName();
    }

    /** The address to connect through: the first agent's. */
    public String address() {
        return agents.address();
    }

    public List<Agent> agents() {
        return agents.agents().stream().map(Agent::new).toList();
    }

    public Agent agent(int i) {
        return new Agent(agents.agent(i));
    }

    /** A client of this cluster. */
    public Cluster connect() {
        return Cluster.connect(clusterName(), address());
    }

    /** Kills every agent still running. */
    @Override
    public void close() throws InterruptedException {
        agents.close();
    }
}
