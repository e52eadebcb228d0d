package dev.ringfork.core.ring;

import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * A consumer's watch on the record it waits for. When the same record stays unfinished past the stall
 * timeout, the consumer asks the producer table who writes it ({@link ProducerTable#writerOf}):
 * <ul>
 *   <li>a live writer is waited for, however long (checked again every stall timeout);</li>
 *   <li>a dead writer's record, or unwritten space, becomes padding (counted in {@code unblockedRecords});</li>
 *   <li>no writer of this ring can have left it: the ring is corrupt ({@link RingCorruptedException}).</li>
 * </ul>
 * A zero header is either an empty ring or space a writer claimed (the tail is past it) and has not
 * written a header into yet; a check of it costs a comparison, and a clock read every
 * {@value #CLOCK_EVERY}th time, so consumers call {@link #check} on every poll. The stall is timed from
 * the first clock read at a record, not from the first look, so a new record costs no clock read. A
 * consumer that sleeps looks a few times per stall timeout, not {@value #CLOCK_EVERY}: its upkeep calls
 * {@link #lookSoon()} once per stall timeout, so a dead writer is noticed within about two of them.
 */
final class StallWatch {

    /** A zero header is looked at once per this many checks of the same position (it is rarely stalled). */
    static final int CLOCK_EVERY = 64; // a power of two

    private final Ring ring;
    private long position = -1;
    private long seen;
    /** When the clock was first read at this record; valid once {@link #timing}. */
    private long since;
    private boolean timing;
    private int checks;

    StallWatch(Ring ring) {
        this.ring = ring;
    }

    /** Makes the next {@link #check} of the same record read the clock (a waiting consumer's upkeep). */
    void lookSoon() {
        checks = CLOCK_EVERY - 1;
    }

    /**
     * Called when the record at {@code position} was found not ready with header {@code header}: zero or
     * "being written" (a reader checked it, see {@link RecordLayout#uncommittedFlaw}).
     */
    void check(long position, long header) {
        if (position != this.position || header != this.seen) {
            this.position = position;
            this.seen = header;
            this.timing = false;
            this.checks = 0;
            return;
        }
        // Negative when the clock is due: every look at a "being written" header, every CLOCK_EVERY-th at a
        // zero one. One branch (see AbstractConsumer.checkCommitted for why).
        if ((((++checks & (CLOCK_EVERY - 1)) - 1) | length(header)) >= 0) {
            return;
        }
        long now = System.nanoTime();
        if (!timing) {
            timing = true;
            since = now;
            return;
        }
        if (now - since < ring.stallTimeoutNanos) {
            return;
        }
        since = now;
        int index = (int) position & (ring.capacity - 1);
        if (length(header) < 0) { // being written
            switch (ring.producers.writerOf(position, header)) {
                case ALIVE -> { } // a slow writer: wait
                case DEAD -> ring.producers.padDeadRecord(position, header);
                case UNKNOWN -> {
                    if ((long) LONG.getVolatile(ring.buffer, (long) index) == header) {
                        throw ring.integrity.report(RingIntegrity.Problem.NOT_A_WRITER, position, header);
                    }
                }
            }
            return;
        }
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        if (tail - position <= 0) {
            return; // nothing claimed here: the ring is just empty
        }
        switch (ring.producers.writerOf(position, 0L)) {
            case ALIVE -> { } // claimed, header not written yet: wait
            case DEAD -> ring.producers.settleClaim(ring.producers.coveringClaim(position), -1, ProducerSlot.FREE);
            case UNKNOWN -> {
                // The writer may have written its header and announced its next claim meanwhile: look again.
                if ((long) LONG.getVolatile(ring.buffer, (long) index) == 0) {
                    throw ring.integrity.report(RingIntegrity.Problem.UNCLAIMED_SPACE, position, tail);
                }
            }
        }
    }
}
