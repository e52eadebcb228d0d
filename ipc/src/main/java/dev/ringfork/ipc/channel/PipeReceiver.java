package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/** The receive side of a {@link Connection}: reads values and raw bytes from the receive ring, one thread at a time. */
final class PipeReceiver<T> {

    private static final int DECODE = 0;
    private static final int COPY = 1;

    private final String description;
    private final Codec<T> codec;
    private final SpscRing recvRing;
    final RingConsumer consumer; // null for a send-only end
    private final EndState end;
    final EndpointLock recvLock = new EndpointLock();
    private final Receiver receiver = new Receiver();
    private byte[] pending;        // guarded by recvLock: a message poll() took ahead of recv()
    private long nextRecvCheck;    // guarded by recvLock
    private boolean senderFoundDead; // guarded by recvLock: the last check found the sender dead

    PipeReceiver(String description, Codec<T> codec, SpscRing recvRing, RingConsumer consumer, EndState end) {
        this.description = description;
        this.codec = codec;
        this.recvRing = recvRing;
        this.consumer = consumer;
        this.end = end;
    }

    T recv(long deadline) throws InterruptedException {
        if (!recvLock.lock(deadline)) { // acquire: our turn to receive, waited for until the deadline at most
            return null;
        }
        try {
            if (pending != null) {
                byte[] message = pending;
                pending = null;
                return DecodedValue.decode(codec, MemorySegment.ofArray(message));
            }
            return read(receiver.mode(DECODE), 1, deadline) > 0 ? receiver.takeValue() : null;
        } finally {
            recvLock.unlock(); // release: the next receiver's turn
        }
    }

    byte[] recvBytes(long deadline) throws InterruptedException {
        if (!recvLock.lock(deadline)) { // acquire: our turn to receive, waited for until the deadline at most
            return null;
        }
        try {
            if (pending != null) {
                byte[] message = pending;
                pending = null;
                return message;
            }
            return read(receiver.mode(COPY), 1, deadline) > 0 ? receiver.takeBytes() : null;
        } finally {
            recvLock.unlock(); // release: the next receiver's turn
        }
    }

    int recvBytes(ElementHandler<? super byte[]> handler, int max, long deadline) throws InterruptedException {
        if (!recvLock.lock(deadline)) { // acquire: our turn to receive, waited for until the deadline at most
            return 0;
        }
        try {
            if (pending != null) {
                byte[] message = pending;
                pending = null;
                handler.onElement(message);
                handler.beforeRelease();
                return 1;
            }
            return read(new MessageHandler() {
                @Override
                public void onMessage(int type, MemorySegment message) {
                    handler.onElement(message.toArray(ValueLayout.JAVA_BYTE));
                }

                @Override
                public void beforeRelease() {
                    handler.beforeRelease();
                }
            }, max, deadline);
        } finally {
            recvLock.unlock(); // release: the next receiver's turn
        }
    }

    boolean poll(long deadline) throws InterruptedException {
        if (!recvLock.lock(deadline)) { // acquire: our turn to receive, waited for until the deadline at most
            return false;
        }
        try {
            if (pending != null) {
                return true;
            }
            try {
                if (read(receiver.mode(COPY), 1, deadline) > 0) {
                    pending = receiver.takeBytes();
                    return true;
                }
                return false;
            } catch (PeerDiedException e) {
                throw e;
            } catch (EndOfStreamException e) {
                return true;
            }
        } finally {
            recvLock.unlock(); // release: the next receiver's turn
        }
    }

    /**
     * Up to {@code max} messages into {@code handler}, waiting in slices so that a dead sender is noticed;
     * 0 at the deadline. Throws at the end of the stream, and once the sender is dead and nothing is left.
     */
    private int read(MessageHandler handler, int max, long deadline) throws InterruptedException {
        RingConsumer in = consumer();
        for (;;) {
            long now = System.nanoTime();
            int n = in.read(handler, max, Deadline.left(deadline, now, Connection.PEER_CHECK_NANOS), TimeUnit.NANOSECONDS, end.stopping);
            if (n > 0) {
                return n;
            }
            if (n < 0) {
                throw new EndOfStreamException(description + ": the other end closed the connection and everything it sent"
                        + " was received");
            }
            end.checkUsable(); // closed or detached by another thread meanwhile: stop using the end
            now = System.nanoTime();
            boolean timedOut = Deadline.passed(deadline, now);
            // A sender found dead is looked at again at once: a receive after a poll (or Channels.waitAny)
            // that reported the death reports it too, instead of a null until the next check is due.
            if ((timedOut ? senderFoundDead || now - nextRecvCheck >= 0 : true) && senderDied(now)) {
                // What it committed before dying is still there: deliver that first.
                n = in.read(handler, max);
                if (n > 0) {
                    return n;
                }
                throw new PeerDiedException(description, recvRing.producerPid().orElse(-1));
            }
            if (timedOut) {
                return 0;
            }
        }
    }

    private boolean senderDied(long now) {
        nextRecvCheck = now + Connection.PEER_CHECK_NANOS;
        senderFoundDead = recvRing.producerDied();
        return senderFoundDead;
    }

    private RingConsumer consumer() {
        end.checkUsable();
        if (consumer == null) {
            throw new IllegalStateException(description + " only sends");
        }
        return consumer;
    }

    /** Decodes or copies the message in place; a decode error is kept and thrown after the read. */
    private final class Receiver implements MessageHandler {
        private int mode;
        private final DecodedValue<T> decoded = new DecodedValue<>();
        private byte[] bytes;

        Receiver mode(int mode) {
            this.mode = mode;
            return this;
        }

        @Override
        public void onMessage(int type, MemorySegment message) {
            if (mode == COPY) {
                bytes = message.toArray(ValueLayout.JAVA_BYTE);
                return;
            }
            try {
                decoded.set(DecodedValue.decode(codec, message));
            } catch (RuntimeException e) {
                decoded.fail(e);
            }
        }

        T takeValue() {
            return decoded.take();
        }

        byte[] takeBytes() {
            byte[] b = bytes;
            bytes = null;
            return b;
        }
    }
}
