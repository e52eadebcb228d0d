package dev.ringfork.ipc.internal.pool;

import java.util.List;

/**
 * One message's worth of work: items of a job (or one call), kept in the parent until its result
 * arrives so it can be sent again if its worker dies. Owned by the dispatcher thread once enqueued.
 */
final class Chunk {

    final Job job;
    final long id;
    /** Position among the job's chunks (ordering of results). */
    final long sequence;
    /** The items, or null for a call. */
    final List<Object> items;
    /** The Java-serialized callable of a call, or null. */
    final byte[] call;
    /** Runs started for this chunk on workers that died before answering. */
    int attempts;
    /** The worker slot it was last sent to, or -1. */
    int owner = -1;

    Chunk(Job job, long id, long sequence, List<Object> items, byte[] call) {
        this.job = job;
        this.id = id;
        this.sequence = sequence;
        this.items = items;
        this.call = call;
    }

    int size() {
        return items == null ? 1 : items.size();
    }
}
