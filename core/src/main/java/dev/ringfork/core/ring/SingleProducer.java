package dev.ringfork.core.ring;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * The only producer of an SPSC ring: the tail is its own, so claiming is plain arithmetic; the shared
 * tail word is only published for statistics and stall detection.
 */
final class SingleProducer extends AbstractProducer {

    private final int pid;
    private long tail;

    SingleProducer(Ring ring, int pid) {
        super(ring);
        this.pid = pid;
        this.tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        this.freeCache = ring.freePosition();
    }

    @Override
    int claimIndex(int recordLength) {
        int aligned = aligned(recordLength);
        long position = tail;
        int index = (int) position & mask;
        int toEnd = capacity - index;
        int required = required(position, aligned);
        if (!fits(position, required)) {
            return -1;
        }
        if (aligned > toEnd) {
            // Release: the padding is committed at once; pairs with the consumer's getAcquire.
            LONG.setRelease(buffer, (long) index, header(toEnd, PADDING));
            index = 0;
        }
        // "Being written" by this pid: a consumer can tell a dead writer from a slow one.
        LONG.setOpaque(buffer, (long) index, header(-recordLength, pid));
        tail = position + required;
        LONG.setOpaque(ring.ring, RingLayout.TAIL_OFFSET, tail);
        return index;
    }

    @Override
    boolean hasRoom(int recordLength) {
        int aligned = aligned(recordLength);
        return tail + required(tail, aligned) - ring.freePosition() <= capacity;
    }
}
