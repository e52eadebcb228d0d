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
 * </pre>
 *
 * <p>For a semaphore the value is the number of free permits; for an event it is 0 (clear) or 1 (set);
 * for a doorbell it is an event count, bumped by every wake. A sleeper raises the sleeper count before its
 * last check of the value; a changer updates the value before reading the count (both volatile, or a
 * store and a full fence for a doorbell), so at least one of them sees the other and the wake syscall is
 * skipped only when nobody can be asleep. A sleeper killed mid-sleep leaves the count too high, which
 * costs only a spare wake syscall.
 */
public final class SemaphoreLayout {

    public static final int LENGTH = 128;
    public static final long VALUE_OFFSET = 0;
    public static final long SLEEPERS_OFFSET = VALUE_OFFSET + Integer.BYTES;

    private SemaphoreLayout() {
    }
}
