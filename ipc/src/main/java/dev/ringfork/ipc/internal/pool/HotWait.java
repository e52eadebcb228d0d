package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.sync.Deadline;
import dev.ringfork.core.sync.Doorbell;
import dev.ringfork.core.sync.WaitStrategy;

import java.util.function.BooleanSupplier;

/**
 * The wait of a pool hand-off (a worker waiting for its next task, the dispatcher for the next result or
 * submit): for {@link #HOT_NANOS} after the thread's last activity it stays on its CPU, checking and
 * yielding, so the next hand-off of a busy exchange costs no futex wake-up (50-100 µs on a small VM);
 * after that, or while {@link #hot} is off, it waits as {@code then} does (spin, yield, sleep on the
 * futex). An idle thread therefore costs no CPU once the window has passed. One waiting thread per
 * instance.
 */
final class HotWait implements WaitStrategy {

    /** How long a thread keeps its CPU after its last activity. */
    static final long HOT_NANOS = 300_000;

    private final WaitStrategy then;
    /** Off: waits go straight to {@code then} (set by a waiter that knows a short wait is unlikely). */
    boolean hot = true;
    private boolean active = true;
    private long hotUntil;

    HotWait(WaitStrategy then) {
        this.then = then;
    }

    @Override
    public boolean await(Doorbell doorbell, BooleanSupplier ready, long deadline) throws InterruptedException {
        long now = System.nanoTime();
        if (active) {
            hotUntil = now + HOT_NANOS; // the last wait ended with news: the thread worked since
            active = false;
        }
        long spinUntil = Deadline.earlier(hotUntil, deadline);
        for (int round = 1; hot && !Deadline.passed(spinUntil, now); round++) {
            if (ready.getAsBoolean()) {
                active = true;
                return true;
            }
            spin(round);
            now = System.nanoTime();
        }
        if (Deadline.passed(deadline, now)) {
            return ready.getAsBoolean();
        }
        active = then.await(doorbell, ready, deadline);
        return active;
    }

    /** One round of a hot wait: a pause, and every 32nd a yield, so the other threads of a small machine run. */
    static void spin(int round) {
        if ((round & 31) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
