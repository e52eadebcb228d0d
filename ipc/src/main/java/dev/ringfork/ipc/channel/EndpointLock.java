package dev.ringfork.ipc.channel;

import dev.ringfork.core.sync.Deadline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the threads of one handle use, in turn, a ring endpoint that only one thread may use at a time:
 * the producer or the consumer of an SPSC ring, or one side of a pipe end. A call waits for its turn no
 * longer than its own deadline, so a thread waiting without a timeout never holds up a timed call.
 */
final class EndpointLock {

    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Waits for the endpoint until {@code deadline} ({@link Deadline#NONE}: as long as it takes; a passed
     * deadline: not at all); false if another thread still has it then. Only a wait is interruptible.
     */
    boolean lock(long deadline) throws InterruptedException {
        if (deadline == Deadline.NONE) {
            lock.lockInterruptibly();
            return true;
        }
        long left = deadline - System.nanoTime();
        return left > 0 ? lock.tryLock(left, TimeUnit.NANOSECONDS) : lock.tryLock();
    }

    /** Waits for the endpoint as long as it takes, not interruptibly: for closing, once the users were told to stop. */
    void lockUninterruptibly() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }
}
