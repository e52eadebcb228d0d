package dev.ringfork.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for tests: runs a main class with the test class path, collects its output (stdout and
 * stderr merged) line by line, and is killed at the latest when closed. Every wait takes a deadline.
 */
public final class ChildJvm implements AutoCloseable {

    /** Options every child gets: native access for the futex, a small heap, a quick GC. */
    public static final List<String> BASE_OPTIONS = List.of(
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k");

    private final String label;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(String label, Process process) {
        this.label = label;
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("child-output-" + process.pid()).start(this::pump);
    }

    /** Starts {@code mainClass} with {@code args}, the base options and {@code extraOptions}. */
    public static ChildJvm start(Class<?> mainClass, List<String> extraOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(BASE_OPTIONS);
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildJvm(mainClass.getSimpleName(), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + command, e);
        }
    }

    /** Starts {@code mainClass} with {@code args} and the base options. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(mainClass, List.of(), args);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for an output line starting with {@code prefix} and returns it; fails at the deadline. */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (;;) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError(label + " (pid " + pid() + ") printed no line starting with '" + prefix
                            + "' within " + timeout + (process.isAlive() ? "" : "; it exited with " + process.exitValue())
                            + ". Output:\n" + output);
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the child to exit and returns its exit code; kills it and fails at the deadline. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(label + " (pid " + pid() + ") did not finish within " + timeout
                        + " and was killed. Output:\n" + output);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for a zero exit code within the deadline; fails with the output otherwise. */
    public void awaitSuccess(Duration timeout) {
        int code = awaitExit(timeout);
        if (code != 0) {
            throw new AssertionError(label + " (pid " + pid() + ") exited with " + code + ". Output:\n" + output);
        }
    }

    /** Kills the child with SIGKILL (on Unix) and waits until it is gone and reaped. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(label + " (pid " + pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything printed so far. */
    public String output() {
        return output.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException e) {
            output.append("[output reader failed: ").append(e).append("]\n");
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
