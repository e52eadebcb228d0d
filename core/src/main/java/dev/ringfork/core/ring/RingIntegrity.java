package dev.ringfork.core.ring;

import static dev.ringfork.core.ring.RingLayout.INT;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * A ring's corruption record: the first process that finds a word no writer or reader can produce
 * records what and where in the state line, and from then on every reader and writer of the ring gets
 * the same {@link RingCorruptedException}. Checked on the slow paths only (a read that found nothing, a
 * claim that found no room, every wait).
 */
final class RingIntegrity {

    /** What was found; the code is stored, the text is derived again by whoever raises it. */
    enum Problem {
        BAD_HEADER, TAIL_BELOW_HEAD, TAIL_PAST_LAP, MISALIGNED, HEAD_PAST_TAIL, NOT_A_WRITER, UNCLAIMED_SPACE, BAD_SLOT,
        RECORD_PAST_TAIL
    }

    /** The reason word: the problem's ordinal in the low byte, a detail above it. */
    private static final int DETAIL_SHIFT = 8;
    private static final int CLEAN = 0;
    private static final int RECORDING = 1;
    private static final int RECORDED = 2;

    private final Ring ring;

    RingIntegrity(Ring ring) {
        this.ring = ring;
    }

    /** Throws the recorded corruption, if any. */
    void check() {
        // Acquire: pairs with the release store in report(), which publishes the details.
        int state = (int) INT.getAcquire(ring.ring, RingLayout.CORRUPT_OFFSET);
        if (state != CLEAN) {
            throw recorded(state);
        }
    }

    /** Records (unless already recorded) and returns the exception for corruption found at {@code position}. */
    RingCorruptedException report(Problem problem, long position, long word) {
        return report(problem, position, word, 0);
    }

    /**
     * {@link #report(Problem, long, long)} with a detail kept beside the reason: for {@link Problem#BAD_SLOT},
     * the consumer slot's index.
     */
    RingCorruptedException report(Problem problem, long position, long word, int detail) {
        if (INT.compareAndSet(ring.ring, RingLayout.CORRUPT_OFFSET, CLEAN, RECORDING)) {
            INT.set(ring.ring, RingLayout.CORRUPT_REASON_OFFSET, problem.ordinal() | detail << DETAIL_SHIFT);
            LONG.set(ring.ring, RingLayout.CORRUPT_POSITION_OFFSET, position);
            LONG.set(ring.ring, RingLayout.CORRUPT_WORD_OFFSET, word);
            // Release: publishes reason, position and word to check()'s acquire.
            INT.setRelease(ring.ring, RingLayout.CORRUPT_OFFSET, RECORDED);
            // Wake every sleeper so that it checks and throws too.
            ring.dataBell.ring();
            ring.spaceBell.ring();
            return exception(problem, position, word, detail);
        }
        return recorded((int) INT.getAcquire(ring.ring, RingLayout.CORRUPT_OFFSET));
    }

    private RingCorruptedException recorded(int state) {
        for (int spins = 0; state == RECORDING && spins < 100_000; spins++) {
            Thread.onSpinWait(); // the finder is between its two stores
            state = (int) INT.getAcquire(ring.ring, RingLayout.CORRUPT_OFFSET);
        }
        int reason = (int) INT.get(ring.ring, RingLayout.CORRUPT_REASON_OFFSET);
        int code = reason & ((1 << DETAIL_SHIFT) - 1);
        Problem problem = code < Problem.values().length ? Problem.values()[code] : Problem.BAD_HEADER;
        return exception(problem, (long) LONG.get(ring.ring, RingLayout.CORRUPT_POSITION_OFFSET),
                (long) LONG.get(ring.ring, RingLayout.CORRUPT_WORD_OFFSET), reason >>> DETAIL_SHIFT);
    }

    private RingCorruptedException exception(Problem problem, long position, long word, int detail) {
        int index = (int) position & (ring.capacity - 1);
        String what = switch (problem) {
            case BAD_HEADER -> "record header " + describe(word) + ": "
                    + RecordLayout.problem(word, index, ring.capacity, ring.maxMessageLength);
            case TAIL_BELOW_HEAD -> "the tail (" + word + ") is below the head (" + position + ")";
            case TAIL_PAST_LAP -> "the tail (" + word + ") is more than the capacity (" + ring.capacity
                    + " bytes) past the head (" + position + ")";
            case MISALIGNED -> "a position (" + word + ") that is not a multiple of " + RecordLayout.ALIGNMENT;
            case HEAD_PAST_TAIL -> "the head or a consumer's position (" + word + ") is past the tail";
            case NOT_A_WRITER -> "record header " + describe(word) + " says it is being written by pid "
                    + RecordLayout.type(word) + ", which holds no producer slot of this ring";
            case UNCLAIMED_SPACE -> "the space below the tail (" + word + ") holds no record, and no producer announces"
                    + " a claim there";
            case BAD_SLOT -> "consumer slot " + detail + " holds a word (" + word + ") no consumer reading at this"
                    + " position can have written";
            case RECORD_PAST_TAIL -> "record header " + describe(word) + " runs past the tail";
        };
        return new RingCorruptedException(ring.regionName, ring.name, position, word, what);
    }

    private static String describe(long header) {
        return "(length " + RecordLayout.length(header) + ", type " + RecordLayout.type(header) + ")";
    }
}
