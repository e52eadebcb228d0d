package dev.ringfork.core.internal;

import dev.ringfork.core.sync.Futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable fallback where no futex syscall is reachable: waiters poll the word, spinning briefly,
 * then yielding, then parking for growing intervals (up to 1 ms). Wakes are no-ops, since every waiter
 * notices the changed word on its own. Correct everywhere; slower to wake and not free while idle.
 */
final class PollingFutex implements Futex {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int SPINS = 100;
    private static final int YIELDS = 20;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final String reason;

    PollingFutex(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean wait(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long park = 1_000;
        for (int round = 0; ; round++) {
            // Acquire pairs with the waker's release/volatile store of the word.
            if ((int) INT.getAcquire(segment, offset) != expected) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(Math.min(park, left));
                if (Thread.currentThread().isInterrupted()) {
                    return true; // let the caller see the interrupt
                }
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
        }
    }

    @Override
    public int wake(MemorySegment segment, long offset, int count) {
        return 0; // pollers see the change themselves
    }

    @Override
    public String description() {
        return "polling fallback (" + reason + ")";
    }
}
