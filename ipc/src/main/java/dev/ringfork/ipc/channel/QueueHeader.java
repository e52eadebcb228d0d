package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A queue's header and element counters, in the region slot {@code name + ".queue"} beside its ring.
 * Every line is 128 bytes ({@link RingLayout#LINE}); each counter has a line of its own, so producers
 * and takers do not write the same line.
 *
 * <pre>
 *    0 +----------------------------------------------------------+
 *      | magic "RFQUEUE" (8) | version (4) | kind (4): 1 SPSC,    |  identity, immutable
 *      | 3 MPMC                                                   |
 *  128 +----------------------------------------------------------+
 *      | puts (8): elements committed, over all processes         |  producers' line
 *  256 +----------------------------------------------------------+
 *      | takes (8): elements taken, over all processes            |  takers' line
 *  384 +----------------------------------------------------------+
 * </pre>
 *
 * <p>The identity line is written when the slot is created, before the region publishes the slot, so
 * an opener never sees half of it; {@link #attach} checks it before the ring is opened. The counters
 * feed only {@link #size()}, an estimate: they publish nothing else.
 */
final class QueueHeader {

    /** "RFQUEUE" and a zero byte, little-endian. */
    static final long MAGIC = 0x0045554555514652L;
    static final int VERSION = 1;
    static final int KIND_MPMC = 3;
    static final int KIND_SPSC = 1;
    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 8;
    static final long KIND_OFFSET = 12;
    static final long PUTS_OFFSET = 128;
    static final long TAKES_OFFSET = 256;
    static final long LENGTH = 384;
    /** Suffix of the slot that holds the queue's header and counters. */
    static final String SUFFIX = ".queue";
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment meta;
    private final boolean spsc;

    private QueueHeader(MemorySegment meta, boolean spsc) {
        this.meta = meta;
        this.spsc = spsc;
    }

    /**
     * Creates the header of queue {@code name} (of the SPSC kind if {@code spscIfCreated}), or attaches
     * to the one there and checks it.
     *
     * @throws IllegalStateException if the slot holds something else, or another header version
     */
    static QueueHeader attach(SharedRegion region, String name, boolean spscIfCreated) {
        int kind = spscIfCreated ? KIND_SPSC : KIND_MPMC;
        MemorySegment meta = region.bytes(name + SUFFIX, LENGTH, RingLayout.LINE, data -> {
            // Plain writes: the region publishes the slot with a release store after this returns, and
            // openers read it after the matching acquire.
            data.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
            data.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind);
            data.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        });
        if (meta.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC || meta.byteSize() < LENGTH) {
            throw new IllegalStateException("slot '" + name + SUFFIX + "' of region " + region.name()
                    + " is not a queue header: pick another queue name");
        }
        int version = meta.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        int storedKind = meta.get(ValueLayout.JAVA_INT, KIND_OFFSET);
        if (version != VERSION || (storedKind != KIND_SPSC && storedKind != KIND_MPMC)) {
            throw new IllegalStateException("queue '" + name + "' has header version " + version + ", kind " + storedKind
                    + "; this Ringfork reads version " + VERSION);
        }
        return new QueueHeader(meta, storedKind == KIND_SPSC);
    }

    /** The kind recorded when the queue was created, whatever later openers asked for. */
    boolean isSpsc() {
        return spsc;
    }

    /** Counts one element committed to the ring. */
    void countPut() {
        // Atomic over processes; ordered after the commit, so a take may be counted before its put.
        LONG.getAndAdd(meta, PUTS_OFFSET, 1L);
    }

    /** Counts {@code n} elements read off the ring. */
    void countTaken(long n) {
        LONG.getAndAdd(meta, TAKES_OFFSET, n);
    }

    /** Elements put and not yet taken, over all processes: a snapshot, and only an estimate while others work. */
    int size() {
        // Takes first: puts and takes counted between the two reads can only raise the estimate. It may
        // still dip below zero for a moment (a take counted before its put), hence the clamp.
        long taken = (long) LONG.getVolatile(meta, TAKES_OFFSET);
        long put = (long) LONG.getVolatile(meta, PUTS_OFFSET);
        return Math.clamp(put - taken, 0, Integer.MAX_VALUE);
    }
}
