package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A ring in a region slot: header lines, the producer table, the consumer table, then the buffer. Every
 * line is 128 bytes; positions are byte counts that only grow (the buffer index is
 * {@code position & (capacity - 1)}).
 *
 * <pre>
 *    0 +----------------------------------------------------------+
 *      | magic "RFRING" (8) | kind (4) | major (4) | minor (4)     |  identity, immutable
 *      | capacity (4) | max message length (4) | consumer slots (4)|
 *      | producer slots (4)                                       |
 *  128 +----------------------------------------------------------+
 *      | tail (8): end of the space claimed by producers          |  producers' line
 *  256 +----------------------------------------------------------+
 *      | head (8): start of what consumers have not taken yet     |  consumers' line
 *  384 +----------------------------------------------------------+
 *      | data doorbell: count (4, futex) | sleeping consumers (4) |
 *  512 +----------------------------------------------------------+
 *      | space doorbell: count (4, futex) | sleeping producers (4)|
 *  640 +----------------------------------------------------------+
 *      | closed (4) | corrupt (4) | unblocked records (8)         |  state: rarely written
 *      | lost records (8) | redelivered records (8)              |
 *      | orphaned consumer slots (4) | corrupt reason (4)        |
 *      | corrupt position (8) | corrupt word (8)                 |
 *  768 +----------------------------------------------------------+
 *      | producer slots: p x 128 bytes, see ProducerSlot          |  p = 1 for SPSC
 *      +----------------------------------------------------------+
 *      | consumer slots: c x 128 bytes, see ConsumerSlot          |  c = 1 for SPSC, MPSC
 *      +----------------------------------------------------------+  buffer offset
 *      | buffer: capacity bytes of records (RecordLayout)         |
 *      +----------------------------------------------------------+
 * </pre>
 *
 * <p>The identity line is written when the slot is created, before the region publishes the slot, so
 * an attacher never sees a half-made ring. {@link #verify} checks it before anything else is read.
 *
 * <p>Version 2 added the producer table (who claimed which space, so a reader can tell a
 * slow writer from a dead one before it has written anything), the single consumer's slot, the
 * corruption record and the redelivery counters. Version 3 (this one) gives SPSC space back unzeroed:
 * the producer zeroes the header past each claim instead of the consumer zeroing what it read (see
 * {@link RecordLayout}); a version 2 process would read a version 3 SPSC ring's stale words as records,
 * so rings of other major versions are refused.
 */
public final class RingLayout {

    public static final int LINE = 128;
    /** "RFRING" and two zero bytes, little-endian. */
    public static final long MAGIC = 0x0000474E49524652L;
    public static final int MAJOR_VERSION = 3;
    public static final int MINOR_VERSION = 0;

    public static final long MAGIC_OFFSET = 0;
    public static final long KIND_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final long MAJOR_OFFSET = KIND_OFFSET + Integer.BYTES;
    public static final long MINOR_OFFSET = MAJOR_OFFSET + Integer.BYTES;
    public static final long CAPACITY_OFFSET = MINOR_OFFSET + Integer.BYTES;
    public static final long MAX_MESSAGE_OFFSET = CAPACITY_OFFSET + Integer.BYTES;
    public static final long CONSUMER_SLOTS_OFFSET = MAX_MESSAGE_OFFSET + Integer.BYTES;
    public static final long PRODUCER_SLOTS_OFFSET = CONSUMER_SLOTS_OFFSET + Integer.BYTES;

    public static final long TAIL_OFFSET = LINE;
    public static final long HEAD_OFFSET = TAIL_OFFSET + LINE;
    public static final long DATA_DOORBELL_OFFSET = HEAD_OFFSET + LINE;
    public static final long SPACE_DOORBELL_OFFSET = DATA_DOORBELL_OFFSET + LINE;
    public static final long STATE_OFFSET = SPACE_DOORBELL_OFFSET + LINE;
    public static final long CLOSED_OFFSET = STATE_OFFSET;
    public static final long CORRUPT_OFFSET = CLOSED_OFFSET + Integer.BYTES;
    public static final long UNBLOCKED_OFFSET = CORRUPT_OFFSET + Integer.BYTES;
    public static final long LOST_OFFSET = UNBLOCKED_OFFSET + Long.BYTES;
    public static final long REDELIVERED_OFFSET = LOST_OFFSET + Long.BYTES;
    public static final long ORPHANS_OFFSET = REDELIVERED_OFFSET + Long.BYTES;
    public static final long CORRUPT_REASON_OFFSET = ORPHANS_OFFSET + Integer.BYTES;
    public static final long CORRUPT_POSITION_OFFSET = CORRUPT_REASON_OFFSET + Integer.BYTES;
    public static final long CORRUPT_WORD_OFFSET = CORRUPT_POSITION_OFFSET + Long.BYTES;
    public static final long PRODUCER_TABLE_OFFSET = STATE_OFFSET + LINE;

    /** Smallest and largest buffer capacity. */
    public static final int MIN_CAPACITY = 1024;
    public static final int MAX_CAPACITY = 1 << 30;
    /** Most slots either table may have. */
    public static final int MAX_SLOTS = 4096;

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private RingLayout() {
    }

    /** Where the consumer table starts for this many producer slots. */
    public static long consumerTableOffset(int producerSlots) {
        return PRODUCER_TABLE_OFFSET + (long) producerSlots * ProducerSlot.LENGTH;
    }

    /** Where the buffer starts for these table sizes. */
    public static long bufferOffset(int producerSlots, int consumerSlots) {
        return consumerTableOffset(producerSlots) + (long) consumerSlots * ConsumerSlot.LENGTH;
    }

    /** Bytes a ring of this capacity and these table sizes needs. */
    public static long totalLength(int capacity, int producerSlots, int consumerSlots) {
        return bufferOffset(producerSlots, consumerSlots) + capacity;
    }

    /** The largest message a ring of this capacity takes: an eighth of it, less the record header. */
    public static int maxMessageLength(int capacity) {
        return capacity / 8 - RecordLayout.HEADER_LENGTH;
    }

    /** The table sizes a ring of this kind gets from these options: {@code {producer slots, consumer slots}}. */
    static int[] slots(RingKind kind, RingOptions options) {
        return switch (kind) {
            case SPSC -> new int[] {1, 1};
            case MPSC -> new int[] {options.producerSlots(), 1};
            case MPMC -> new int[] {options.producerSlots(), options.consumerSlots()};
        };
    }

    /**
     * How many consumer slots of a ring are owned now (a snapshot, for diagnostics). Call on a ring that
     * passed {@link #verify}.
     */
    public static int consumerSlotsInUse(MemorySegment ring) {
        return slotsInUse(ring, consumerTableOffset((int) INT.get(ring, PRODUCER_SLOTS_OFFSET)),
                (int) INT.get(ring, CONSUMER_SLOTS_OFFSET), ConsumerSlot.LENGTH, ConsumerSlot.OWNER_OFFSET);
    }

    /** How many producer slots of a ring are owned now (a snapshot, for diagnostics). */
    public static int producerSlotsInUse(MemorySegment ring) {
        return slotsInUse(ring, PRODUCER_TABLE_OFFSET, (int) INT.get(ring, PRODUCER_SLOTS_OFFSET), ProducerSlot.LENGTH,
                ProducerSlot.OWNER_OFFSET);
    }

    private static int slotsInUse(MemorySegment ring, long table, int slots, int length, long ownerOffset) {
        int inUse = 0;
        for (int slot = 0; slot < slots; slot++) {
            if ((long) LONG.getVolatile(ring, table + (long) slot * length + ownerOffset) != ConsumerSlot.FREE) {
                inUse++;
            }
        }
        return inUse;
    }

    static void initialise(MemorySegment ring, RingKind kind, int capacity, int producerSlots, int consumerSlots) {
        LONG.set(ring, MAGIC_OFFSET, MAGIC);
        INT.set(ring, KIND_OFFSET, kind.code());
        INT.set(ring, MAJOR_OFFSET, MAJOR_VERSION);
        INT.set(ring, MINOR_OFFSET, MINOR_VERSION);
        INT.set(ring, CAPACITY_OFFSET, capacity);
        INT.set(ring, MAX_MESSAGE_OFFSET, maxMessageLength(capacity));
        INT.set(ring, CONSUMER_SLOTS_OFFSET, consumerSlots);
        INT.set(ring, PRODUCER_SLOTS_OFFSET, producerSlots);
        for (int slot = 0; slot < producerSlots; slot++) {
            LONG.set(ring, PRODUCER_TABLE_OFFSET + (long) slot * ProducerSlot.LENGTH + ProducerSlot.CLAIMING_OFFSET,
                    ProducerSlot.NONE);
        }
        long consumers = consumerTableOffset(producerSlots);
        for (int slot = 0; slot < consumerSlots; slot++) {
            LONG.set(ring, consumers + (long) slot * ConsumerSlot.LENGTH + ConsumerSlot.READING_OFFSET, ConsumerSlot.IDLE);
        }
        // No fence needed: the region publishes the slot with a release store after this returns.
    }

    /**
     * Checks a ring slot before use: magic, major version, kind, and that capacity and tables fit the
     * slot. {@code name} is used in messages.
     */
    public static void verify(MemorySegment ring, RingKind expected, String name) {
        if (ring.byteSize() < PRODUCER_TABLE_OFFSET) {
            throw new IllegalStateException("ring '" + name + "' slot is " + ring.byteSize() + " bytes, too small for a ring header");
        }
        long magic = (long) LONG.get(ring, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalStateException("slot '" + name + "' is not a ring (magic 0x" + Long.toHexString(magic) + ")");
        }
        int major = (int) INT.get(ring, MAJOR_OFFSET);
        if (major != MAJOR_VERSION) {
            throw new IllegalStateException("ring '" + name + "' has layout version " + major + ".x, this Ringfork reads "
                    + MAJOR_VERSION + ".x: open it with the version that created it, or remove the region and create it again");
        }
        RingKind kind = RingKind.fromCode((int) INT.get(ring, KIND_OFFSET));
        if (kind != expected) {
            throw new IllegalStateException("ring '" + name + "' is " + kind + ", not " + expected
                    + ": attach with the kind it was created as");
        }
        int capacity = (int) INT.get(ring, CAPACITY_OFFSET);
        int consumers = (int) INT.get(ring, CONSUMER_SLOTS_OFFSET);
        int producers = (int) INT.get(ring, PRODUCER_SLOTS_OFFSET);
        if (Integer.bitCount(capacity) != 1 || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY
                || consumers < 1 || consumers > MAX_SLOTS || producers < 1 || producers > MAX_SLOTS
                || (kind != RingKind.MPMC && consumers != 1) || (kind == RingKind.SPSC && producers != 1)
                || totalLength(capacity, producers, consumers) > ring.byteSize()
                || (int) INT.get(ring, MAX_MESSAGE_OFFSET) != maxMessageLength(capacity)) {
            throw new IllegalStateException("ring '" + name + "' has a damaged header (capacity " + capacity
                    + ", producer slots " + producers + ", consumer slots " + consumers + ", slot " + ring.byteSize()
                    + " bytes)");
        }
    }
}
