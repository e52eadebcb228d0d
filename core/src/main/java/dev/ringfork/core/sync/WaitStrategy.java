package dev.ringfork.core.sync;

import java.util.function.BooleanSupplier;

/**
 * How a thread waits for a shared structure (a ring, a queue) to have what it needs: data to read, or
 * room to write. One interface, three behaviours:
 * <ul>
 *   <li>{@link #busySpin()}: never leaves the CPU; lowest latency, burns a core while waiting.</li>
 *   <li>{@link #yielding()}: spins, then yields the CPU between checks.</li>
 *   <li>{@link #adaptive()} (the default): spins a little, yields a little, then sleeps on the
 *       structure's {@link Doorbell} (the futex); idle costs ~0% CPU and the other side makes the wake
 *       syscall only when someone sleeps.</li>
 * </ul>
 */
public interface WaitStrategy {

    /** Deadline meaning "no deadline". */
    long NO_DEADLINE = Deadline.NONE;

    /**
     * Waits until {@code ready} is true or the deadline ({@link System#nanoTime()} based) passes.
     *
     * @return the last value of {@code ready}
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    boolean await(Doorbell doorbell, BooleanSupplier ready, long deadline) throws InterruptedException;

    /** Spin only. */
    static WaitStrategy busySpin() {
        return Spinning.BUSY;
    }

    /** Spin 100 times, then yield between checks. */
    static WaitStrategy yielding() {
        return Spinning.YIELDING;
    }

    /**
     * Spin about 2,000 times, yield 10 times, then sleep on the futex; no spin or yield in a wait that
     * follows this thread's wake-up of a sleeper (the peer it woke needs a CPU before it can answer), or
     * a sleep on the same doorbell that ended at its deadline with no news (the other side is idle).
     */
    static WaitStrategy adaptive() {
        return Adaptive.DEFAULT;
    }

    /** Spin {@code spins} times, yield {@code yields} times, then sleep on the futex. */
    static WaitStrategy adaptive(int spins, int yields) {
        return new Adaptive(spins, yields);
    }

    /** Busy-spin and yielding: checks in a loop without ever sleeping. */
    record Spinning(int spinsBeforeYield) implements WaitStrategy {
        static final Spinning BUSY = new Spinning(Integer.MAX_VALUE);
        static final Spinning YIELDING = new Spinning(100);

        @Override
        public boolean await(Doorbell doorbell, BooleanSupplier ready, long deadline) throws InterruptedException {
            for (int round = 0; ; round++) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                if ((round & 1023) == 1023) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (Deadline.passed(deadline, System.nanoTime())) {
                        return ready.getAsBoolean();
                    }
                }
                if (round < spinsBeforeYield) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** Spin, yield, then sleep on the doorbell. */
    record Adaptive(int spins, int yields) implements WaitStrategy {
        static final Adaptive DEFAULT = new Adaptive(2_000, 10);

        public Adaptive {
            if (spins < 0 || yields < 0) {
                throw new IllegalArgumentException("spins and yields must not be negative");
            }
        }

        @Override
        public boolean await(Doorbell doorbell, BooleanSupplier ready, long deadline) throws InterruptedException {
            // Just woke a sleeper (this thread's last ring): what we wait for needs it scheduled first, and
            // spinning here would keep it off this CPU. Or the last sleep here timed out with no news: the
            // other side is idle. Straight to sleep either way; one look first.
            if (Doorbell.tookWakeHint() || doorbell.wasIdle()) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                return doorbell.sleepUntil(ready, deadline);
            }
            for (int i = 0; i < spins; i++) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                Thread.onSpinWait();
            }
            for (int i = 0; i < yields; i++) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                if (Deadline.passed(deadline, System.nanoTime())) {
                    // Timed out before sleeping (a short timeout, or a loaded machine): no news all along,
                    // so the next wait sleeps at once, as after a sleep that timed out.
                    doorbell.markIdle();
                    return false;
                }
                Thread.yield();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return doorbell.sleepUntil(ready, deadline);
        }
    }
}
