package dev.ringfork.core.ring;

import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.sync.Deadline;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * What every producer does the same way: size checks, copying, waiting for room, publishing. Subclasses
 * decide how space is claimed ({@link #claimIndex}).
 */
abstract sealed class AbstractProducer implements RingProducer permits SingleProducer, MultiProducer {

    final Ring ring;
    final MemorySegment buffer;
    final int capacity;
    final int mask;
    /**
     * Producer-local copy of a position up to which space was free (less capacity). Threads sharing an
     * MPSC/MPMC producer race on it: any value it holds was a real free position once, so it only ever
     * understates the room, and it is never compared with a tail as proof of corruption.
     */
    long freeCache;
    /** When a producer waiting for room next does its upkeep ({@link System#nanoTime()}). */
    private long upkeepAt;

    AbstractProducer(Ring ring) {
        ring.integrity.check();
        this.ring = ring;
        this.buffer = ring.buffer;
        this.capacity = ring.capacity;
        this.mask = ring.capacity - 1;
        this.upkeepAt = System.nanoTime() + ring.stallTimeoutNanos;
    }

    /**
     * Claims an aligned record of {@code recordLength} bytes (header included), writing a padding record
     * at the wrap if needed, and installs the "being written" header. Returns its buffer index, or -1 if
     * there is no room now.
     */
    abstract int claimIndex(int recordLength);

    /**
     * Claims a run of up to {@code count} records of {@code aligned} bytes each, contiguous in the buffer
     * (after a padding record at the wrap if the first does not fit before it), and installs one "being
     * written" header for the whole run at its start. Returns {@code start index << 32 | records}, or -1
     * if not even one record fits now.
     */
    abstract long claimRun(int aligned, int count);

    /** True if {@code required} more bytes past the current tail would fit now. */
    abstract boolean hasRoom(int recordLength);

    /** Whether {@code required} bytes from {@code position} fit, refreshing the cached free position once. */
    final boolean fits(long position, int required) {
        if (position + required - freeCache <= capacity) {
            return true;
        }
        refreshFree(position); // the cache is stale only when the ring looked full
        return position + required - freeCache <= capacity;
    }

    /**
     * Reads the free position again and checks it against {@code position}, a tail read before it: it is
     * aligned, at most a lap behind, and not past the tail.
     */
    final void refreshFree(long position) {
        long free = ring.freePosition(position);
        if ((free & (RecordLayout.ALIGNMENT - 1)) != 0) {
            throw ring.integrity.report(RingIntegrity.Problem.MISALIGNED, free, free);
        }
        if (position - free > capacity) {
            throw ring.integrity.report(RingIntegrity.Problem.TAIL_PAST_LAP, free, position);
        }
        if (free - position > 0) {
            // Consumers may have taken what others claimed after our tail read, but never past the tail:
            // the head never passes the tail, so the tail read now is at least the free position read before.
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            if (free - tail > 0) {
                throw ring.integrity.report(RingIntegrity.Problem.HEAD_PAST_TAIL, tail, free);
            }
        }
        freeCache = free;
    }

    /**
     * How many of {@code wanted} records of {@code aligned} bytes fit from {@code position} after
     * {@code pad} bytes of padding, refreshing the cached free position once if not all of them do.
     */
    final int fitting(long position, int pad, int aligned, int wanted) {
        long free = capacity - (position - freeCache) - pad;
        if (free < (long) wanted * aligned) {
            refreshFree(position);
            free = capacity - (position - freeCache) - pad;
        }
        return free < aligned ? 0 : (int) Math.min(wanted, free / aligned);
    }

    /** Padding needed before a record of {@code aligned} bytes at {@code index}: the rest of the buffer if it does not fit. */
    final int padBefore(int index, int aligned) {
        int toEnd = capacity - index;
        return aligned <= toEnd ? 0 : toEnd;
    }

    /** How many records of {@code aligned} bytes fit contiguously from {@code start} to the end of the buffer. */
    final int contiguous(int start, int aligned, int wanted) {
        return Math.min(wanted, (capacity - start) / aligned);
    }

    /**
     * Bytes a record of {@code aligned} bytes takes from {@code position}: itself, plus the padding to the
     * end of the buffer when it does not fit before the wrap (records never wrap).
     */
    final int required(long position, int aligned) {
        int toEnd = capacity - ((int) position & mask);
        return aligned <= toEnd ? aligned : toEnd + aligned;
    }

    @Override
    public RingClaim tryClaim(int type, int length) {
        try {
            int recordLength = recordLength(type, length);
            int index = claimIndex(recordLength);
            return index < 0 ? null : claimed(index, recordLength, type);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    /**
     * Turns a claimed index into a claim, unless the ring was closed meanwhile: then the space becomes
     * padding and the writer is told, so nothing it believes accepted is dropped at the end of the
     * stream. For multi-producer rings the tail compare-and-set orders this check (a full fence).
     */
    RingClaim claimed(int index, int recordLength, int type) {
        checkStillOpen(index, recordLength);
        return new RingClaim(this, index, recordLength, type);
    }

    final void checkStillOpen(int index, int spanLength) {
        // Volatile: with the claim's volatile compare-and-set before it, either this read sees close() or
        // the closer's later read of the tail sees this claim (and consumers wait for it).
        if (ring.isClosed()) {
            publish(index, RecordLayout.header(spanLength, RecordLayout.PADDING));
            throw new RingClosedException(ring.name);
        }
    }

    @Override
    public BatchClaim tryClaimBatch(int type, int length, int count) {
        try {
            int recordLength = recordLength(type, length);
            int aligned = RecordLayout.aligned(recordLength);
            long run = claimRun(aligned, checkedCount(count));
            return run < 0 ? null : batchClaimed((int) (run >>> 32), recordLength, aligned, type, (int) run);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    @Override
    public BatchClaim claimBatch(int type, int length, int count, long timeout, TimeUnit unit) throws InterruptedException {
        try {
            int recordLength = recordLength(type, length);
            int aligned = RecordLayout.aligned(recordLength);
            checkedCount(count);
            long deadline = Deadline.after(timeout, unit);
            for (;;) {
                long run = claimRun(aligned, count);
                if (run >= 0) {
                    return batchClaimed((int) (run >>> 32), recordLength, aligned, type, (int) run);
                }
                if (!awaitRoom(recordLength, deadline)) {
                    return null;
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    /** Like {@link #claimed} for a run of records. */
    BatchClaim batchClaimed(int index, int recordLength, int aligned, int type, int count) {
        checkStillOpen(index, count * aligned);
        return new BatchClaim(this).reset(index, recordLength, aligned, type, count);
    }

    private static int checkedCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a batch claim needs a count of at least 1, was " + count);
        }
        return count;
    }

    @Override
    public RingClaim claim(int type, int length, long timeout, TimeUnit unit) throws InterruptedException {
        try {
            int recordLength = recordLength(type, length);
            long deadline = Deadline.after(timeout, unit);
            for (;;) {
                int index = claimIndex(recordLength);
                if (index >= 0) {
                    return claimed(index, recordLength, type);
                }
                if (!awaitRoom(recordLength, deadline)) {
                    return null;
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    @Override
    public boolean offer(int type, MemorySegment message) {
        try {
            return copyAndCommit(tryClaim(type, checkedLength(message)), message);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    @Override
    public boolean offer(int type, MemorySegment message, long timeout, TimeUnit unit) throws InterruptedException {
        try {
            return copyAndCommit(claim(type, checkedLength(message), timeout, unit), message);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    /** Copies the message into a claim and commits it; false if there was no claim (no room). */
    private boolean copyAndCommit(RingClaim claim, MemorySegment message) {
        if (claim == null) {
            return false;
        }
        MemorySegment.copy(message, 0, buffer, claim.messageOffset(), message.byteSize());
        claim.commit();
        return true;
    }

    @Override
    public int offerBatch(int type, MemorySegment[] messages, int from, int count) {
        try {
            int written = 0;
            try {
                while (written < count) {
                    MemorySegment message = messages[from + written];
                    int recordLength = recordLength(type, checkedLength(message));
                    int index = claimIndex(recordLength);
                    if (index < 0) {
                        break;
                    }
                    checkStillOpen(index, recordLength);
                    MemorySegment.copy(message, 0, buffer, index + RecordLayout.HEADER_LENGTH, message.byteSize());
                    publishQuietly(index, RecordLayout.header(recordLength, type));
                    written++;
                }
            } finally {
                if (written > 0) {
                    ring.dataBell.ring();
                }
            }
            return written;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    @Override
    public void close() {
        ring.close();
    }

    @Override
    public void release() {
        releaseSlot();
    }

    /** Gives up this producer's registration or the calling thread's producer slot. */
    abstract void releaseSlot();

    /** Writes the "being written by {@code pid}" header of a claim at {@code index}; {@code negativeLength} < 0. */
    final void markBeingWritten(int index, int negativeLength, int pid) {
        // Opaque: "being written" publishes nothing (the commit's release store does). The store-store
        // fence keeps the message bytes written next from landing before it: in MPSC and MPMC rings,
        // claimed space without a header holds only zeros (ProducerTable.padUnwritten relies on that).
        LONG.setOpaque(buffer, (long) index, RecordLayout.header(negativeLength, pid));
        VarHandle.storeStoreFence();
    }

    /** Commits or aborts: one release store of the whole header, then a wake-up if a consumer sleeps. */
    void publish(int index, long header) {
        try {
            // Release: publishes the message bytes; pairs with the consumer's getAcquire of the header.
            LONG.setRelease(buffer, (long) index, header);
            ring.dataBell.ring();
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring);
        }
    }

    /** Like {@link #publish} but leaves the wake-up to the caller (batches). */
    void publishQuietly(int index, long header) {
        LONG.setRelease(buffer, (long) index, header);
    }

    /**
     * Waits for room for a record of {@code recordLength} bytes, until the deadline or the next upkeep;
     * false once the deadline has passed. Upkeep, about once per stall timeout of waiting: recorded
     * corruption and position checks, and (MPMC) handing back what dead consumers held.
     */
    private boolean awaitRoom(int recordLength, long deadline) throws InterruptedException {
        ring.integrity.check();
        long now = System.nanoTime();
        if (Deadline.passed(deadline, now)) {
            return false;
        }
        if (now - upkeepAt >= 0) {
            upkeepAt = now + ring.stallTimeoutNanos;
            ring.maintain();
        }
        ring.options.waitStrategy().await(ring.spaceBell, () -> {
            if (ring.isClosed()) {
                throw new RingClosedException(ring.name);
            }
            return hasRoom(recordLength);
        }, Deadline.earlier(deadline, upkeepAt));
        return true;
    }

    /**
     * The record length for a message, checking type, size and that the ring is open in one branch; the
     * reasons are worked out off the hot path.
     */
    final int recordLength(int type, long length) {
        if (type < 1 || length < 0 || length > ring.maxMessageLength || ring.closedFlag()) {
            throw refused(type, length);
        }
        return (int) length + RecordLayout.HEADER_LENGTH;
    }

    private RuntimeException refused(int type, long length) {
        if (type < 1) {
            return new IllegalArgumentException("message type must be positive, was " + type);
        }
        if (length < 0 || length > ring.maxMessageLength) {
            return new MessageTooLargeException(ring.name, length, ring.maxMessageLength);
        }
        return new RingClosedException(ring.name);
    }

    private int checkedLength(MemorySegment message) {
        long length = message.byteSize();
        if (length > ring.maxMessageLength) {
            throw new MessageTooLargeException(ring.name, length, ring.maxMessageLength);
        }
        return (int) length;
    }

}
