package dev.ringfork.core.ring;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * A producer of an MPSC or MPMC ring: claims space with a compare-and-set on the shared tail, then
 * installs its "being written" header with a compare-and-set from zero. If a consumer has meanwhile
 * turned that space into padding (it took this producer for dead after the stall timeout), the second
 * compare-and-set fails and the producer simply claims again: nothing it wrote is lost or torn.
 */
final class MultiProducer extends AbstractProducer {

    private final int pid;

    MultiProducer(Ring ring, int pid) {
        super(ring);
        this.pid = pid;
        this.freeCache = ring.freePosition();
    }

    @Override
    int claimIndex(int recordLength) {
        int aligned = aligned(recordLength);
        for (;;) {
            long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            int index = (int) position & mask;
            int toEnd = capacity - index;
            int required = required(position, aligned);
            if (!fits(position, required)) {
                return -1;
            }
            // Volatile CAS: claims [position, position + required) for this producer alone.
            if (!LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, position, position + required)) {
                continue;
            }
            if (aligned > toEnd) {
                // Fails only if a consumer already padded this zero span, which means the same thing.
                LONG.compareAndSet(buffer, (long) index, 0L, header(toEnd, PADDING));
                index = 0;
            }
            if (LONG.compareAndSet(buffer, (long) index, 0L, header(-recordLength, pid))) {
                return index;
            }
            // A consumer padded our space while we stalled: claim again.
        }
    }

    @Override
    long claimRun(int aligned, int count) {
        for (;;) {
            long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            int index = (int) position & mask;
            int pad = padBefore(index, aligned);
            int start = pad == 0 ? index : 0;
            int n = fitting(position, pad, aligned, contiguous(start, aligned, count));
            if (n == 0) {
                return -1;
            }
            int span = n * aligned;
            // Volatile CAS: claims the padding and the run for this producer alone.
            if (!LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, position, position + pad + span)) {
                continue;
            }
            if (pad > 0) {
                LONG.compareAndSet(buffer, (long) index, 0L, header(pad, PADDING));
            }
            // One "being written" header for the run: consumers stop here until the commit.
            if (LONG.compareAndSet(buffer, (long) start, 0L, header(-span, pid))) {
                return ((long) start << 32) | n;
            }
            // A consumer padded our space while we stalled: claim again.
        }
    }

    @Override
    boolean hasRoom(int recordLength) {
        long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        int aligned = aligned(recordLength);
        return position + required(position, aligned) - ring.freePosition() <= capacity;
    }
}
