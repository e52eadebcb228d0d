package dev.ringfork.core.ring;

import java.lang.invoke.VarHandle;

import static dev.ringfork.core.ring.ConsumerSlot.END_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.IDLE;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_HELD;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_IDLE;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_OWNED;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_RELEASING;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_TAKING;
import static dev.ringfork.core.ring.ConsumerSlot.READING_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.RELEASE_TO_OFFSET;
import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.INT;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * One of many competing consumers of an MPMC ring (the protocol is in {@link ConsumerSlot}): it
 * announces the head in its slot, counts committed records from there, stores where they end, and moves
 * the shared head past them with a compare-and-set: they are its alone. It reads them in place, zeroes
 * them and sets its slot back to IDLE, which gives the space back. Consumers finish in any order;
 * producers reuse space only below every announced position.
 *
 * <p>Delivery is at least once: a record is given back only after the handler has seen it (and
 * {@link MessageHandler#beforeRelease()} returned). If the handler throws, the records after the one
 * that threw are held for this consumer's next read; if this consumer dies, whatever it held goes to
 * another consumer ({@link ConsumerTable#recover}). Before taking new records, a read delivers those it
 * holds, then any orphaned by a dead consumer.
 */
final class SharedConsumer extends AbstractConsumer {

    private final ConsumerTable table;
    private final int slot;
    private final long readingAt;
    private final long endAt;
    private final long phaseAt;
    /** This consumer's own slot holds undelivered records (phase HELD). */
    private boolean holding;
    private boolean closed;

    SharedConsumer(Ring ring, int slot) {
        super(ring);
        this.table = ring.consumers;
        this.slot = slot;
        this.readingAt = table.at(slot, READING_OFFSET);
        this.endAt = table.at(slot, END_OFFSET);
        this.phaseAt = table.at(slot, PHASE_OFFSET);
    }

    @Override
    int poll(MessageHandler handler, int limit) {
        if (closed) {
            throw new IllegalStateException("this consumer of ring '" + ring.name + "' is closed");
        }
        if (holding) {
            int n = deliver(slot, table.reading(slot), table.end(slot), handler, limit, false);
            if (n > 0) {
                return n;
            }
        }
        if (table.hasOrphans()) {
            int orphan = table.adopt();
            if (orphan >= 0) {
                int n = deliver(orphan, table.reading(orphan), table.end(orphan), handler, limit, true);
                if (n > 0) {
                    return n;
                }
            }
        }
        for (boolean announced = false; ; announced = true) {
            long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
            if ((long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET) == head) {
                if (announced) {
                    // Release: a lost race left our announcement behind; take it back (pairs with freePosition).
                    LONG.setRelease(ring.ring, readingAt, IDLE);
                }
                ring.integrity.check();
                return 0; // empty: nothing to announce
            }
            // Volatile: announce before re-checking the head, so a producer that has not seen the
            // announcement read a head no later than ours (Dekker with freePosition's reads).
            LONG.setVolatile(ring.ring, readingAt, head);
            RingTestHooks.at(RingTestHooks.Point.AFTER_ANNOUNCE);
            if ((long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET) != head) {
                continue;
            }
            long end;
            int count;
            long header = 0;
            try {
                // Never past the tail: beyond it lie records of the previous lap that a slower consumer is
                // still reading in place (it zeroes them only when done).
                long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
                ring.checkPositions(head, tail);
                end = head;
                count = 0;
                while (count < limit && end - tail < 0) {
                    int index = (int) end & mask;
                    // Acquire: pairs with the producer's release store of the header.
                    header = (long) LONG.getAcquire(buffer, (long) index);
                    int length = length(header);
                    if (length <= 0) {
                        break;
                    }
                    checkCommitted(end, index, header, length);
                    end += aligned(length);
                    if (type(header) != PADDING) {
                        count++;
                    }
                }
                if (end - tail > 0) {
                    throw ring.integrity.report(RingIntegrity.Problem.RECORD_PAST_TAIL, end - aligned(length(header)), header);
                }
                if (end == head) {
                    // Still announced while the stall watch looks at the record: producers cannot lap
                    // round to this space, so padding a dead writer's claim cannot land on a later one.
                    notReady(head, header);
                    // Release: we took nothing; pairs with freePosition's acquire.
                    LONG.setRelease(ring.ring, readingAt, IDLE);
                    return 0;
                }
            } catch (RuntimeException | Error e) {
                LONG.setRelease(ring.ring, readingAt, IDLE);
                throw e;
            }
            // Plain: the head compare-and-set below publishes both (a recoverer reads them after seeing it).
            LONG.set(ring.ring, endAt, end);
            INT.set(ring.ring, phaseAt, PHASE_TAKING);
            RingTestHooks.at(RingTestHooks.Point.BEFORE_HEAD_CAS);
            if (!LONG.compareAndSet(ring.ring, RingLayout.HEAD_OFFSET, head, end)) {
                continue; // another consumer took them first
            }
            INT.set(ring.ring, phaseAt, PHASE_OWNED);
            return deliver(slot, head, end, handler, Integer.MAX_VALUE, false);
        }
    }

    /**
     * Delivers up to {@code limit} messages of the records [from, to) held in slot {@code holder}, then
     * gives back what the handler saw and keeps the rest held. A zero header ends the range early: in an
     * orphaned range, what follows the dead consumer's own records was taken and zeroed by others.
     */
    private int deliver(int holder, long from, long to, MessageHandler handler, int limit, boolean adopted) {
        long position = from;
        int count = 0;
        try {
            while (count < limit && position - to < 0) {
                int index = (int) position & mask;
                long header = (long) LONG.getAcquire(buffer, (long) index);
                int length = length(header);
                if (length <= 0) {
                    position = to;
                    break;
                }
                checkCommitted(position, index, header, length);
                position += aligned(length);
                if (type(header) != PADDING) {
                    count++;
                    handler.onMessage(type(header), view.asSlice(index + RecordLayout.HEADER_LENGTH, length - RecordLayout.HEADER_LENGTH));
                }
            }
        } catch (Throwable t) {
            // Consumed up to and including the record that threw, once the handler flushed what it saw.
            settle(holder, from, flushAfterFailure(handler, count, t) ? position : from, to, adopted);
            throw t;
        }
        if (count > 0) {
            try {
                handler.beforeRelease();
            } catch (Throwable t) {
                settle(holder, from, from, to, adopted); // nothing given back: delivered again
                throw t;
            }
        }
        settle(holder, from, position, to, adopted);
        return count;
    }

    /**
     * Gives back [from, delivered) (zeroed, the first header last) and keeps [delivered, to) held: in this
     * consumer's slot for its next read, or, for an adopted slot, orphaned again for any consumer.
     */
    private void settle(int holder, long from, long delivered, long to, boolean adopted) {
        if (delivered != from) {
            // Plain, each behind a store-store fence: "release to", then the phase that makes a recoverer
            // read it, then the zeroing; so a consumer killed anywhere here leaves a recoverer a release
            // it can finish (ConsumerTable.recover, RELEASING) and never a stale "release to".
            LONG.set(ring.ring, table.at(holder, RELEASE_TO_OFFSET), delivered);
            VarHandle.storeStoreFence();
            INT.set(ring.ring, table.at(holder, PHASE_OFFSET), PHASE_RELEASING);
            VarHandle.storeStoreFence();
            ring.zero(from, delivered);
        }
        if (delivered - to >= 0) {
            if (adopted) {
                table.free(holder);
            } else {
                INT.set(ring.ring, phaseAt, PHASE_IDLE);
                // Release: the zeroed space is free for producers; pairs with freePosition's acquire.
                LONG.setRelease(ring.ring, readingAt, IDLE);
                holding = false;
                ring.spaceBell.ring();
            }
        } else {
            // The position moves past the zeroed part first, then the phase says HELD: killed in between,
            // the slot still says RELEASING with "release to" = position, which a recoverer finishes by
            // orphaning [position, end). (HELD first would make it orphan the zeroed part, and count nothing.)
            LONG.set(ring.ring, table.at(holder, END_OFFSET), to);
            // Release: gives back the zeroed part below (pairs with freePosition's acquire), keeps the rest.
            LONG.setRelease(ring.ring, table.at(holder, READING_OFFSET), delivered);
            RingTestHooks.at(RingTestHooks.Point.WHILE_KEEPING_REST);
            // Release: ordered after the position above.
            INT.setRelease(ring.ring, table.at(holder, PHASE_OFFSET), PHASE_HELD);
            if (adopted) {
                table.giveBack(holder);
            } else {
                holding = true;
            }
            ring.spaceBell.ring();
        }
        if (ring.isClosed()) {
            ring.dataBell.ring(); // a reader waiting for the end of the stream re-checks
        }
    }

    @Override
    boolean ended() {
        // Closed first, then head and tail: every claim made before close() must have been taken, and no
        // consumer may still hold records (one that dies would hand them back).
        if (!ring.isClosed() || holding) {
            return false;
        }
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        if (tail - head < 0) {
            throw ring.integrity.report(RingIntegrity.Problem.TAIL_BELOW_HEAD, head, tail);
        }
        return tail == head && !table.othersHold(slot);
    }

    @Override
    void maintain() {
        super.maintain();
        table.recover();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (holding) {
                table.giveBack(slot); // our held records go to another consumer; the slot goes with them
            } else {
                table.free(slot);
            }
        }
    }
}
