package dev.ringfork.ipc.adoption;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command the docs leave running in another terminal ({@code ringfork worker ...}): started, waited for until it
 * prints its ready line, and killed with its descendants on {@link #close()}.
 */
final class Background implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private Background(List<String> command, Process process) {
        this.command = command;
        this.process = process;
    }

    /** Starts {@code command} in {@code directory} and waits until a line of its output starts with {@code readyPrefix}. */
    static Background start(List<String> command, Path directory, Map<String, String> environment, String readyPrefix, Duration deadline) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
        builder.environment().putAll(environment);
        Background background;
        try {
            background = new Background(command, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        Thread.ofPlatform().daemon().name("background-" + background.process.pid()).start(() -> background.pump(readyPrefix));
        try {
            background.ready.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            background.close();
            throw new AssertionError("'" + String.join(" ", command) + "' did not print a line starting with '" + readyPrefix
                    + "' within " + deadline + ":\n" + String.join("\n", background.output), e);
        }
        return background;
    }

    private void pump(String readyPrefix) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith(readyPrefix)) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            output.add("(output unreadable: " + e + ")");
        }
        ready.completeExceptionally(new IllegalStateException("exited with " + process.exitValue() + " before it was ready"));
    }

    /** Its output so far. */
    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("still running 30 s after SIGKILL: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
