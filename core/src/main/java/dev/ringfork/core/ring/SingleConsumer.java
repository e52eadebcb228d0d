package dev.ringfork.core.ring;


import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * The only consumer of an SPSC or MPSC ring: reads committed records in place from its head, then
 * zeroes what it read and moves the shared head once per batch.
 */
final class SingleConsumer extends AbstractConsumer {

    private long head;

    SingleConsumer(Ring ring, boolean multiProducer) {
        super(ring, multiProducer);
        this.head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
    }

    @Override
    public int read(MessageHandler handler, int limit) {
        long position = head;
        int count = 0;
        try {
            // At most one lap: in a full ring the next index after the last record is the head again.
            while (count < limit && position - head < ring.capacity) {
                int index = (int) position & mask;
                // Acquire: pairs with the producer's release store of the header (publish).
                long header = (long) LONG.getAcquire(buffer, (long) index);
                int length = length(header);
                if (length <= 0) {
                    if (count == 0 && position == head) {
                        stall.check(position, header);
                    }
                    break;
                }
                position += aligned(length);
                int type = type(header);
                if (type != PADDING) {
                    count++;
                    handler.onMessage(type, view.asSlice(index + RecordLayout.HEADER_LENGTH, length - RecordLayout.HEADER_LENGTH));
                }
            }
        } finally {
            if (position != head) {
                ring.release(head, position);
                head = position;
            }
        }
        return count;
    }

    @Override
    public boolean isEndOfStream() {
        // Closed first, then the tail: every claim made before close() is below the tail we read, and is
        // waited for (committed, aborted, or unblocked if its writer died) before the stream ends.
        return ring.isClosed() && (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET) <= head;
    }

    @Override
    public void close() {
        // nothing held: the position lives in the ring
    }

    @Override
    boolean readyOrEnded() {
        // One read of the header per poll: the line is the one the producer is writing.
        long header = (long) LONG.getAcquire(buffer, (long) ((int) head & mask));
        if (length(header) > 0 || isEndOfStream()) {
            return true;
        }
        stall.check(head, header);
        return false;
    }
}
