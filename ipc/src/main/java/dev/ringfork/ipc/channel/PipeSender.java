package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** The send side of a {@link Connection}: writes values and raw bytes into the send ring, one thread at a time. */
final class PipeSender<T> {

    private static final int VALUE_TYPE = 1;
    private static final int BYTES_TYPE = 2;

    private final String description;
    private final Codec<T> codec;
    private final SpscRing sendRing;
    final RingProducer producer; // null for a receive-only end
    private final EndState end;
    final EndpointLock sendLock = new EndpointLock();
    private long nextSendCheck;    // guarded by sendLock

    PipeSender(String description, Codec<T> codec, SpscRing sendRing, RingProducer producer, EndState end) {
        this.description = description;
        this.codec = codec;
        this.sendRing = sendRing;
        this.producer = producer;
        this.end = end;
    }

    boolean send(T value, long deadline) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        EncodedMessage<T> message = EncodedMessage.of(codec, value);
        if (!sendLock.lock(deadline)) { // acquire: our turn to send, waited for until the deadline at most
            return false;
        }
        try {
            RingClaim claim = claim(VALUE_TYPE, message.size(), deadline);
            if (claim == null) {
                return false;
            }
            message.writeAndCommit(claim);
            return true;
        } finally {
            sendLock.unlock(); // release: the next sender's turn
        }
    }

    boolean sendBytes(byte[] bytes, int offset, int length, long deadline) throws InterruptedException {
        return write(BYTES_TYPE, bytes, offset, length, deadline);
    }

    private boolean write(int type, byte[] bytes, int offset, int length, long deadline) throws InterruptedException {
        if (!sendLock.lock(deadline)) { // acquire: our turn to send, waited for until the deadline at most
            return false;
        }
        try {
            RingClaim claim = claim(type, length, deadline);
            if (claim == null) {
                return false;
            }
            MemorySegment.copy(bytes, offset, claim.buffer(), ValueLayout.JAVA_BYTE, 0, length);
            claim.commit();
            return true;
        } finally {
            sendLock.unlock(); // release: the next sender's turn
        }
    }

    /** Claims room, waiting in slices so that a dead receiver is noticed; null at the deadline. */
    private RingClaim claim(int type, int length, long deadline) throws InterruptedException {
        end.checkUsable();
        if (producer == null) {
            throw new IllegalStateException(description + " only receives");
        }
        checkReceiver(System.nanoTime(), false);
        try {
            for (;;) {
                end.checkUsable(); // closed or detached by another thread meanwhile: stop using the end
                long now = System.nanoTime();
                RingClaim claim = producer.claim(type, length, Deadline.left(deadline, now, Connection.PEER_CHECK_NANOS), TimeUnit.NANOSECONDS);
                if (claim != null) {
                    return claim;
                }
                now = System.nanoTime();
                checkReceiver(now, true);
                if (Deadline.passed(deadline, now)) {
                    return null;
                }
            }
        } catch (RingClosedException e) {
            end.checkUsable();
            throw BrokenPipeException.closed(description, e);
        }
    }

    /** Throws if the receiving process died; looks at most once per check interval unless {@code now} is forced. */
    private void checkReceiver(long now, boolean force) {
        if (!force && now - nextSendCheck < 0) {
            return;
        }
        nextSendCheck = now + Connection.PEER_CHECK_NANOS;
        if (sendRing.consumerDied()) {
            throw BrokenPipeException.died(description, sendRing.consumerPid().orElse(-1));
        }
    }
}
