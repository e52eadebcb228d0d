package dev.ringfork.core.sync;

/**
 * The shared-memory form of a {@link SharedBarrier}: one 128-byte line (its words are touched together).
 *
 * <pre>
 *   0 +-----------------------------------------------+  STATE_OFFSET: one 8-byte word, CASed whole
 *     | phase (4, futex word) | count (2) | tripped (2)|
 *   8 +-----------------------+-----------------------+
 *     | sleepers (4)          | parties (4, immutable) |
 *  16 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 *
 *   phase:  bits 1-31 generation    bit 0 BROKEN
 *   count:  parties arrived in this generation (0 to parties - 1)
 *   tripped: 0x8000 | (the last generation that tripped, low 15 bits); 0 before the first trip
 * </pre>
 *
 * <p>Every change is one compare-and-set of the state word. An arrival raises the count; the last one
 * trips the barrier: next generation, count 0, tripped = its generation. A waiter sleeps while the phase
 * (the low half, the futex word) is the one it arrived in. Breaking (a timeout, an interrupt, an abort)
 * sets BROKEN in the current phase; {@code reset} moves to the next generation without marking it tripped.
 * So a waiter that wakes to a later generation tells a trip (tripped is its generation) from a reset (it
 * is not: broken). That holds while at most {@code parties} threads use the barrier, since the next
 * generation cannot trip without the waiter, and until 32,768 resets in a row alias the tripped mark.
 * <b>sleepers</b> is the {@link FutexSleepers} count: a trip with nobody asleep makes no wake syscall.
 */
public final class BarrierLayout {

    public static final int LENGTH = 128;
    public static final long STATE_OFFSET = 0;
    /** The phase is the state word's low half: on a little-endian machine, its first four bytes. */
    public static final long PHASE_OFFSET = STATE_OFFSET;
    public static final long SLEEPERS_OFFSET = STATE_OFFSET + Long.BYTES;
    public static final long PARTIES_OFFSET = SLEEPERS_OFFSET + Integer.BYTES;
    /** Most parties a barrier can have: the count's 16 bits. */
    public static final int MAX_PARTIES = 0xFFFF;

    static final int BROKEN = 1;
    private static final int TRIPPED_VALID = 0x8000;

    private BarrierLayout() {
    }

    static int phase(long state) {
        return (int) state;
    }

    static int count(long state) {
        return (int) (state >>> 32) & 0xFFFF;
    }

    static int tripped(long state) {
        return (int) (state >>> 48) & 0xFFFF;
    }

    static int generation(int phase) {
        return phase >>> 1;
    }

    /** The tripped mark of {@code generation}. */
    static int trippedMark(int generation) {
        return TRIPPED_VALID | generation & 0x7FFF;
    }

    /** The phase of the generation after {@code phase}'s, not broken. */
    static int nextPhase(int phase) {
        return (generation(phase) + 1) << 1;
    }

    static long state(int phase, int count, int tripped) {
        return (long) tripped << 48 | (long) (count & 0xFFFF) << 32 | phase & 0xFFFF_FFFFL;
    }
}
