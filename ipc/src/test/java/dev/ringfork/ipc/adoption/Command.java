package dev.ringfork.ipc.adoption;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to its end with a deadline (killed, with its descendants, when the deadline passes) and
 * keeps its output, standard error merged into standard output.
 */
record Command(List<String> command, int exitCode, String output) {

    /** Runs {@code command} in {@code directory} with {@code environment} added; fails the test at the deadline. */
    static Command run(List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(devNull()));
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread pump = Thread.ofPlatform().daemon().name("command-output-" + process.pid()).start(() -> copy(process.getInputStream(), bytes));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                pump.join(Duration.ofSeconds(5));
                throw new AssertionError("still running after " + timeout + ", killed: " + command + "\noutput:\n" + text(bytes));
            }
            pump.join(Duration.ofSeconds(30)); // a grandchild may hold the pipe a little longer
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
        return new Command(command, process.exitValue(), text(bytes));
    }

    static Command run(List<String> command, Duration timeout) {
        return run(command, null, Map.of(), timeout);
    }

    /** The output's lines. */
    List<String> lines() {
        return output.lines().toList();
    }

    /** A description for assertion messages: the command, its exit code and its output. */
    String describe() {
        return String.join(" ", command) + "\nexit code " + exitCode + ", output:\n" + output;
    }

    /** {@code bin/<tool>} of the JDK running this test. */
    static String jdkTool(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    static List<String> list(Object... parts) {
        List<String> list = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> many) {
                many.forEach(p -> list.add(p.toString()));
            } else {
                list.add(part.toString());
            }
        }
        return list;
    }

    private static java.io.File devNull() {
        return new java.io.File("/dev/null");
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
