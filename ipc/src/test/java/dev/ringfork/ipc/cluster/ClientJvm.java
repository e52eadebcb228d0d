package dev.ringfork.ipc.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client JVM of a test cluster ({@link ClientMain} in a child JVM on this class path): it says what it did on
 * stdout, one line each, and halts if this JVM dies.
 */
final class ClientJvm implements AutoCloseable {

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private ClientJvm(Process process) {
        this.process = process;
    }

    /** Starts {@code ClientMain ACTION CLUSTER ADDRESS ARGS...}. */
    static ClientJvm start(ClusterMembers members, String action, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ClientMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()), action, members.clusterName(), members.address()));
        command.addAll(List.of(args));
        ClientJvm jvm = new ClientJvm(new ProcessBuilder(command).start());
        Thread.ofPlatform().daemon().start(() -> jvm.pump(jvm.process.getInputStream(), true));
        Thread.ofPlatform().daemon().start(() -> jvm.pump(jvm.process.getErrorStream(), false));
        return jvm;
    }

    private void pump(java.io.InputStream in, boolean out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (out) {
                    lines.add(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    System.err.println("[client " + process.pid() + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        if (out) {
            lines.add("EXIT");
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the next line on its stdout that starts with {@code prefix}; fails on another line or its exit. */
    String await(String prefix, long seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(prefix)) {
            String err;
            synchronized (stderr) {
                err = stderr.toString();
            }
            throw new AssertionError("client " + pid() + ": expected '" + prefix + "...' within " + seconds + " s, got "
                    + (line == null ? "nothing" : "'" + line + "'") + "; stderr:\n" + err);
        }
        return line;
    }

    /** SIGKILL, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("client " + pid() + " still runs 30 s after SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
