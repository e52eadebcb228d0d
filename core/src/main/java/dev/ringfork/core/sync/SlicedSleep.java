package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One bounded futex sleep on behalf of a blocking call with a deadline. Sleeps are cut into slices of
 * at most {@link #SLICE_NANOS}, because a thread inside the futex syscall does not see Java interrupts
 * and a waiter must periodically look at the lock owner's health: an interrupt or a dead owner is
 * noticed within one slice.
 */
final class SlicedSleep {

    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Deadline meaning "wait forever". */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private SlicedSleep() {
    }

    /** The deadline {@code timeout} from now, saturating to {@link #NO_DEADLINE}. */
    static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        long now = System.nanoTime();
        return nanos >= NO_DEADLINE - now ? NO_DEADLINE : now + Math.max(0, nanos);
    }

    /**
     * Sleeps while the word equals {@code expected}, at most one slice and never past the deadline.
     *
     * @return false if the deadline has passed (nothing slept), true otherwise
     * @throws InterruptedException if the thread is interrupted (checked before sleeping)
     */
    static boolean sleep(Futex futex, MemorySegment segment, long offset, int expected, long deadline)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long left = deadline == NO_DEADLINE ? SLICE_NANOS : deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        futex.wait(segment, offset, expected, Math.min(left, SLICE_NANOS));
        return true;
    }
}
