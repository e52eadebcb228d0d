package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingCorruptedException;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}, like Python's {@code multiprocessing.connection.Connection}: {@link #send}
 * and {@link #recv} values through a {@link Codec}, or raw bytes with {@link #sendBytes} and
 * {@link #recvBytes}. A duplex end does both; a simplex pipe has a receive-only and a send-only end.
 *
 * <p>An end belongs to the process that obtained it: it is registered in the pipe's rings from then
 * until {@link #close()} or {@link #detach()}, and a second live process asking for the same end is
 * refused. So each side knows whether the other one died:
 * <ul>
 *   <li>{@link #close()} ends the stream for the other side (it receives what was sent, then
 *       {@link EndOfStreamException}) and makes its sends fail with {@link BrokenPipeException}.</li>
 *   <li>If the other end's process dies without closing (kill -9), receives and polls get what it sent,
 *       then {@link PeerDiedException} (Python's {@code EOFError}); sends that wait for room, and sends
 *       from then on, get {@link BrokenPipeException} (Python's {@code BrokenPipeError}), within about
 *       {@value #PEER_CHECK_MILLIS} ms of waiting.</li>
 *   <li>{@link #detach()} leaves the stream open for a process that takes the end over later.</li>
 * </ul>
 *
 * <p>Thread-safe: sends are serialised, receives are serialised, and the two may overlap. A call waits
 * for its turn only within its own timeout ({@link #poll()} not at all), so a thread waiting in
 * {@link #recv()} does not hold up another's {@code recv(10, MILLISECONDS)}: that one returns null.
 *
 * @param <T> the value type
 */
public final class Connection<T> implements AutoCloseable {

    /** A waiting send or receive looks at the other end's process this often. */
    static final long PEER_CHECK_MILLIS = 200;
    static final long PEER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(PEER_CHECK_MILLIS);

    private final String description;
    private final Codec<T> codec;
    private final SpscRing sendRing;
    private final SpscRing recvRing;
    private final EndState end;
    private final PipeSender<T> sender;
    private final PipeReceiver<T> receiver;

    /** Takes this end for the calling process: the producer of {@code sendRing}, the consumer of {@code recvRing}. */
    Connection(String description, Codec<T> codec, SpscRing sendRing, SpscRing recvRing) {
        this.description = description;
        this.codec = codec;
        this.sendRing = sendRing;
        this.recvRing = recvRing;
        this.end = new EndState(description);
        RingProducer out = null;
        RingConsumer in;
        try {
            out = sendRing == null ? null : sendRing.producer();
            in = recvRing == null ? null : recvRing.consumer();
        } catch (RingCorruptedException e) {
            release(out, null);
            throw e;
        } catch (IllegalStateException e) {
            release(out, null);
            throw new IllegalStateException(description + " is in use by another live process: each end of a pipe is"
                    + " used by one process at a time (close or detach it there first). " + e.getMessage(), e);
        }
        this.sender = new PipeSender<>(description, codec, sendRing, out, end);
        this.receiver = new PipeReceiver<>(description, codec, recvRing, in, end);
    }

    // ------------------------------------------------------------------------------------- sending

    /**
     * Sends {@code value}, waiting while the ring is full.
     *
     * @throws BrokenPipeException      if the other end closed, or its process died
     * @throws IllegalStateException    if this end is closed, detached or receive-only
     * @throws CodecException           if the value cannot be encoded
     * @throws IllegalArgumentException if it encodes to more than {@link #maxMessageBytes()}
     */
    public void send(T value) throws InterruptedException {
        sender.send(value, Deadline.NONE);
    }

    /**
     * Sends {@code value}, waiting up to the timeout for room; false if none came (nothing was sent).
     *
     * @throws BrokenPipeException if the other end closed, or its process died
     */
    public boolean send(T value, long timeout, TimeUnit unit) throws InterruptedException {
        return sender.send(value, Deadline.after(timeout, unit));
    }

    /** Sends raw bytes, not encoded (Python's {@code send_bytes}); receive them with {@link #recvBytes()}. */
    public void sendBytes(byte[] bytes) throws InterruptedException {
        sendBytes(bytes, 0, bytes.length);
    }

    /** Sends {@code bytes[offset, offset + length)} raw. */
    public void sendBytes(byte[] bytes, int offset, int length) throws InterruptedException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        sender.sendBytes(bytes, offset, length, Deadline.NONE);
    }

    /** Sends raw bytes, waiting up to the timeout for room; false if none came (nothing was sent). */
    public boolean sendBytes(byte[] bytes, long timeout, TimeUnit unit) throws InterruptedException {
        return sender.sendBytes(bytes, 0, bytes.length, Deadline.after(timeout, unit));
    }

    // ------------------------------------------------------------------------------------- receiving

    /**
     * Receives the next value, waiting for one.
     *
     * @throws EndOfStreamException if the other end closed and everything it sent was received
     * @throws PeerDiedException    if the other end's process died and everything it sent was received
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
     * @throws PeerDiedException    if the other end's process died and everything it sent was received
     */
    public T recv(long timeout, TimeUnit unit) throws InterruptedException {
        return receiver.recv(Deadline.after(timeout, unit));
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
        return receiver.recvBytes(Deadline.after(timeout, unit));
    }

    /**
     * Receives up to {@code max} messages as raw bytes, waiting up to the timeout for the first, handing
     * each to {@code handler} while the pipe still holds them (see {@link ElementHandler}: a message is
     * forgotten only after {@code beforeRelease} returned, so one this process did not get to write out
     * is received again by the next process that takes this end).
     *
     * @return messages received; 0 if none came in time; -1 at the end of the stream
     * @throws PeerDiedException        if the other end's process died and everything it sent was received
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public int recvBytes(ElementHandler<? super byte[]> handler, int max, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(handler, "handler");
        if (max <= 0) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        long deadline = Deadline.after(timeout, unit);
        return receiver.recvBytes(handler, max, deadline);
    }

    /**
     * True if a receive would not wait now: a message is there, or the stream has ended (then the
     * receive throws {@link EndOfStreamException}). Waits up to the timeout for that. Like Python, the
     * message is kept for the next {@code recv} or {@code recvBytes}.
     *
     * @throws PeerDiedException if the other end's process died and everything it sent was received
     */
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        return receiver.poll(Deadline.after(timeout, unit));
    }

    /** {@link #poll(long, TimeUnit)} without waiting, also not for another thread's receive: false while one runs. */
    public boolean poll() {
        try {
            return poll(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------------------------- state

    /**
     * Closes this end: the other side receives what was sent, then the end of the stream, and its sends
     * fail. Gives the end up; a send or receive waiting in another thread throws
     * {@link IllegalStateException}. Idempotent, and does nothing on a {@link #detach() detached} end
     * (its stream belongs to whoever takes the end over).
     */
    @Override
    public void close() {
        if (!end.leave(EndState.CLOSED)) {
            return; // closed already, or detached
        }
        stopUsers();
        try {
            if (sendRing != null) {
                sendRing.close();
            }
            if (recvRing != null) {
                recvRing.close(); // the other side's sends now fail: nobody will read them
            }
            release(sender.producer, receiver.consumer);
        } finally {
            letUsersIn();
        }
    }

    /**
     * Stops using this end without ending the stream: the end is given up, so another process may take
     * it over and go on where this one stopped, and the other side does not take this process's exit for
     * a death. A send or receive waiting in another thread throws {@link IllegalStateException}, and
     * returns before the end is given up, so it never reads alongside the end's next owner. Later calls on
     * this end throw {@link IllegalStateException}, except {@link #close()} (a no-op). Idempotent.
     */
    public void detach() {
        if (!end.leave(EndState.DETACHED)) {
            return; // detached already, or closed
        }
        stopUsers();
        try {
            release(sender.producer, receiver.consumer);
        } finally {
            letUsersIn();
        }
    }

    /**
     * Waits until no other thread sends or receives on this end: a waiting receive wakes at once (its
     * wait also ends on {@link EndState#stopping}), a waiting send within one {@value #PEER_CHECK_MILLIS} ms slice.
     * The state has left OPEN, so they throw instead of going on.
     */
    private void stopUsers() {
        if (recvRing != null) {
            recvRing.wakeConsumers(); // our own receive, asleep in the ring: it sees stopping
        }
        sender.sendLock.lockUninterruptibly(); // acquire: no send in progress from here
        receiver.recvLock.lockUninterruptibly(); // acquire: no receive in progress from here
    }

    /** Ends {@link #stopUsers()}: calls that come now find the end closed or detached. */
    private void letUsersIn() {
        receiver.recvLock.unlock(); // release
        sender.sendLock.unlock(); // release
    }

    private static void release(RingProducer producer, RingConsumer consumer) {
        if (producer != null) {
            producer.release();
        }
        if (consumer != null) {
            consumer.close();
        }
    }

    /** True once {@link #close()} was called on this end (not after {@link #detach()}). */
    public boolean isClosed() {
        return end.get() == EndState.CLOSED;
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

    /** The ring this end receives from (null for a send-only end), for {@link Channels#waitAny}. */
    SpscRing receiveRing() {
        return recvRing;
    }

    @Override
    public String toString() {
        int now = end.get();
        return "Connection[" + description + (now == EndState.CLOSED ? ", closed" : now == EndState.DETACHED ? ", detached" : "") + "]";
    }
}
