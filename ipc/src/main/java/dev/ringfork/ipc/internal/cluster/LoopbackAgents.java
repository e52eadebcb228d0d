package dev.ringfork.ipc.internal.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Host agents ({@code ringfork worker}) in child JVMs on 127.0.0.1, for tests and benchmarks: each is a real member JVM
 * on this JVM's class path, with the member JVM options, that halts if this JVM dies. Agents take consecutive ports
 * from a free base port and join through the first.
 */
public final class LoopbackAgents implements AutoCloseable {

    /** The command line's main class (by name: the cli package needs picocli, which this class does not). */
    private static final String CLI_MAIN = "dev.ringfork.ipc.cli.RingforkCli";

    /** One agent JVM. */
    public static final class Agent {
        private final Process process;
        private final int port;
        private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        private final CompletableFuture<String> ready = new CompletableFuture<>();

        private Agent(Process process, int port) {
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

        /** SIGKILL, and waits (30 s at most) for it to be gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("agent " + pid() + " still runs 30 s after SIGKILL");
            }
        }
    }

    private final String clusterName;
    private final int basePort;
    private final int workersEach;
    private final Duration startTimeout;
    private final Consumer<String> log;
    private final List<Agent> agents = new ArrayList<>();

    private LoopbackAgents(String clusterName, int basePort, int workersEach, Duration startTimeout, Consumer<String> log) {
        this.clusterName = clusterName;
        this.basePort = basePort;
        this.workersEach = workersEach;
        this.startTimeout = startTimeout;
        this.log = log;
    }

    /**
     * {@code count} agents of a new cluster named {@code prefix} and a random suffix, each with {@code workersEach} worker
     * JVMs per pool; each may take {@code startTimeout} to join. {@code log} hears every line the agents print.
     */
    public static LoopbackAgents start(String prefix, int count, int workersEach, Duration startTimeout, Consumer<String> log)
            throws InterruptedException {
        String name = prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        LoopbackAgents agents = new LoopbackAgents(name, freeBasePort(), workersEach, startTimeout, log);
        try {
            for (int i = 0; i < count; i++) {
                agents.add();
            }
        } catch (RuntimeException | InterruptedException | Error e) {
            agents.close();
            throw e;
        }
        return agents;
    }

    /** Starts one more agent and waits until it has joined. */
    public Agent add() throws InterruptedException {
        int port = basePort + agents.size();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(MemberJvmOptions.classPath());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m"));
        // Extra JVM options for the agents (profiling: -XX:StartFlightRecording=...), space-separated.
        String extra = System.getProperty("ringfork.agent.jvm.options", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CLI_MAIN));
        command.addAll(List.of("worker", "--cluster", clusterName, "--members", address(),
                "--port", Integer.toString(port), "--workers", Integer.toString(workersEach),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a host agent JVM: " + e.getMessage(), e);
        }
        Agent agent = new Agent(process, port);
        agents.add(agent);
        Thread.ofPlatform().daemon().name("agent-" + process.pid() + "-stderr").start(() -> pump(agent));
        try {
            agent.ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("agent on port " + port + " did not join in " + startTimeout + ":\n" + agent.output());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        return agent;
    }

    private void pump(Agent agent) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(agent.process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                agent.output.add(line);
                log.accept("[agent " + agent.pid() + "] " + line);
                if (line.startsWith("ringfork worker: ") && line.contains(" in cluster ")) {
                    agent.ready.complete(line);
                }
            }
        } catch (IOException e) {
            agent.output.add("(stderr unreadable: " + e + ")");
        }
        agent.ready.completeExceptionally(new IllegalStateException("agent exited before joining:\n" + agent.output()));
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

    /** Kills every agent still running, and waits (30 s each at most) for them to be gone. */
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
