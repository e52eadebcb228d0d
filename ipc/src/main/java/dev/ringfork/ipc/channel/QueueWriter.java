package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The writing side of one queue handle: encodes an element into a claimed ring record, commits it and
 * counts it in the header. The ring's producer is made on the first write and shared by the handle's
 * threads; on an SPSC ring they take turns at it.
 *
 * @param <T> the element type
 */
final class QueueWriter<T> {

    /** The ring message type of an element. */
    static final int ELEMENT_TYPE = 1;

    private final Codec<T> codec;
    private final Ring ring;
    private final QueueHeader header;
    private final Attachment attachment;
    private final EndpointLock putLock; // null unless the ring is SPSC
    private volatile RingProducer producer;

    QueueWriter(Codec<T> codec, Ring ring, QueueHeader header, Attachment attachment) {
        this.codec = codec;
        this.ring = ring;
        this.header = header;
        this.attachment = attachment;
        this.putLock = header.isSpsc() ? new EndpointLock() : null;
    }

    /**
     * Writes {@code e}, waiting until {@code deadline} for room ({@link Deadline#NONE}: as long as it
     * takes; a passed deadline: not at all); returns false if none came, or (SPSC) if another thread of
     * this handle was still writing then.
     */
    boolean write(T e, long deadline) throws InterruptedException {
        Objects.requireNonNull(e, "SharedQueue does not take null elements");
        attachment.check();
        EncodedMessage<T> message = EncodedMessage.of(codec, e);
        RingProducer out = producer();
        if (putLock != null && !putLock.lock(deadline)) { // acquire: our turn at the SPSC producer
            return false;
        }
        try {
            long left = Deadline.left(deadline, System.nanoTime(), Long.MAX_VALUE);
            RingClaim claim = left <= 0 ? out.tryClaim(ELEMENT_TYPE, message.size())
                    : out.claim(ELEMENT_TYPE, message.size(), left, TimeUnit.NANOSECONDS);
            if (claim == null) {
                return false;
            }
            message.writeAndCommit(claim);
        } finally {
            if (putLock != null) {
                putLock.unlock(); // release: the next thread's turn
            }
        }
        header.countPut();
        return true;
    }

    private RingProducer producer() {
        RingProducer out = producer;
        if (out == null) {
            synchronized (this) {
                out = producer;
                if (out == null) {
                    producer = out = ring.producer();
                }
            }
        }
        return out;
    }
}
