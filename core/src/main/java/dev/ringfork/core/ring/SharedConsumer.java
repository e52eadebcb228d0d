package dev.ringfork.core.ring;


import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * One of many competing consumers of an MPMC ring. To take records it announces in its slot the head it
 * read (so producers keep that space), checks the head has not moved, counts the committed records from
 * there, and moves the shared head past them with a compare-and-set: those records are now its alone.
 * It reads them in place, zeroes them, and sets its slot back to IDLE, which gives the space back.
 * Consumers finish in any order; producers reuse space only below every announced position.
 *
 * <p>If the handler throws, the records after it in the same batch are dropped and counted as lost
 * (ask for a limit of 1 to rule that out).
 */
final class SharedConsumer extends AbstractConsumer {

    private final int slot;
    private final long readingOffset;
    private boolean closed;

    SharedConsumer(Ring ring, int slot) {
        super(ring, true);
        this.slot = slot;
        this.readingOffset = ConsumerSlot.base(slot) + ConsumerSlot.READING_OFFSET;
    }

    @Override
    public int read(MessageHandler handler, int limit) {
        if (closed) {
            throw new IllegalStateException("this consumer of ring '" + ring.name + "' is closed");
        }
        for (;;) {
            long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
            // Volatile: announce before re-checking the head, so a producer that has not seen the
            // announcement read a head no later than ours (Dekker with freePosition's reads).
            LONG.setVolatile(ring.ring, readingOffset, head);
            if ((long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET) != head) {
                continue;
            }
            // Never past the tail: beyond it lie records of the previous lap that a slower consumer is
            // still reading in place (it zeroes them only when done).
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            long end = head;
            int count = 0;
            long header = 0;
            while (count < limit && end < tail) {
                // Acquire: pairs with the producer's release store of the header.
                header = (long) LONG.getAcquire(buffer, (long) ((int) end & mask));
                int length = length(header);
                if (length <= 0) {
                    break;
                }
                end += aligned(length);
                if (type(header) != PADDING) {
                    count++;
                }
            }
            if (end == head) {
                LONG.setRelease(ring.ring, readingOffset, ConsumerSlot.IDLE);
                stall.check(head, header);
                return 0;
            }
            if (!LONG.compareAndSet(ring.ring, RingLayout.HEAD_OFFSET, head, end)) {
                continue; // another consumer took them first
            }
            deliver(handler, head, end);
            return count;
        }
    }

    private void deliver(MessageHandler handler, long from, long to) {
        long position = from;
        try {
            while (position < to) {
                int index = (int) position & mask;
                long header = (long) LONG.getAcquire(buffer, (long) index);
                int length = length(header);
                position += aligned(length);
                if (type(header) != PADDING) {
                    handler.onMessage(type(header), view.asSlice(index + RecordLayout.HEADER_LENGTH, length - RecordLayout.HEADER_LENGTH));
                }
            }
        } finally {
            if (position < to) {
                ring.countLost(Ring.countMessages(buffer, mask, position, to));
            }
            ring.zero(from, to);
            // Release: gives the zeroed space back; pairs with the producers' acquire in freePosition.
            LONG.setRelease(ring.ring, readingOffset, ConsumerSlot.IDLE);
            ring.spaceBell.ring();
        }
    }

    @Override
    public boolean isEndOfStream() {
        // Closed first, then tail and head: every claim made before close() must have been taken.
        return ring.isClosed() && (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET)
                <= (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ConsumerSlot.free(ring.ring, slot);
        }
    }

    @Override
    boolean readyOrEnded() {
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        // One read of the header per poll: the line is the one the producers are writing.
        long header = (long) LONG.getAcquire(buffer, (long) ((int) head & mask));
        if (length(header) > 0 || isEndOfStream()) {
            return true;
        }
        stall.check(head, header);
        return false;
    }
}
