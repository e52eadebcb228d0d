package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.lang.foreign.MemorySegment;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * A consumer's watch on the record it waits for. When the same record stays unfinished past the stall
 * timeout, it is turned into padding if its writer is provably gone (see {@link RecordLayout}):
 * <ul>
 *   <li>"being written" by a pid that no longer runs: the writer died between claim and commit;</li>
 *   <li>a zero header below the shared tail of a multi-producer ring: a writer died between claiming
 *       space and writing its header. Every zero word up to the next non-zero header (or the tail, or the
 *       end of the buffer) becomes an 8-byte padding record; a writer that was only slow finds its header
 *       slot taken and claims again.</li>
 * </ul>
 * A check of an empty single-producer ring costs one comparison, and of an empty multi-producer ring
 * a clock read every {@value #CLOCK_EVERY}th time, so consumers call {@link #check} on every poll.
 */
final class StallWatch {

    /**
     * A zero header below the tail waits this many stall timeouts before it is padded. Only a writer that
     * dies inside a window of two instructions leaves one, so there is no hurry; and a live writer that
     * stalls longer than this between its two compare-and-sets, and resumes only after consumers have
     * read past the padding, would lose its message (see RecordLayout).
     */
    static final int ZERO_HEADER_FACTOR = 10;

    /**
     * An empty multi-producer ring reads the clock on every this-many-th check of the same position only:
     * that is every idle poll, and a zero header waits {@link #ZERO_HEADER_FACTOR} timeouts anyway.
     */
    static final int CLOCK_EVERY = 64;

    private final Ring ring;
    private final boolean multiProducer;
    private long position = -1;
    private long since;
    private int checks;

    StallWatch(Ring ring, boolean multiProducer) {
        this.ring = ring;
        this.multiProducer = multiProducer;
    }

    /** Called when the record at {@code position} was found not ready with header {@code seen}. */
    void check(long position, long seen) {
        boolean beingWritten = length(seen) < 0;
        if (!beingWritten && (seen != 0 || !multiProducer)) {
            return; // a committed record, or an empty single-producer ring: nothing can be stalled here
        }
        if (position != this.position) {
            this.position = position;
            this.since = System.nanoTime();
            this.checks = 0;
            return;
        }
        if (!beingWritten && ++checks % CLOCK_EVERY != 0) {
            return;
        }
        long now = System.nanoTime();
        long waited = now - since;
        MemorySegment buffer = ring.buffer;
        int index = (int) position & (ring.capacity - 1);
        if (length(seen) < 0) {
            if (waited < ring.stallTimeoutNanos) {
                return;
            }
            since = now;
            if (ProcessIdentity.of(type(seen)).isEmpty()
                    && LONG.compareAndSet(buffer, (long) index, seen, header(-length(seen), PADDING))) {
                ring.countUnblocked();
            }
        } else if (seen == 0 && multiProducer) {
            if (waited < ZERO_HEADER_FACTOR * ring.stallTimeoutNanos) {
                return;
            }
            since = now;
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            if (tail <= position) {
                return; // nothing claimed: the ring is just empty
            }
            long end = index + Math.min(ring.capacity - index, tail - position);
            // Each zero word up to the next header becomes an 8-byte padding record by its own
            // compare-and-set: a slow writer whose header slot lies in the span finds it taken and claims
            // again. (One padding header over the whole span would leave that slot zero: the writer's
            // compare-and-set would succeed and its message would be skipped.)
            long padding = header(RecordLayout.ALIGNMENT, PADDING);
            if (LONG.compareAndSet(buffer, (long) index, 0L, padding)) {
                ring.countUnblocked();
                for (long next = index + RecordLayout.ALIGNMENT;
                     next < end && LONG.compareAndSet(buffer, next, 0L, padding); next += RecordLayout.ALIGNMENT) {
                    // up to the first word a live writer has taken
                }
            }
        }
    }
}
