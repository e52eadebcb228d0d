package dev.ringfork.ipc.cli;

import dev.ringfork.core.ring.RecordLayout;
import dev.ringfork.core.ring.RingKind;
import dev.ringfork.core.ring.RingLayout;
import dev.ringfork.core.sync.Doorbell;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A ring slot as {@code ringfork stat} sees it, read through the public {@link RingLayout} and
 * {@link RecordLayout} offsets without opening a producer or consumer, so nothing in the ring changes.
 *
 * <p>{@code backlogBytes} is {@code tail - head}: everything claimed and not yet taken.
 * {@code backlogMessages} counts the committed messages from the head, stopping at the first record not
 * committed yet ({@code uncommittedBytes} is what lies from there to the tail) and after
 * {@link #WALK_LIMIT} records ({@code backlogExact} false: there are at least that many).
 * {@code messageBytes} is the buffer space those messages take (headers included, padding not).
 */
record StatRing(String name, RingKind kind, int capacity, int maxMessage, long head, long tail,
                long backlogBytes, long backlogMessages, boolean backlogExact, long uncommittedBytes, long messageBytes,
                int sleepingConsumers, int sleepingProducers, boolean closed, long unblockedRecords, long lostMessages,
                long redeliveredMessages, int consumerSlots, int consumerSlotsInUse, int producerSlots,
                int producerSlotsInUse, boolean corrupt) implements StatSlot {

    /** The walk over the backlog stops after this many records, so a huge backlog costs bounded time. */
    static final int WALK_LIMIT = 1_000_000;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /**
     * The ring in {@code slot}; a {@link StatSlot.Bytes} if the slot holds no ring, or a
     * {@link StatSlot.Unreadable} naming the problem if its header is damaged or of another version.
     */
    static StatSlot read(String name, MemorySegment slot) {
        if (slot.byteSize() < RingLayout.PRODUCER_TABLE_OFFSET
                || (long) LONG.get(slot, RingLayout.MAGIC_OFFSET) != RingLayout.MAGIC) {
            return new StatSlot.Bytes(name, slot.byteSize());
        }
        int code = (int) INT.get(slot, RingLayout.KIND_OFFSET);
        RingKind kind = RingKind.fromCode(code);
        if (kind == null) {
            return new StatSlot.Unreadable(name, "ring '" + name + "' has unknown kind code " + code
                    + ": it was made by another Ringfork version, or it is damaged");
        }
        try {
            RingLayout.verify(slot, kind, name);
        } catch (IllegalStateException e) {
            return new StatSlot.Unreadable(name, e.getMessage());
        }
        int capacity = (int) INT.get(slot, RingLayout.CAPACITY_OFFSET);
        int consumerSlots = (int) INT.get(slot, RingLayout.CONSUMER_SLOTS_OFFSET);
        int producerSlots = (int) INT.get(slot, RingLayout.PRODUCER_SLOTS_OFFSET);
        MemorySegment buffer = slot.asSlice(RingLayout.bufferOffset(producerSlots, consumerSlots), capacity);
        // Head before tail, as Ring.backlogBytes does: the backlog is never negative from a lagging tail.
        long head = (long) LONG.getVolatile(slot, RingLayout.HEAD_OFFSET);
        long tail = (long) LONG.getVolatile(slot, RingLayout.TAIL_OFFSET);
        Walk walk = Walk.of(buffer, capacity, head, tail);
        return new StatRing(name, kind, capacity, (int) INT.get(slot, RingLayout.MAX_MESSAGE_OFFSET), head, tail,
                Math.max(0, tail - head), walk.messages, walk.exact, walk.uncommitted, walk.messageBytes,
                Doorbell.at(slot, RingLayout.DATA_DOORBELL_OFFSET).sleepers(),
                Doorbell.at(slot, RingLayout.SPACE_DOORBELL_OFFSET).sleepers(),
                (int) INT.getVolatile(slot, RingLayout.CLOSED_OFFSET) != 0,
                (long) LONG.getVolatile(slot, RingLayout.UNBLOCKED_OFFSET),
                (long) LONG.getVolatile(slot, RingLayout.LOST_OFFSET),
                (long) LONG.getVolatile(slot, RingLayout.REDELIVERED_OFFSET),
                consumerSlots, RingLayout.consumerSlotsInUse(slot), producerSlots, RingLayout.producerSlotsInUse(slot),
                (int) INT.getVolatile(slot, RingLayout.CORRUPT_OFFSET) != 0);
    }

    /** Mean buffer bytes of a backlog message, or 0 if the backlog held none. */
    double averageRecordBytes() {
        return backlogMessages == 0 ? 0 : (double) messageBytes / backlogMessages;
    }

    /** The committed records from head towards tail (see the class comment). */
    private record Walk(long messages, long messageBytes, boolean exact, long uncommitted) {

        static Walk of(MemorySegment buffer, int capacity, long head, long tail) {
            int mask = capacity - 1;
            long position = head;
            long messages = 0;
            long messageBytes = 0;
            for (int records = 0; position < tail; records++) {
                if (records == WALK_LIMIT) {
                    return new Walk(messages, messageBytes, false, 0);
                }
                // Acquire: pairs with the producer's release store of a committed header.
                long header = (long) LONG.getAcquire(buffer, (long) ((int) position & mask));
                int length = RecordLayout.length(header);
                if (length <= 0 || length > capacity) {
                    break; // claimed and being written, or taken and zeroed or reused under us
                }
                int aligned = RecordLayout.aligned(length);
                if (RecordLayout.type(header) != RecordLayout.PADDING) {
                    messages++;
                    messageBytes += aligned;
                }
                position += aligned;
            }
            return new Walk(messages, messageBytes, true, Math.max(0, tail - position));
        }
    }
}
