package dev.ringfork.ipc.internal.pool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The pool's wire format: message types and fixed fields of the messages on the rings.
 *
 * <pre>
 * parent -> one worker, the worker's SpscRing "tasks":
 *   INIT      initializer bytes (Java-serialized SerializableRunnable)           first, if any
 *   FUNCTION  job id (8) | function bytes (Java-serialized)                      once per job and worker
 *   CHUNK     job id (8) | chunk id (8) | items (ChunkCodec)
 *   CALL      chunk id (8) | callable bytes (Java-serialized)                   submit()
 *   FORGET    job id (8)                                                        the job ended: drop its function
 *   (end of stream: the parent closed the ring; the worker finishes what it read and exits)
 * every worker -> parent, the pool's MpscRing "results":
 *   READY     slot (4) | generation (4) | pid (8)
 *   RESULT    slot (4) | generation (4) | chunk id (8) | compute nanos (8) | results (ChunkCodec)
 *   RETIRING  slot (4) | generation (4)                                         max tasks reached, exits next
 *   BROKEN    slot (4) | generation (4) | RemoteFailure bytes                   initializer or function load failed
 * </pre>
 * A result list holds one entry per item, in order; an item whose function threw holds a
 * {@link RemoteFailure} instead of its value.
 */
final class PoolMessages {

    static final int INIT = 1;
    static final int FUNCTION = 2;
    static final int CHUNK = 3;
    static final int CALL = 4;
    static final int FORGET = 5;

    static final int READY = 11;
    static final int RESULT = 12;
    static final int RETIRING = 13;
    static final int BROKEN = 14;

    /** Bytes before the items of a CHUNK. */
    static final int CHUNK_HEADER = 16;
    /** Bytes before the results of a RESULT. */
    static final int RESULT_HEADER = 24;
    /** Bytes of slot and generation that start every worker message. */
    static final int WORKER_HEADER = 8;

    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private PoolMessages() {
    }

    static int slot(MemorySegment message) {
        return message.get(INT, 0);
    }

    static int generation(MemorySegment message) {
        return message.get(INT, 4);
    }

    static void workerHeader(MemorySegment target, int slot, int generation) {
        target.set(INT, 0, slot);
        target.set(INT, 4, generation);
    }

    static byte[] bytes(MemorySegment message, long from) {
        return message.asSlice(from).toArray(ValueLayout.JAVA_BYTE);
    }
}
