package dev.ringfork.core.sync;

/**
 * The shared-memory form of a {@link SharedSemaphore}, a {@link SharedEvent} and a {@link Doorbell}: a
 * futex word and a sleeper word, together in one 128-byte line (they are always touched together).
 *
 * <pre>
 *   0 +-----------------------+-----------------------+
 *     | value (4, futex word) | sleepers (4)          |
 *   8 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 *
 *   sleepers word:  bit 31    bit 30    bits 0-29
 *                  +---------+---------+--------------------+
 *                  | SETTLED | NO_MB   | sleeper count      |   (flags: Doorbell only)
 *                  +---------+---------+--------------------+
 * </pre>
 *
 * <p>For a semaphore the value is the number of free permits; for an event it is 0 (clear) or 1 (set);
 * for a doorbell it is an event count, bumped by every wake. A sleeper raises the sleeper count before its
 * last check of the value; a changer updates the value before reading the count (both volatile, or see
 * {@link Doorbell} for its membarrier variant), so at least one of them sees the other and the wake syscall
 * is skipped only when nobody can be asleep. A sleeper killed mid-sleep leaves the count too high, which
 * costs only a spare wake syscall.
 *
 * <p>Doorbell flags, set once and never cleared: {@link #NO_MEMBARRIER_SLEEPER} (NO_MB) when a process
 * without membarrier has counted itself as a sleeper here, so membarrier publishers must fence;
 * {@link #NO_MEMBARRIER_SETTLED} (SETTLED) once a sleeper has looked again at least
 * {@code Doorbell.SETTLE_NANOS} after the mark was visible (see {@link Doorbell}).
 */
public final class SemaphoreLayout {

    public static final int LENGTH = 128;
    public static final long VALUE_OFFSET = 0;
    public static final long SLEEPERS_OFFSET = VALUE_OFFSET + Integer.BYTES;

    /** The sleeper-count bits of the sleeper word. */
    public static final int SLEEPER_COUNT_MASK = 0x3FFF_FFFF;
    /** Doorbell: a sleeper in a process without membarrier has been here; membarrier publishers fence. */
    public static final int NO_MEMBARRIER_SLEEPER = 1 << 30;
    /** Doorbell: the no-membarrier mark is older than any publish that could have missed it. */
    public static final int NO_MEMBARRIER_SETTLED = 1 << 31;

    private SemaphoreLayout() {
    }
}
