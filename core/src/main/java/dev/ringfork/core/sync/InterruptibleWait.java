package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * A futex wait that {@link Thread#interrupt()} ends at once. A thread inside the futex syscall does not
 * see Java interrupts; the JDK's hook for that is the interruptible channel: between {@link #begin()} and
 * {@link #end(boolean)} an interrupt of the waiting thread calls {@link #implCloseChannel()} on the
 * interrupting thread, which wakes the word the waiter sleeps on. A channel is closed by the interrupt
 * it delivers, so each thread keeps one and replaces it after an interrupt.
 *
 * <p>An interrupt that lands after the caller's last interrupt check but before the thread is inside
 * the syscall finds no sleeper to wake. Where the word is an event count ({@code bump}), the interrupter
 * also increments it, so that wait returns at once; on other words (a lock's state) the caller's slice
 * bounds the delay.
 */
final class InterruptibleWait extends AbstractInterruptibleChannel {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ThreadLocal<InterruptibleWait> OF_THREAD = new ThreadLocal<>();

    /** The word being waited on, for the interrupter; written by the waiting thread before begin(). */
    private Futex futex;
    private MemorySegment segment;
    private long offset;
    private boolean bump;

    private InterruptibleWait() {
    }

    /**
     * Waits like {@link Futex#wait} (true unless the timeout elapsed), or until the thread is interrupted
     * (then returns true with the interrupt status set, for the caller's interrupt check).
     */
    static boolean await(Futex futex, MemorySegment segment, long offset, int expected, long timeoutNanos, boolean bump) {
        InterruptibleWait wait = OF_THREAD.get();
        if (wait == null || !wait.isOpen()) {
            wait = new InterruptibleWait();
            OF_THREAD.set(wait);
        }
        wait.futex = futex;
        wait.segment = segment;
        wait.offset = offset;
        wait.bump = bump;
        wait.begin(); // an interrupt from here on calls implCloseChannel (at once if already interrupted)
        try {
            if (Thread.currentThread().isInterrupted()) {
                return true;
            }
            return futex.wait(segment, offset, expected, timeoutNanos);
        } finally {
            try {
                wait.end(true);
            } catch (ClosedByInterruptException e) {
                // The interrupt status stays set: the caller's check turns it into InterruptedException.
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e); // end(true) throws nothing else
            }
        }
    }

    /** Runs on the interrupting thread: wakes the waiter. Must not throw. */
    @Override
    protected void implCloseChannel() {
        try {
            if (bump) {
                // Volatile increment: a waiter not yet inside the syscall then finds the word changed.
                INT.getAndAdd(segment, offset, 1);
            }
            futex.wake(segment, offset, Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            // The region is gone or unmapped: the waiter's own slice and checks end its wait.
        }
    }
}
