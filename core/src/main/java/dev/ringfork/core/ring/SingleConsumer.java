package dev.ringfork.core.ring;

import java.lang.invoke.VarHandle;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * The only consumer of an SPSC or MPSC ring: reads committed records in place from its head, then gives
 * the space back by moving the shared head once per read. Its process is registered as the ring's
 * consumer (one live consumer process at a time) until {@link #close()}.
 *
 * <p>SPSC: giving back is the head store alone; the producer zeroes the header word past each claim
 * ({@link SingleProducer}), so stale words in the space given back are never read as records. MPSC:
 * claims race for the tail, so no producer can zero for the next one; the consumer zeroes what it read
 * before it moves the head, and producers always claim zeroed memory.
 *
 * <p>Nothing is given back before the handler has seen it: if the handler throws, the records up to
 * the one that threw are given back and the rest stay for the next read; if
 * {@link MessageHandler#beforeRelease()} throws, none of them is given back and the next read (or the
 * next consumer, if this process dies) delivers them again. MPSC: giving back is zeroing, then moving the
 * head; the slot's "release to" word says where it ends before the zeroing starts, so a consumer that dies
 * in between leaves its successor enough to finish the release rather than a zeroed gap below the tail.
 */
final class SingleConsumer extends AbstractConsumer {

    private final long releaseToAt;
    /** SPSC: give space back by moving the head only (see the class comment). */
    private final boolean headOnly;
    private long head;
    private boolean closed;

    SingleConsumer(Ring ring) {
        super(ring);
        this.releaseToAt = ring.consumers.at(0, ConsumerSlot.RELEASE_TO_OFFSET);
        this.headOnly = ring.kind == RingKind.SPSC;
        ring.integrity.check();
        ring.consumers.registerSingle();
        try {
            this.head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
            ring.checkPositions(head, (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET));
        } catch (RuntimeException e) {
            ring.consumers.releaseSingle();
            throw e;
        }
    }

    @Override
    int poll(MessageHandler handler, int limit) {
        if (closed) {
            throw new IllegalStateException("this consumer of ring '" + ring.name + "' is closed");
        }
        long position = head;
        int count = 0;
        try {
            // At most one lap: in a full ring the next index after the last record is the head again.
            while (count < limit && position - head < capacity) {
                int index = (int) position & mask;
                // Acquire: pairs with the producer's release store of the header (publish).
                long header = (long) LONG.getAcquire(buffer, (long) index);
                int length = length(header);
                if (length <= 0) {
                    if (position == head) { // nothing read in this call (count > 0 moves the position)
                        notReady(position, header);
                    }
                    break;
                }
                checkCommitted(position, index, header, length);
                position += aligned(length);
                int type = type(header);
                if (type != PADDING) {
                    count++;
                    handler.onMessage(type, view.asSlice(index + RecordLayout.HEADER_LENGTH, length - RecordLayout.HEADER_LENGTH));
                }
            }
        } catch (Throwable t) {
            if (flushAfterFailure(handler, count, t)) {
                releaseTo(position); // consumed up to and including the record whose handler threw
            }
            throw t;
        }
        if (count > 0) {
            handler.beforeRelease(); // if it throws, nothing is given back: they are delivered again
        }
        releaseTo(position);
        return count;
    }

    private void releaseTo(long position) {
        if (position == head) {
            return;
        }
        if (headOnly) {
            ring.releaseUnzeroed(position);
        } else {
            // Opaque, then a store-store fence: our slot says how far we release before any zeroing is
            // visible, so a consumer that takes over after our death finishes it (ConsumerTable.registerSingle).
            LONG.setOpaque(ring.ring, releaseToAt, position);
            VarHandle.storeStoreFence();
            ring.release(head, position);
        }
        head = position;
    }

    @Override
    boolean ended() {
        // Closed first, then the tail: every claim made before close() is below the tail we read, and is
        // waited for (committed, aborted, or unblocked if its writer died) before the stream ends.
        if (!ring.isClosed()) {
            return false;
        }
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        if (tail - head < 0) {
            throw ring.integrity.report(RingIntegrity.Problem.TAIL_BELOW_HEAD, head, tail);
        }
        return tail == head;
    }

    @Override
    void maintain() {
        ring.integrity.check();
        ring.checkPositions(head, (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ring.consumers.releaseSingle();
        }
    }
}
