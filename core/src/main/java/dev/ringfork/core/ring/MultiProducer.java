package dev.ringfork.core.ring;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * A producer of an MPSC or MPMC ring: announces where its claim starts in the calling thread's producer
 * slot ({@link ProducerSlot}), claims the space with one compare-and-set on the shared tail, and writes
 * its "being written" header with a plain store. Readers never pad the space of a live announcer, so
 * nothing it claimed can be taken from it, however long it stalls. Thread-safe: each thread that writes
 * announces in a slot of its own.
 */
final class MultiProducer extends AbstractProducer {

    private final int pid;

    MultiProducer(Ring ring, int pid) {
        super(ring);
        this.pid = pid;
        this.freeCache = ring.freePosition((long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET));
    }

    @Override
    int claimIndex(int recordLength) {
        int aligned = aligned(recordLength);
        long announce = ring.producers.claimingOffsetOfThisThread();
        for (;;) {
            long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            checkTail(position);
            int index = (int) position & mask;
            int toEnd = capacity - index;
            int required = required(position, aligned);
            if (!fits(position, required)) {
                withdraw(announce);
                return -1;
            }
            // Plain: the tail compare-and-set below publishes it; a reader that sees the new tail sees it.
            // A failed compare-and-set leaves it on the winner's start until the next announcement or
            // withdraw(): harmless meanwhile, as it only makes readers wait for that space.
            LONG.set(ring.ring, announce, position);
            RingTestHooks.at(RingTestHooks.Point.BEFORE_TAIL_CAS);
            // Volatile CAS: claims [position, position + required) for this producer alone.
            if (!LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, position, position + required)) {
                continue;
            }
            RingTestHooks.at(RingTestHooks.Point.AFTER_TAIL_CLAIM);
            if (aligned > toEnd) {
                // Release: the padding is committed at once; pairs with the consumer's getAcquire.
                LONG.setRelease(buffer, (long) index, header(toEnd, PADDING));
                index = 0;
            }
            markBeingWritten(index, -recordLength, pid);
            return index;
        }
    }

    @Override
    long claimRun(int aligned, int count) {
        long announce = ring.producers.claimingOffsetOfThisThread();
        for (;;) {
            long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            checkTail(position);
            int index = (int) position & mask;
            int pad = padBefore(index, aligned);
            int start = pad == 0 ? index : 0;
            int n = fitting(position, pad, aligned, contiguous(start, aligned, count));
            if (n == 0) {
                withdraw(announce);
                return -1;
            }
            int span = n * aligned;
            LONG.set(ring.ring, announce, position);
            RingTestHooks.at(RingTestHooks.Point.BEFORE_TAIL_CAS);
            // Volatile CAS: claims the padding and the run for this producer alone.
            if (!LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, position, position + pad + span)) {
                continue;
            }
            RingTestHooks.at(RingTestHooks.Point.AFTER_TAIL_CLAIM);
            if (pad > 0) {
                LONG.setRelease(buffer, (long) index, header(pad, PADDING));
            }
            // One "being written" header for the run: consumers stop here until the commit.
            markBeingWritten(start, -span, pid);
            return ((long) start << 32) | n;
        }
    }

    /**
     * No room: takes back whatever this thread's slot announces. After a lost tail race it announces the
     * winner's start; left there, it would vouch (alive) for the winner's space if the winner died before
     * writing its header, and a consumer would wait for that space for ever.
     */
    private void withdraw(long announce) {
        // Opaque: a reader that still sees the old value only waits a little longer (it re-checks).
        LONG.setOpaque(ring.ring, announce, ProducerSlot.NONE);
    }

    /**
     * The shared tail is aligned and never below the head: one compare against the cached free position
     * on the claim path. That cache is shared by the threads using this producer, so another thread may
     * have stored a free position read after our tail; a tail below it is confirmed with a head and a tail
     * read in that order before it is reported.
     */
    private void checkTail(long position) {
        if ((position & (RecordLayout.ALIGNMENT - 1)) != 0) {
            throw ring.integrity.report(RingIntegrity.Problem.MISALIGNED, position, position);
        }
        if (position - freeCache < 0) {
            // Acquire: the tail read below comes after this head read; the head never passes the tail, and
            // the tail only grows, so a tail read later that is below this head is corrupt.
            long head = (long) LONG.getAcquire(ring.ring, RingLayout.HEAD_OFFSET);
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            if (tail - head < 0) {
                throw ring.integrity.report(RingIntegrity.Problem.TAIL_BELOW_HEAD, head, tail);
            }
        }
    }

    @Override
    boolean hasRoom(int recordLength) {
        long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        int aligned = aligned(recordLength);
        return position + required(position, aligned) - ring.freePosition(position) <= capacity;
    }

    @Override
    void releaseSlot() {
        ring.producers.releaseThisThread();
    }
}
