package dev.ringfork.ipc.internal.cluster;

import dev.ringfork.ipc.internal.pool.RemoteFailure;

import java.util.ArrayList;
import java.util.List;

/**
 * A cluster map chunk's results as its reader hands them out: the values in item order, a {@link Failed} slot where an
 * item failed or the whole chunk could not run.
 */
final class ChunkResults {

    private ChunkResults() {
    }

    /** A result slot that throws when read: the function failed for that item, or its chunk could not run. */
    record Failed(RuntimeException exception) {
    }

    /**
     * The results of a chunk of {@code size} items from a host's answer {@code bytes}, classes resolved with
     * {@code loader}; the compute time it reports goes to {@code cutter}, which sizes automatic chunks.
     */
    static List<Object> decode(byte[] bytes, int size, ClassLoader loader, ChunkCutter cutter) {
        WorkerCalls.Answers answers;
        try {
            answers = WorkerCalls.decode(bytes, loader);
        } catch (RuntimeException e) {
            return failAll(size, e);
        }
        if (answers.whole() != null) {
            return failAll(size, answers.whole());
        }
        cutter.computed(answers.computeNanos(), answers.values().length);
        List<Object> results = new ArrayList<>(answers.values().length);
        for (int i = 0; i < answers.values().length; i++) {
            RemoteFailure failure = answers.failures()[i];
            results.add(failure == null ? answers.values()[i] : new Failed(failure.toException(answers.workerPid())));
        }
        return results;
    }

    /** {@code size} slots that all throw {@code failure}. */
    static List<Object> failAll(int size, RuntimeException failure) {
        List<Object> results = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            results.add(new Failed(failure));
        }
        return results;
    }
}
