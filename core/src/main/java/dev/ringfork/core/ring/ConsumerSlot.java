package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.lang.foreign.MemorySegment;

import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * One MPMC consumer's line in the ring's consumer table: the position it reads from, so producers do not
 * reuse that space while its records are read in place, and who owns the slot.
 *
 * <pre>
 *   0 +-----------------------------------------------+
 *     | reading from (8): IDLE, or a position at or   |
 *     | before every record this consumer has taken   |
 *   8 +-----------------------------------------------+
 *     | owner (8): FREE (0), RECOVERING (-1), or      |
 *     | pid (22 bits) << 42 | start time (42 bits)    |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p>The owner word holds pid and start time together, so one compare-and-set claims a slot with its
 * full identity, and a slot is never seen with a half-written owner.
 */
final class ConsumerSlot {

    static final int LENGTH = RingLayout.LINE;
    static final long READING_OFFSET = 0;
    static final long OWNER_OFFSET = READING_OFFSET + Long.BYTES;
    static final long IDLE = Long.MAX_VALUE;
    static final long FREE = 0;
    static final long RECOVERING = -1;
    private static final int START_BITS = 42;
    private static final long START_MASK = (1L << START_BITS) - 1;

    private ConsumerSlot() {
    }

    static long base(int slot) {
        return RingLayout.CONSUMER_TABLE_OFFSET + (long) slot * LENGTH;
    }

    static long owner(ProcessIdentity identity) {
        return (identity.pid() << START_BITS) | (identity.startTime() & START_MASK);
    }

    /** True if the owner word names a process that still runs. */
    static boolean ownerAlive(long owner) {
        long pid = owner >>> START_BITS;
        long start = owner & START_MASK;
        return ProcessIdentity.of(pid).map(live -> (live.startTime() & START_MASK) == start).orElse(false);
    }

    /** Takes a free slot, or an idle one whose owner died; returns its index or -1. */
    static int acquire(MemorySegment ring, int slots, ProcessIdentity self) {
        long me = owner(self);
        for (int i = 0; i < slots; i++) {
            long base = base(i);
            long owner = (long) LONG.getVolatile(ring, base + OWNER_OFFSET);
            boolean reusable = owner == FREE || (owner != RECOVERING
                    && (long) LONG.getVolatile(ring, base + READING_OFFSET) == IDLE && !ownerAlive(owner));
            if (reusable && LONG.compareAndSet(ring, base + OWNER_OFFSET, owner, me)) {
                LONG.setVolatile(ring, base + READING_OFFSET, IDLE);
                return i;
            }
        }
        return -1;
    }

    static void free(MemorySegment ring, int slot) {
        long base = base(slot);
        LONG.setVolatile(ring, base + READING_OFFSET, IDLE);
        LONG.setVolatile(ring, base + OWNER_OFFSET, FREE);
    }
}
