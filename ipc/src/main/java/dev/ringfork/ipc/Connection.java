package dev.ringfork.ipc;

import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingProducer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of a {@link Pipe}, like Python's {@code multiprocessing.connection.Connection}: {@link #send}
 * and {@link #recv} values through a {@link Codec}, or raw bytes with {@link #sendBytes} and
 * {@link #recvBytes}. A duplex end does both; a simplex pipe has a receive-only and a send-only end.
 *
 * <p>Sends wait while the other side is behind by a full ring. {@link #close()} ends the stream for the
 * other side (it receives what was sent, then {@link EndOfStreamException}) and makes its sends fail
 * ("the other end closed"). An end whose process died without closing is not detected: use
 * {@link #recv(long, TimeUnit)} or {@link #poll(long, TimeUnit)} with a timeout where that matters.
 *
 * <p>Thread-safe: sends are serialised, receives are serialised, and the two may overlap.
 *
 * @param <T> the value type
 */
public final class Connection<T> implements AutoCloseable {

    private static final int VALUE_TYPE = 1;
    private static final int BYTES_TYPE = 2;
    private static final int DECODE = 0;
    private static final int COPY = 1;

    private final String description;
    private final Codec<T> codec;
    private final Ring sendRing;
    private final Ring recvRing;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();
    private final Receiver receiver = new Receiver();
    private RingProducer producer; // guarded by sendLock
    private RingConsumer consumer; // guarded by recvLock
    private byte[] pending;        // guarded by recvLock: a message poll() took ahead of recv()
    private volatile boolean closed;

    Connection(String description, Codec<T> codec, Ring sendRing, Ring recvRing) {
        this.description = description;
        this.codec = codec;
        this.sendRing = sendRing;
        this.recvRing = recvRing;
    }

    // ------------------------------------------------------------------------------------- sending

    /**
     * Sends {@code value}, waiting while the ring is full.
     *
     * @throws IllegalStateException    if this end is closed or receive-only, or the other end closed
     * @throws CodecException           if the value cannot be encoded
     * @throws IllegalArgumentException if it encodes to more than {@link #maxMessageBytes()}
     */
    public void send(T value) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        EncodedMessage<T> message = EncodedMessage.of(codec, value);
        sendLock.lockInterruptibly();
        try {
            message.writeAndCommit(claim(VALUE_TYPE, message.size()));
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends raw bytes, not encoded (Python's {@code send_bytes}); receive them with {@link #recvBytes()}. */
    public void sendBytes(byte[] bytes) throws InterruptedException {
        sendBytes(bytes, 0, bytes.length);
    }

    /** Sends {@code bytes[offset, offset + length)} raw. */
    public void sendBytes(byte[] bytes, int offset, int length) throws InterruptedException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        write(BYTES_TYPE, bytes, offset, length);
    }

    private void write(int type, byte[] bytes, int offset, int length) throws InterruptedException {
        sendLock.lockInterruptibly();
        try {
            RingClaim claim = claim(type, length);
            MemorySegment.copy(bytes, offset, claim.buffer(), ValueLayout.JAVA_BYTE, 0, length);
            claim.commit();
        } finally {
            sendLock.unlock();
        }
    }

    private RingClaim claim(int type, int length) throws InterruptedException {
        checkOpen();
        if (sendRing == null) {
            throw new IllegalStateException(description + " only receives");
        }
        if (producer == null) {
            producer = sendRing.producer();
        }
        try {
            RingClaim claim = producer.claim(type, length, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            if (claim == null) {
                throw new IllegalStateException(description + ": no room came (an unbounded wait returned)");
            }
            return claim;
        } catch (RingClosedException e) {
            checkOpen();
            IllegalStateException broken = new IllegalStateException(description + ": the other end closed the connection");
            broken.initCause(e);
            throw broken;
        }
    }

    // ------------------------------------------------------------------------------------- receiving

    /**
     * Receives the next value, waiting for one.
     *
     * @throws EndOfStreamException if the other end closed and everything it sent was received
     * @throws CodecException       if the message could not be decoded (it is consumed)
     */
    public T recv() throws InterruptedException {
        T value = recv(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        if (value == null) {
            throw new IllegalStateException(description + ": an unbounded wait returned nothing");
        }
        return value;
    }

    /**
     * Receives the next value, waiting up to the timeout; null if none came in time.
     *
     * @throws EndOfStreamException if the other end closed and everything it sent was received
     */
    public T recv(long timeout, TimeUnit unit) throws InterruptedException {
        recvLock.lockInterruptibly();
        try {
            if (pending != null) {
                byte[] message = pending;
                pending = null;
                return DecodedValue.decode(codec, MemorySegment.ofArray(message));
            }
            return read(DECODE, timeout, unit) ? receiver.takeValue() : null;
        } finally {
            recvLock.unlock();
        }
    }

    /** Receives the next message as raw bytes (Python's {@code recv_bytes}), waiting for one. */
    public byte[] recvBytes() throws InterruptedException {
        byte[] bytes = recvBytes(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        if (bytes == null) {
            throw new IllegalStateException(description + ": an unbounded wait returned nothing");
        }
        return bytes;
    }

    /** Receives the next message as raw bytes, waiting up to the timeout; null if none came in time. */
    public byte[] recvBytes(long timeout, TimeUnit unit) throws InterruptedException {
        recvLock.lockInterruptibly();
        try {
            if (pending != null) {
                byte[] message = pending;
                pending = null;
                return message;
            }
            return read(COPY, timeout, unit) ? receiver.takeBytes() : null;
        } finally {
            recvLock.unlock();
        }
    }

    /**
     * True if a receive would not wait now: a message is there, or the stream has ended (then the
     * receive throws {@link EndOfStreamException}). Waits up to the timeout for that. Like Python, the
     * message is kept for the next {@code recv} or {@code recvBytes}.
     */
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        recvLock.lockInterruptibly();
        try {
            if (pending != null) {
                return true;
            }
            RingConsumer in = consumer();
            int n = in.read(receiver.mode(COPY), 1, timeout, unit);
            if (n > 0) {
                pending = receiver.takeBytes();
                return true;
            }
            return n < 0;
        } finally {
            recvLock.unlock();
        }
    }

    /** {@link #poll(long, TimeUnit)} without waiting. */
    public boolean poll() {
        try {
            return poll(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One message into the receiver; false on timeout; throws at the end of the stream. */
    private boolean read(int mode, long timeout, TimeUnit unit) throws InterruptedException {
        RingConsumer in = consumer();
        int n = in.read(receiver.mode(mode), 1, timeout, unit);
        if (n < 0) {
            throw new EndOfStreamException(description + ": the other end closed the connection and everything it sent"
                    + " was received");
        }
        return n > 0;
    }

    private RingConsumer consumer() {
        checkOpen();
        if (recvRing == null) {
            throw new IllegalStateException(description + " only sends");
        }
        if (consumer == null) {
            consumer = recvRing.consumer();
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

    // ------------------------------------------------------------------------------------- state

    /**
     * Closes this end: the other side receives what was sent, then the end of the stream, and its sends
     * fail. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (sendRing != null) {
            sendRing.close();
        }
        if (recvRing != null) {
            recvRing.close(); // the other side's sends now fail: nobody will read them
        }
    }

    /** True once {@link #close()} was called on this end. */
    public boolean isClosed() {
        return closed;
    }

    /** True if this end can send. */
    public boolean canSend() {
        return sendRing != null;
    }

    /** True if this end can receive. */
    public boolean canReceive() {
        return recvRing != null;
    }

    /** The largest message this end can send, in bytes (0 for a receive-only end). */
    public int maxMessageBytes() {
        return sendRing == null ? 0 : sendRing.maxMessageLength();
    }

    public Codec<T> codec() {
        return codec;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Connection[" + description + (closed ? ", closed" : "") + "]";
    }
}
