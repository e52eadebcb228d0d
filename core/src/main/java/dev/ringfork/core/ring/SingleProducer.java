package dev.ringfork.core.ring;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * The only producer of an SPSC ring: the tail is its own, so claiming is plain arithmetic. It announces
 * each claim's start in the producer slot, publishes the tail past the claim, and only then writes the
 * claim's headers: the head never passes the tail, and a reader waiting at claimed space can tell whose
 * it is. Its process is registered as the ring's producer (one live producer process at a time) until
 * {@link #release()}.
 *
 * <p>The consumer of an SPSC ring gives space back without zeroing it, so the producer keeps the one
 * invariant reading needs: the header word at the tail is zero. Before it moves the tail past a claim it
 * zeroes the header word just past the claim (and, for a claim that wraps, the first word of the buffer,
 * where the record goes). That word must be free space, so a claim needs a header's length of room
 * beyond itself: an SPSC ring holds at most {@code capacity - 8} bytes of records.
 */
final class SingleProducer extends AbstractProducer {

    private final int pid;
    private final long claiming = ProducerTable.claiming(0);
    private long tail;
    /** Handed out again once committed or aborted, so the usual claim, fill, commit allocates nothing. */
    private RingClaim spare;
    private BatchClaim spareBatch;

    SingleProducer(Ring ring, int pid) {
        super(ring);
        this.pid = pid;
        ring.producers.registerSingle();
        this.tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        try {
            ring.checkPositions((long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET), tail);
        } catch (RuntimeException e) {
            ring.producers.releaseSingle();
            throw e;
        }
        this.freeCache = ring.freePosition(tail);
    }

    @Override
    int claimIndex(int recordLength) {
        int aligned = aligned(recordLength);
        long position = tail;
        int index = (int) position & mask;
        int toEnd = capacity - index;
        int required = required(position, aligned);
        if (!fits(position, required + RecordLayout.HEADER_LENGTH)) {
            return -1;
        }
        claimSpace(position, required, aligned > toEnd);
        if (aligned > toEnd) {
            // Release: the padding is committed at once; pairs with the consumer's getAcquire.
            LONG.setRelease(buffer, (long) index, header(toEnd, PADDING));
            index = 0;
        }
        markBeingWritten(index, -recordLength, pid);
        return index;
    }

    /**
     * No second close check: an SPSC ring is closed from its producer's thread (see {@link Ring#close()}),
     * so the check in {@link #recordLength} already saw it.
     */
    @Override
    RingClaim claimed(int index, int recordLength, int type) {
        RingClaim claim = spare;
        if (claim == null || !claim.isDone()) {
            claim = new RingClaim(this, index, recordLength, type);
            spare = claim;
            return claim;
        }
        return claim.reset(index, recordLength, type);
    }

    @Override
    long claimRun(int aligned, int count) {
        long position = tail;
        int index = (int) position & mask;
        int pad = padBefore(index, aligned);
        int start = pad == 0 ? index : 0;
        // The pad argument carries the next header's room too: it is zeroed before the tail moves.
        int n = fitting(position, pad + RecordLayout.HEADER_LENGTH, aligned, contiguous(start, aligned, count));
        if (n == 0) {
            return -1;
        }
        int span = n * aligned;
        claimSpace(position, pad + span, pad > 0);
        if (pad > 0) {
            // Release: the padding is committed at once; pairs with the consumer's getAcquire.
            LONG.setRelease(buffer, (long) index, header(pad, PADDING));
        }
        // "Being written" for the whole run: consumers stop here until the commit, and skip it all if we die.
        markBeingWritten(start, -span, pid);
        return ((long) start << 32) | n;
    }

    /**
     * Announces the claim, zeroes the header words a reader may reach before this claim's headers are
     * written (the one past the claim, and the first of the buffer if the claim wraps to it), and moves
     * the tail past the claim, before any header is written: consumers never find a header (padding
     * included) past the tail, so the head cannot pass the tail whatever moment this producer stops or
     * dies at. Until the header is written its word reads zero below the tail: the announcement says whose
     * it is (see {@link ProducerSlot}). The claim's other words still hold what the last lap left there;
     * nothing reads them before the header is committed, and recovery pads a dead claim up to the tail
     * without looking at them ({@link ProducerTable}).
     */
    private void claimSpace(long position, int length, boolean wraps) {
        // Plain: the tail's release store below publishes these stores.
        LONG.set(ring.ring, claiming, position);
        tail = position + length;
        LONG.set(buffer, (long) ((int) tail & mask), 0L);
        if (wraps) {
            LONG.set(buffer, 0L, 0L);
        }
        // Release: publishes the announcement and the zeroed headers with the claim; pairs with the
        // volatile tail read of a consumer's stall check and of ProducerTable.settle. A consumer that reads
        // the word past the claim got there through this claim's committed header (a later release store
        // in this thread), so it sees the zero or something newer, never the last lap's header.
        LONG.setRelease(ring.ring, RingLayout.TAIL_OFFSET, tail);
        RingTestHooks.at(RingTestHooks.Point.AFTER_TAIL_CLAIM);
    }

    @Override
    BatchClaim batchClaimed(int index, int recordLength, int aligned, int type, int count) {
        BatchClaim claim = spareBatch;
        if (claim == null || !claim.isDone()) {
            claim = new BatchClaim(this);
            spareBatch = claim;
        }
        return claim.reset(index, recordLength, aligned, type, count);
    }

    @Override
    boolean hasRoom(int recordLength) {
        int aligned = aligned(recordLength);
        return tail + required(tail, aligned) + RecordLayout.HEADER_LENGTH - ring.freePosition(tail) <= capacity;
    }

    @Override
    void releaseSlot() {
        ring.producers.releaseSingle();
    }
}
