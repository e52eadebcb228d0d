package dev.ringfork.ipc;

import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingCorruptedException;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.Deadline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

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
    private static final long PEER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(PEER_CHECK_MILLIS);
    private static final int VALUE_TYPE = 1;
    private static final int BYTES_TYPE = 2;
    private static final int DECODE = 0;
    private static final int COPY = 1;
    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final int DETACHED = 2;

    private final String description;
    private final Codec<T> codec;
    private final SpscRing sendRing;
    private final SpscRing recvRing;
    private final RingProducer producer; // null for a receive-only end
    private final RingConsumer consumer; // null for a send-only end
    private final EndpointLock sendLock = new EndpointLock();
    private final EndpointLock recvLock = new EndpointLock();
    private final Receiver receiver = new Receiver();
    private byte[] pending;        // guarded by recvLock: a message poll() took ahead of recv()
    private long nextSendCheck;    // guarded by sendLock
    private long nextRecvCheck;    // guarded by recvLock
    /** OPEN, then CLOSED or DETACHED for good: set before close or detach waits for the users to stop. */
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** A waiting receive's extra wake-up condition: the end is being closed or detached. */
    private final BooleanSupplier stopping = () -> state.get() != OPEN;

    /** Takes this end for the calling process: the producer of {@code sendRing}, the consumer of {@code recvRing}. */
    Connection(String description, Codec<T> codec, SpscRing sendRing, SpscRing recvRing) {
        this.description = description;
        this.codec = codec;
        this.sendRing = sendRing;
        this.recvRing = recvRing;
        RingProducer out = null;
        try {
            out = sendRing == null ? null : sendRing.producer();
            this.producer = out;
            this.consumer = recvRing == null ? null : recvRing.consumer();
        } catch (RingCorruptedException e) {
            release(out, null);
            throw e;
        } catch (IllegalStateException e) {
            release(out, null);
            throw new IllegalStateException(description + " is in use by another live process: each end of a pipe is"
                    + " used by one process at a time (close or detach it there first). " + e.getMessage(), e);
        }
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
        send(value, Deadline.NONE);
    }

    /**
     * Sends {@code value}, waiting up to the timeout for room; false if none came (nothing was sent).
     *
     * @throws BrokenPipeException if the other end closed, or its process died
     */
    public boolean send(T value, long timeout, TimeUnit unit) throws InterruptedException {
        return send(value, Deadline.after(timeout, unit));
    }

    private boolean send(T value, long deadline) throws InterruptedException {
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

    /** Sends raw bytes, not encoded (Python's {@code send_bytes}); receive them with {@link #recvBytes()}. */
    public void sendBytes(byte[] bytes) throws InterruptedException {
        sendBytes(bytes, 0, bytes.length);
    }

    /** Sends {@code bytes[offset, offset + length)} raw. */
    public void sendBytes(byte[] bytes, int offset, int length) throws InterruptedException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        write(BYTES_TYPE, bytes, offset, length, Deadline.NONE);
    }

    /** Sends raw bytes, waiting up to the timeout for room; false if none came (nothing was sent). */
    public boolean sendBytes(byte[] bytes, long timeout, TimeUnit unit) throws InterruptedException {
        return write(BYTES_TYPE, bytes, 0, bytes.length, Deadline.after(timeout, unit));
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
        checkUsable();
        if (producer == null) {
            throw new IllegalStateException(description + " only receives");
        }
        checkReceiver(System.nanoTime(), false);
        try {
            for (;;) {
                checkUsable(); // closed or detached by another thread meanwhile: stop using the end
                long now = System.nanoTime();
                RingClaim claim = producer.claim(type, length, Deadline.left(deadline, now, PEER_CHECK_NANOS), TimeUnit.NANOSECONDS);
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
            checkUsable();
            throw BrokenPipeException.closed(description, e);
        }
    }

    /** Throws if the receiving process died; looks at most once per check interval unless {@code now} is forced. */
    private void checkReceiver(long now, boolean force) {
        if (!force && now - nextSendCheck < 0) {
            return;
        }
        nextSendCheck = now + PEER_CHECK_NANOS;
        if (sendRing.consumerDied()) {
            throw BrokenPipeException.died(description, sendRing.consumerPid().orElse(-1));
        }
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
        long deadline = Deadline.after(timeout, unit);
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
        long deadline = Deadline.after(timeout, unit);
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

    /**
     * True if a receive would not wait now: a message is there, or the stream has ended (then the
     * receive throws {@link EndOfStreamException}). Waits up to the timeout for that. Like Python, the
     * message is kept for the next {@code recv} or {@code recvBytes}.
     *
     * @throws PeerDiedException if the other end's process died and everything it sent was received
     */
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(timeout, unit);
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

    /** {@link #poll(long, TimeUnit)} without waiting, also not for another thread's receive: false while one runs. */
    public boolean poll() {
        try {
            return poll(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
            int n = in.read(handler, max, Deadline.left(deadline, now, PEER_CHECK_NANOS), TimeUnit.NANOSECONDS, stopping);
            if (n > 0) {
                return n;
            }
            if (n < 0) {
                throw new EndOfStreamException(description + ": the other end closed the connection and everything it sent"
                        + " was received");
            }
            checkUsable(); // closed or detached by another thread meanwhile: stop using the end
            now = System.nanoTime();
            boolean timedOut = Deadline.passed(deadline, now);
            if ((timedOut ? now - nextRecvCheck >= 0 : true) && senderDied(now)) {
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
        nextRecvCheck = now + PEER_CHECK_NANOS;
        return recvRing.producerDied();
    }

    private RingConsumer consumer() {
        checkUsable();
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

    // ------------------------------------------------------------------------------------- state

    /**
     * Closes this end: the other side receives what was sent, then the end of the stream, and its sends
     * fail. Gives the end up; a send or receive waiting in another thread throws
     * {@link IllegalStateException}. Idempotent, and does nothing on a {@link #detach() detached} end
     * (its stream belongs to whoever takes the end over).
     */
    @Override
    public void close() {
        if (!state.compareAndSet(OPEN, CLOSED)) {
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
            release(producer, consumer);
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
        if (!state.compareAndSet(OPEN, DETACHED)) {
            return; // detached already, or closed
        }
        stopUsers();
        try {
            release(producer, consumer);
        } finally {
            letUsersIn();
        }
    }

    /**
     * Waits until no other thread sends or receives on this end: a waiting receive wakes at once (its
     * wait also ends on {@link #stopping}), a waiting send within one {@value #PEER_CHECK_MILLIS} ms slice.
     * The state has left OPEN, so they throw instead of going on.
     */
    private void stopUsers() {
        if (recvRing != null) {
            recvRing.wakeConsumers(); // our own receive, asleep in the ring: it sees stopping
        }
        sendLock.lockUninterruptibly(); // acquire: no send in progress from here
        recvLock.lockUninterruptibly(); // acquire: no receive in progress from here
    }

    /** Ends {@link #stopUsers()}: calls that come now find the end closed or detached. */
    private void letUsersIn() {
        recvLock.unlock(); // release
        sendLock.unlock(); // release
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
        return state.get() == CLOSED;
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

    private void checkUsable() {
        int now = state.get();
        if (now == CLOSED) {
            throw new IllegalStateException(description + " is closed");
        }
        if (now == DETACHED) {
            throw new IllegalStateException(description + " was detached: take the end again (Pipe.open) to use it");
        }
    }

    @Override
    public String toString() {
        int now = state.get();
        return "Connection[" + description + (now == CLOSED ? ", closed" : now == DETACHED ? ", detached" : "") + "]";
    }
}
