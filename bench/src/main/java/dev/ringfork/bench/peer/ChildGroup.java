package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The child JVMs of one measurement, by party name, in one directory: starts them, watches them (a
 * child that exits with an error, or a deadline missed, fails the measurement with the tails of their
 * logs), collects their {@code RESULT} lines, and at the end kills and reaps them.
 */
final class ChildGroup {

    private final ChildLauncher launcher;
    private final Path dir;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    ChildGroup(ChildLauncher launcher, Path dir) {
        this.launcher = launcher;
        this.dir = dir;
    }

    void start(Party party) {
        processes.put(party.name(), launcher.start(party, dir));
    }

    int size() {
        return processes.size();
    }

    boolean alive(String name) {
        return processes.get(name).isAlive();
    }

    boolean allExited() {
        return processes.values().stream().noneMatch(Process::isAlive);
    }

    /** Polls every {@code pollMillis} until the condition holds; fails if a child exits with an error first, or at the deadline. */
    void awaitOrFail(BooleanSupplier condition, Duration timeout, String what, long pollMillis) throws MeasurementFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            checkNoneFailed();
            if (System.nanoTime() > deadline) {
                throw new MeasurementFailure(what + " within " + timeout.toSeconds() + " s" + logTails());
            }
            sleep(pollMillis);
        }
    }

    /** Sleeps for {@code duration}, failing as soon as a child exits with an error. */
    void watch(Duration duration) throws MeasurementFailure {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            checkNoneFailed();
            sleep(Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private void checkNoneFailed() throws MeasurementFailure {
        for (Map.Entry<String, Process> e : processes.entrySet()) {
            if (!e.getValue().isAlive() && e.getValue().exitValue() != 0) {
                throw new MeasurementFailure(e.getKey() + " exited with " + e.getValue().exitValue() + logTails());
            }
        }
    }

    /** Fails unless the (exited) child exited 0. */
    void checkExit(String name) throws MeasurementFailure {
        int exit = processes.get(name).exitValue();
        if (exit != 0) {
            throw new MeasurementFailure(name + " exited with " + exit + logTails());
        }
    }

    /**
     * The CPU time the child's threads have used so far, in nanoseconds: the sum of the first field of
     * every {@code /proc/PID/task/TID/schedstat} (the scheduler's own run time, not 10 ms ticks).
     */
    long cpuNanos(String name) throws MeasurementFailure {
        Process process = processes.get(name);
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            long total = 0;
            for (Path task : tasks.toList()) {
                try {
                    total += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                } catch (IOException e) {
                    // the thread exited meanwhile
                }
            }
            return total;
        } catch (IOException | UncheckedIOException e) {
            throw new MeasurementFailure("no CPU time for pid " + process.pid() + ": " + e);
        }
    }

    /** Once all have exited: each one's RESULT fields by name; fails if any exited with an error or printed none. */
    Map<String, Map<String, String>> results() throws MeasurementFailure {
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String name : processes.keySet()) {
            checkExit(name);
            results.put(name, parseResult(log(name)));
        }
        return results;
    }

    private static Map<String, String> parseResult(Path log) throws MeasurementFailure {
        try {
            Map<String, String> fields = new HashMap<>();
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("RESULT ")) {
                    for (String field : line.substring("RESULT ".length()).trim().split(" +")) {
                        int eq = field.indexOf('=');
                        fields.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
            }
            if (fields.isEmpty()) {
                throw new MeasurementFailure("no RESULT line in " + log);
            }
            return fields;
        } catch (IOException e) {
            throw new MeasurementFailure("cannot read " + log + ": " + e);
        }
    }

    private String logTails() {
        StringBuilder out = new StringBuilder();
        for (String name : processes.keySet()) {
            Path log = log(name);
            try {
                List<String> lines = Files.readAllLines(log);
                out.append("\n  --- ").append(name).append(" log (last lines) ---\n  ");
                out.append(String.join("\n  ", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            } catch (IOException | UncheckedIOException e) {
                out.append("\n  (cannot read ").append(log).append(": ").append(e).append(')');
            }
        }
        return out.toString();
    }

    /** Kills every child still running and waits until all have exited. */
    void reap() {
        for (Process p : processes.values()) {
            p.destroyForcibly();
            launcher.forget(p);
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Copies every child's log to {@code logs}, named {@code prefix-NAME.log}. */
    void keepLogs(Path logs, String prefix) {
        for (String name : processes.keySet()) {
            try {
                Files.copy(log(name), logs.resolve(prefix + "-" + name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                System.err.println("cannot keep log of " + name + ": " + e);
            }
        }
    }

    private Path log(String name) {
        return dir.resolve(name + ".log");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
