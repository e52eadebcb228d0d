package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.RingLayout;
import dev.ringfork.core.sync.SemaphoreLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The shared task count of a {@link JoinableQueue}, in the region slot {@code name + ".join"} beside the
 * queue's ring and header. Every line is 128 bytes ({@link RingLayout#LINE}).
 *
 * <pre>
 *    0 +----------------------------------------------------------+
 *      | magic "RFJOIN" (8) | version (4) | holder slots (4)      |  identity, immutable
 *  128 +----------------------------------------------------------+
 *      | unfinished (8): items put and not yet marked done        |  every put and taskDone
 *  256 +----------------------------------------------------------+
 *      | join doorbell: count (4, futex) | sleepers (4)           |  SemaphoreLayout
 *  384 +----------------------------------------------------------+
 *      | write-offs (8): dead holders whose items were written off|  rarely written
 *      | lost (8): items written off | last (8): pid << 32 | items|
 *  512 +----------------------------------------------------------+
 *      | holder slots: n x 128 bytes                               |
 *      |   owner (8): 0 free, else the packed ProcessIdentity      |
 *      |   held (8): items this handle took and has not marked done|
 *      +----------------------------------------------------------+
 * </pre>
 *
 * <p>The identity line is written when the slot is created, before the region publishes the slot;
 * {@link #verify} checks it before anything else is read.
 */
final class JoinLayout {

    /** "RFJOIN" and two zero bytes, little-endian. */
    static final long MAGIC = 0x00004E494F4A4652L;
    static final int VERSION = 1;
    /** Handles (over all processes) whose taken items can be told apart; more take untracked. */
    static final int HOLDER_SLOTS = 64;
    static final String SUFFIX = ".join";

    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    static final long HOLDER_SLOTS_OFFSET = VERSION_OFFSET + Integer.BYTES;
    static final long UNFINISHED_OFFSET = RingLayout.LINE;
    static final long DOORBELL_OFFSET = UNFINISHED_OFFSET + RingLayout.LINE;
    static final long WRITE_OFFS_OFFSET = DOORBELL_OFFSET + SemaphoreLayout.LENGTH;
    static final long LOST_OFFSET = WRITE_OFFS_OFFSET + Long.BYTES;
    static final long LAST_WRITE_OFF_OFFSET = LOST_OFFSET + Long.BYTES;
    static final long HOLDERS_OFFSET = WRITE_OFFS_OFFSET + RingLayout.LINE;
    static final long HOLDER_LENGTH = RingLayout.LINE;
    static final long OWNER_OFFSET = 0;
    static final long HELD_OFFSET = OWNER_OFFSET + Long.BYTES;
    static final long LENGTH = HOLDERS_OFFSET + HOLDER_SLOTS * HOLDER_LENGTH;

    /** An owner word of a free holder slot. */
    static final long FREE = 0;

    private JoinLayout() {
    }

    /** Offset of holder slot {@code slot}'s field at {@code field} ({@link #OWNER_OFFSET} or {@link #HELD_OFFSET}). */
    static long holder(int slot, long field) {
        return HOLDERS_OFFSET + slot * HOLDER_LENGTH + field;
    }

    /** Writes the identity line of a new slot (plain writes: the region publishes the slot after). */
    static void initialise(MemorySegment join) {
        join.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        join.set(ValueLayout.JAVA_INT, HOLDER_SLOTS_OFFSET, HOLDER_SLOTS);
        join.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
    }

    /**
     * Checks a slot before use: magic, version, size.
     *
     * @throws IllegalStateException if it is not a task count of this version
     */
    static void verify(MemorySegment join, String slotName) {
        if (join.byteSize() < LENGTH || join.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException("slot '" + slotName + "' is not a joinable queue's task count: pick another queue name");
        }
        int version = join.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        int holders = join.get(ValueLayout.JAVA_INT, HOLDER_SLOTS_OFFSET);
        if (version != VERSION || holders != HOLDER_SLOTS) {
            throw new IllegalStateException("slot '" + slotName + "' has task count version " + version + " with " + holders
                    + " holder slots; this Ringfork reads version " + VERSION + " with " + HOLDER_SLOTS);
        }
    }
}
