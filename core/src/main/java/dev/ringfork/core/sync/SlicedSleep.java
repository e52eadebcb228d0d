package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One bounded futex sleep on behalf of a blocking call with a deadline. An interrupt ends the sleep at
 * once ({@link InterruptibleWait}); sleeps are still cut into slices, by default of at most
 * {@link #SLICE_NANOS}, because a lock waiter must look at the owner's health now and then, and an
 * interrupt that lands just before the syscall is noticed only when the slice ends.
 */
final class SlicedSleep {

    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private SlicedSleep() {
    }

    /**
     * Sleeps while the word equals {@code expected}, at most one slice and never past the deadline.
     *
     * @return false if the deadline has passed (nothing slept), true otherwise
     * @throws InterruptedException if the thread is interrupted (checked before sleeping)
     */
    static boolean sleep(Futex futex, MemorySegment segment, long offset, int expected, long deadline)
            throws InterruptedException {
        return sleep(futex, segment, offset, expected, deadline, SLICE_NANOS, false);
    }

    /**
     * Like {@link #sleep(Futex, MemorySegment, long, int, long)} with slices of at most {@code slice};
     * {@code eventCount}: the word is an event count that an interrupter may increment (see
     * {@link InterruptibleWait}).
     */
    static boolean sleep(Futex futex, MemorySegment segment, long offset, int expected, long deadline, long slice,
            boolean eventCount) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long left = Deadline.left(deadline, System.nanoTime(), slice);
        if (left <= 0) {
            return false;
        }
        // An interrupt ends the wait; the caller looks at its condition, then the next call throws.
        InterruptibleWait.await(futex, segment, offset, expected, left, eventCount);
        return true;
    }
}
