package dev.ringfork.ipc.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real {@code scripts/ringfork} for the {@code *IT} tests, with {@code RINGFORK_DIR} pointing at a
 * test's own directory and {@code RINGFORK_NO_BUILD=1} (the build that runs the tests packaged the jars).
 * Every process it starts is killed by {@link #close()}; every wait has a deadline.
 */
final class RingforkScript implements AutoCloseable {

    /** Set by the failsafe plugin, which runs the *IT tests after the jars are packaged. */
    static final String ROOT_PROPERTY = "ringfork.root";
    /** Why an IT is skipped elsewhere (surefire with -Dtest=..., an IDE): the jars may be missing or stale. */
    static final String ONLY_IN_VERIFY = "runs scripts/ringfork on the packaged jars: run by failsafe in scripts/test"
            + " (mvn verify), e.g. scripts/test -pl ipc -am -Dit.test=CliQueueIT";

    /** Generous: two noisy cores start several JVMs at once. */
    static final long DEADLINE_SECONDS = 120;

    private final Path regionDir;
    private final List<Process> started = new ArrayList<>();

    RingforkScript(Path regionDir) {
        this.regionDir = regionDir;
    }

    /** The repository root: -Dringfork.root (set by the build), else the parent of the module directory. */
    static Path root() {
        String configured = System.getProperty(ROOT_PROPERTY);
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : configured != null ? List.of(Path.of(configured)) : List.of(here.getParent(), here)) {
            if (candidate != null && Files.isExecutable(candidate.resolve("scripts/ringfork"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("cannot find scripts/ringfork from " + here + " (ringfork.root="
                + configured + "): run the tests from the repository or the ipc module");
    }

    /** Starts {@code ringfork args...}; its stdin stays open until {@link Run#input} or {@link Run#closeInput}. */
    Run start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(root().resolve("scripts/ringfork").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile());
        builder.environment().put("RINGFORK_DIR", regionDir.toString());
        builder.environment().put("RINGFORK_NO_BUILD", "1");
        builder.environment().remove("CLASSPATH");
        try {
            Process process = builder.start();
            synchronized (started) {
                started.add(process);
            }
            return new Run(String.join(" ", args), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs {@code ringfork args...} with empty stdin and waits for it. */
    Result run(String... args) {
        Run run = start(args);
        run.closeInput();
        return run.await();
    }

    @Override
    public void close() {
        synchronized (started) {
            for (Process process : started) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** A started command: feed its stdin, then await its result. */
    static final class Run {
        private final String label;
        private final Process process;
        private final CompletableFuture<byte[]> stdout;
        private final CompletableFuture<byte[]> stderr;
        private CompletableFuture<Void> input = CompletableFuture.completedFuture(null);

        Run(String label, Process process) {
            this.label = label;
            this.process = process;
            this.stdout = drain(process.getInputStream(), "stdout");
            this.stderr = drain(process.getErrorStream(), "stderr");
        }

        /** Writes {@code bytes} to stdin from a thread, in chunks, then closes it. */
        Run input(byte[] bytes) {
            input = CompletableFuture.runAsync(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    for (int offset = 0; offset < bytes.length; offset += 8192) {
                        in.write(bytes, offset, Math.min(8192, bytes.length - offset));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("writing stdin of ringfork " + label, e);
                }
            }, runnable -> Thread.ofPlatform().daemon().name("stdin-" + process.pid()).start(runnable));
            return this;
        }

        Run closeInput() {
            return input(new byte[0]);
        }

        long pid() {
            return process.pid();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** SIGKILL to the command (the JVM the script execs, and anything it started), and waits until it is gone. */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    fail("ringfork " + label + " survived SIGKILL for " + DEADLINE_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted killing ringfork " + label, e);
            }
        }

        /** Waits for the exit; fails the test with what it printed if that takes longer than the deadline. */
        Result await() {
            try {
                if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    fail("ringfork " + label + " did not end within " + DEADLINE_SECONDS + " s; stderr:\n"
                            + new String(stderr.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
                }
                input.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
                return new Result(label, process.exitValue(), stdout.get(DEADLINE_SECONDS, TimeUnit.SECONDS),
                        new String(stderr.get(DEADLINE_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for ringfork " + label, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("ringfork " + label + ": its input or output failed", e);
            }
        }

        private CompletableFuture<byte[]> drain(InputStream stream, String which) {
            CompletableFuture<byte[]> result = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name(which + "-" + process.pid()).start(() -> {
                try (stream) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    stream.transferTo(bytes);
                    result.complete(bytes.toByteArray());
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        }
    }

    /** What a command did. */
    record Result(String label, int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** For assertion messages. */
        String describe() {
            String out = out();
            return "ringfork " + label + " exited with " + exitCode + "\n--- stdout (" + stdout.length + " bytes):\n"
                    + (out.length() > 2000 ? out.substring(0, 2000) + "..." : out) + "\n--- stderr:\n" + stderr;
        }
    }
}
