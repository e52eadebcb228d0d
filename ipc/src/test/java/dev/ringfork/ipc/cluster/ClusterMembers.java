package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.cli.RingforkCli;
import dev.ringfork.ipc.internal.cluster.MemberJvmOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Host agents ({@code ringfork worker}) in child JVMs on 127.0.0.1, for tests: each is a real member JVM with its own
 * local pool, started on this JVM's class path with the member JVM options, halting if this JVM dies.
 */
public final class ClusterMembers implements AutoCloseable {

    /** How long one agent may take to start and join (class loading on a busy 2-vCPU machine). */
    public static final long START_SECONDS = 90;

    /** One agent JVM. */
    public static final class Agent {
        private final Process process;
        private final int port;
        private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        private final CompletableFuture<String> ready = new CompletableFuture<>();

        Agent(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        public long pid() {
            return process.pid();
        }

        public int port() {
            return port;
        }

        public Process process() {
            return process;
        }

        /** Its stderr so far. */
        public String output() {
            return String.join("\n", output);
        }

        /** SIGKILL, and waits for it to be gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("agent " + pid() + " still runs 30 s after SIGKILL");
            }
        }
    }

    private final String clusterName;
    private final int basePort;
    private final int workersEach;
    private final List<Agent> agents = new ArrayList<>();

    private ClusterMembers(String clusterName, int basePort, int workersEach) {
        this.clusterName = clusterName;
        this.basePort = basePort;
        this.workersEach = workersEach;
    }

    /** {@code count} agents of a new cluster with a unique name, each running {@code workersEach} worker JVMs per pool. */
    public static ClusterMembers start(int count, int workersEach) throws Exception {
        String name = "rf-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        ClusterMembers members = new ClusterMembers(name, freeBasePort(), workersEach);
        try {
            for (int i = 0; i < count; i++) {
                members.add();
            }
        } catch (Exception | Error e) {
            members.close();
            throw e;
        }
        return members;
    }

    /** Starts one more agent and waits until it has joined. */
    public Agent add() throws Exception {
        int port = basePort + agents.size();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(MemberJvmOptions.classPath());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RingforkCli.class.getName());
        command.addAll(List.of("worker", "--cluster", clusterName, "--members", "127.0.0.1:" + basePort,
                "--port", Integer.toString(port), "--workers", Integer.toString(workersEach),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Agent agent = new Agent(process, port);
        agents.add(agent);
        Thread.ofPlatform().daemon().name("agent-" + process.pid() + "-stderr").start(() -> pump(agent));
        try {
            agent.ready.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("agent on port " + port + " did not join in " + START_SECONDS + " s:\n" + agent.output());
        }
        return agent;
    }

    private static void pump(Agent agent) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(agent.process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                agent.output.add(line);
                System.err.println("[agent " + agent.pid() + "] " + line);
                if (line.startsWith("ringfork worker: ") && line.contains(" in cluster ")) {
                    agent.ready.complete(line);
                }
            }
        } catch (IOException e) {
            agent.output.add("(stderr unreadable: " + e + ")");
        }
        agent.ready.completeExceptionally(new AssertionError("agent exited before joining:\n" + agent.output()));
    }

    public String clusterName() {
        return clusterName;
    }

    /** The address to connect through: the first agent's. */
    public String address() {
        return "127.0.0.1:" + basePort;
    }

    public List<Agent> agents() {
        return List.copyOf(agents);
    }

    public Agent agent(int i) {
        return agents.get(i);
    }

    /** A client of this cluster. */
    public Cluster connect() {
        return Cluster.connect(clusterName, address());
    }

    /** Kills every agent still running. */
    @Override
    public void close() throws InterruptedException {
        for (Agent agent : agents) {
            agent.process.destroyForcibly();
        }
        for (Agent agent : agents) {
            agent.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A port with the next 20 free too (agents take consecutive ports), away from Hazelcast's default 5701. */
    private static int freeBasePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
            if (free(base, 20)) {
                return base;
            }
        }
        throw new IllegalStateException("no 20 consecutive free ports found between 20000 and 40000");
    }

    private static boolean free(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

}
