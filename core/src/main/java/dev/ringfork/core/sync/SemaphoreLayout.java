package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The shared-memory form of a {@link SharedSemaphore}, a {@link SharedEvent} and a {@link Doorbell}: a
 * futex word and a sleeper word, together in one 128-byte line (they are always touched together).
 *
 * <pre>
 *   0 +-----------------------+-----------------------+
 *     | value (4, futex word) | sleepers (4)          |
 *   8 +-----------------------+-----------------------+
 *     | bound (4, semaphore)  | unused                |
 *  16 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p>For a semaphore the value is the number of free permits, and the bound is 0 (unbounded) or the
 * most permits it may have free (a bounded semaphore; written once at creation); for an event the value is
 * 0 (clear) or 1 (set); for a doorbell it is an event count, bumped by every wake. A sleeper raises the
 * sleeper count before its last check of the value; a changer updates the value before reading the count
 * (both volatile, or a store and a full fence for a doorbell), so at least one of them sees the other and
 * the wake syscall is skipped only when nobody can be asleep ({@link FutexSleepers}). A sleeper killed
 * mid-sleep leaves the count too high, which costs only a spare wake syscall.
 */
public final class SemaphoreLayout {

    public static final int LENGTH = 128;
    public static final long VALUE_OFFSET = 0;
    public static final long SLEEPERS_OFFSET = VALUE_OFFSET + Integer.BYTES;
    public static final long BOUND_OFFSET = SLEEPERS_OFFSET + Integer.BYTES;

    private SemaphoreLayout() {
    }

    /**
     * Writes a new semaphore into a zeroed line before it is published: {@code permits} free, bounded by
     * them if {@code bounded}.
     */
    public static void initialise(MemorySegment line, int permits, boolean bounded) {
        line.set(ValueLayout.JAVA_INT, VALUE_OFFSET, permits);
        line.set(ValueLayout.JAVA_INT, BOUND_OFFSET, bounded ? permits : 0);
    }
}
