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
 *       space and writing its header. The padding reaches the next non-zero header (or the tail, or the
 *       end of the buffer); a writer that was only slow finds its header slot taken and claims again.</li>
 * </ul>
 * Each check costs a comparison until the timeout, so consumers call {@link #check} freely.
 */
final class StallWatch {

    private final Ring ring;
    private final boolean multiProducer;
    private long position = -1;
    private long since;

    StallWatch(Ring ring, boolean multiProducer) {
        this.ring = ring;
        this.multiProducer = multiProducer;
    }

    /** Called when the record at {@code position} was found not ready with header {@code seen}. */
    void check(long position, long seen) {
        long now = System.nanoTime();
        if (position != this.position) {
            this.position = position;
            this.since = now;
            return;
        }
        if (now - since < ring.stallTimeoutNanos) {
            return;
        }
        since = now;
        MemorySegment buffer = ring.buffer;
        int index = (int) position & (ring.capacity - 1);
        if (length(seen) < 0) {
            if (ProcessIdentity.of(type(seen)).isEmpty()
                    && LONG.compareAndSet(buffer, (long) index, seen, header(-length(seen), PADDING))) {
                ring.countUnblocked();
            }
        } else if (seen == 0 && multiProducer) {
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            if (tail <= position) {
                return; // nothing claimed: the ring is just empty
            }
            long end = Math.min(ring.capacity - index, tail - position);
            long next = index + RecordLayout.ALIGNMENT;
            while (next < index + end && (long) LONG.getVolatile(buffer, next) == 0L) {
                next += RecordLayout.ALIGNMENT;
            }
            if (LONG.compareAndSet(buffer, (long) index, 0L, header((int) (next - index), PADDING))) {
                ring.countUnblocked();
            }
        }
    }
}
