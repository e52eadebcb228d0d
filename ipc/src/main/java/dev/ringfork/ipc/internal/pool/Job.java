package dev.ringfork.ipc.internal.pool;

import java.util.List;

/**
 * Work the pool was given: a map over a source ({@link MapJob}) or one call ({@link CallJob}). The
 * dispatcher thread reports each chunk's outcome here; the job hands it to whoever waits for it.
 */
abstract sealed class Job permits MapJob, CallJob {

    final long id;
    /** The Java-serialized function applied to every item, or null for a call. */
    final byte[] function;
    private volatile boolean cancelled;

    Job(long id, byte[] function) {
        this.id = id;
        this.function = function;
    }

    /** A worker answered the chunk: one value (or {@link RemoteFailure}) per item, in order. */
    abstract void complete(Chunk chunk, List<Object> values, long workerPid, long computeNanos);

    /** The chunk cannot be run (its workers kept dying, or it could not be sent): each item fails with {@code failure}. */
    abstract void fail(Chunk chunk, RuntimeException failure);

    /** The whole pool failed or was shut down now: nothing more will arrive. */
    abstract void abort(RuntimeException failure);

    /**
     * How many of this job's chunks one worker may hold at once: enough small chunks to keep it busy
     * across the round trip, few large ones so work stays balanced between workers.
     */
    abstract int perWorkerLimit();

    boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }

    /** An item that failed in the parent (not in a worker): {@code next()} throws it. */
    record LocalFailure(RuntimeException exception) {
    }
}
