package dev.ringfork.ipc;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the threads of one handle use, in turn, a ring endpoint that only one thread may use at a time:
 * the producer or the consumer of an SPSC ring.
 */
final class EndpointLock {

    private final ReentrantLock lock = new ReentrantLock();

    /** Waits for the endpoint; only an {@code interruptible} wait throws {@link InterruptedException}. */
    void lock(boolean interruptible) throws InterruptedException {
        if (interruptible) {
            lock.lockInterruptibly();
        } else {
            lock.lock();
        }
    }

    void unlock() {
        lock.unlock();
    }
}
