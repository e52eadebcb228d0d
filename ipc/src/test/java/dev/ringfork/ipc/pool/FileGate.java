package dev.ringfork.ipc.pool;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A signal between the test JVM and worker JVMs through files in a directory: a task in a worker marks
 * that it got somewhere ({@link #mark}) or waits until the test lets it on ({@link #await}); every wait
 * has a deadline. Serializable, so tasks capture it.
 *
 * @param directory where the marker files live (a fresh temporary directory of the test)
 */
record FileGate(String directory) implements Serializable {

    /** Longest any wait here lasts: a regression fails instead of hanging. */
    static final Duration BOUND = Duration.ofSeconds(60);

    /** A gate in {@code directory}. */
    static FileGate in(Path directory) {
        return new FileGate(directory.toString());
    }

    /** Creates the marker {@code name} with this JVM's pid in it, whole: written aside, then moved in place atomically. */
    void mark(String name) {
        try {
            Path aside = Files.createTempFile(Path.of(directory), ".writing-", ".tmp");
            Files.writeString(aside, Long.toString(ProcessHandle.current().pid()));
            Files.move(aside, Path.of(directory, name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the marker {@code name} exists. */
    boolean isMarked(String name) {
        return Files.exists(Path.of(directory, name));
    }

    /** The pid written into the marker {@code name}, once it exists (within {@link #BOUND}). */
    long pidIn(String name) {
        await(name);
        try {
            return Long.parseLong(Files.readString(Path.of(directory, name)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the marker {@code name} exists; throws if it does not within {@link #BOUND}. */
    void await(String name) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!isMarked(name)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no marker '" + name + "' in " + directory + " within " + BOUND);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polls a file: there is no cross-process wake-up here
        }
    }

    /** Waits until every worker of {@code pool} is ready for tasks, so a task never queues behind a held one needlessly. */
    static void awaitReady(ProcessPool pool) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (pool.readyWorkerPids().size() < pool.workers()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the pool's workers were not all ready within " + BOUND);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Markers whose names start with {@code prefix}. */
    long count(String prefix) {
        try (var files = Files.list(Path.of(directory))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
