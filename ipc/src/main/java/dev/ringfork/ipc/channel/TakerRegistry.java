package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The takers of one queue handle. On an MPMC ring each thread that takes gets its own {@link Taker},
 * holding one of the ring's consumer slots until the thread ends (the handle's next new taker releases
 * it), the handle is detached or closed, or the taker sees the end of the stream. On an SPSC ring the
 * handle keeps one taker, and its threads take turns at it.
 *
 * <p>A call that takes brackets its reads with {@link #enter} and {@link #exit}.
 *
 * @param <T> the element type
 */
final class TakerRegistry<T> {

    private final String queueName;
    private final Codec<T> codec;
    private final Ring ring;
    private final QueueHeader header;
    private final Attachment attachment;
    private final boolean spsc;
    private final EndpointLock takeLock = new EndpointLock();
    private final ThreadLocal<Taker<T>> takers = new ThreadLocal<>();
    private final Set<Taker<T>> allTakers = ConcurrentHashMap.newKeySet();
    private Taker<T> spscTaker; // guarded by takeLock

    TakerRegistry(String queueName, Codec<T> codec, Ring ring, QueueHeader header, Attachment attachment) {
        this.queueName = queueName;
        this.codec = codec;
        this.ring = ring;
        this.header = header;
        this.attachment = attachment;
        this.spsc = header.isSpsc();
    }

    /**
     * The calling thread's taker, BUSY, made if needed; null if (SPSC) another thread of this handle
     * still had the turn at {@code deadline} ({@link Deadline#NONE}: waits as long as it takes, a passed
     * deadline: not at all). Only a wait is interruptible.
     *
     * @throws IllegalStateException if the handle was detached, or every consumer slot is held
     */
    Taker<T> enter(long deadline) throws InterruptedException {
        if (spsc) {
            if (!takeLock.lock(deadline)) { // acquire: our turn at the SPSC consumer, released in exit
                return null;
            }
            try {
                attachment.check();
                if (spscTaker == null) {
                    spscTaker = new Taker<>(codec, header, ring.consumer(), allTakers);
                }
                spscTaker.state.set(Taker.BUSY);
                return spscTaker;
            } catch (RuntimeException | Error e) {
                takeLock.unlock(); // release: the turn goes back on a failed enter
                throw e;
            }
        }
        Taker<T> taker = takers.get();
        if (taker != null && taker.state.compareAndSet(Taker.IDLE, Taker.BUSY)) {
            return taker;
        }
        attachment.check();
        sweepEndedThreads();
        RingConsumer consumer;
        try {
            consumer = ring.consumer();
        } catch (IllegalStateException full) {
            throw new IllegalStateException("queue '" + queueName + "': " + full.getMessage() + ". Each thread that takes"
                    + " holds a slot while it lives; detach() handles that stop taking, or set QueueOptions.consumerSlots", full);
        }
        taker = new Taker<>(codec, header, consumer, allTakers); // BUSY
        allTakers.add(taker);
        takers.set(taker);
        // Registered, then the volatile read: pairs with detach()'s volatile write before releaseAll()'s
        // scan, so either that scan sees this taker or this read sees the handle detached.
        if (attachment.isDetached()) { // raced with detach(): give the slot back
            taker.state.set(Taker.CLOSED);
            taker.closeConsumer();
            takers.remove();
            attachment.check();
        }
        return taker;
    }

    /** Ends a call that {@link #enter} began: the taker goes back to IDLE, or closes if it should. */
    void exit(Taker<T> taker) {
        if (spsc) {
            taker.state.set(Taker.IDLE);
            takeLock.unlock(); // release: the next thread's turn at the SPSC consumer
            return;
        }
        // The CAS to IDLE releases this call's use of the consumer: a requestClose() whose CAS from IDLE
        // sees it closes the consumer from another thread after it.
        if (taker.endOfStream || !taker.state.compareAndSet(Taker.BUSY, Taker.IDLE)) {
            // End of stream (the slot is not needed any more) or close requested while we read.
            taker.state.set(Taker.CLOSED);
            taker.closeConsumer();
            takers.remove();
        }
    }

    /** Releases consumer slots held by this handle's idle takers; busy ones release when their call returns. */
    void releaseAll() {
        for (Taker<T> taker : allTakers) {
            taker.requestClose();
        }
    }

    private void sweepEndedThreads() {
        for (Taker<T> taker : allTakers) {
            if (!taker.owner.isAlive()) {
                taker.requestClose();
            }
        }
    }
}
