package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.ipc.codec.Codec;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread's consumer of the ring, and the handler that decodes into it. State: IDLE (between
 * calls), BUSY (in a call, owned by its thread), CLOSE_PENDING (asked to close while busy), CLOSED.
 * {@link TakerRegistry} moves a taker between IDLE and BUSY; {@link #requestClose()} may come from any
 * thread.
 *
 * @param <T> the element type
 */
final class Taker<T> implements MessageHandler {
    static final int IDLE = 0;
    static final int BUSY = 1;
    static final int CLOSE_PENDING = 2;
    static final int CLOSED = 3;

    final RingConsumer consumer;
    final Thread owner = Thread.currentThread();
    final AtomicInteger state = new AtomicInteger(BUSY);
    private final Codec<T> codec;
    private final QueueHeader header;
    private final Set<Taker<T>> registered;
    boolean endOfStream;
    List<T> sink;
    /** Set for a {@link SharedQueue#drain} call: decoded elements go straight to it. */
    ElementHandler<? super T> forward;
    final DecodedValue<T> decoded = new DecodedValue<>();
    /**
     * Messages the current read handed over that the ring forgets: all it delivered, also when the
     * forward handler threw (up to and including that one), none when its {@code beforeRelease} threw.
     */
    int given;

    /** A BUSY taker for the calling thread; {@code registered} is the set it leaves when its consumer closes. */
    Taker(Codec<T> codec, QueueHeader header, RingConsumer consumer, Set<Taker<T>> registered) {
        this.codec = codec;
        this.header = header;
        this.consumer = consumer;
        this.registered = registered;
    }

    @Override
    public void onMessage(int type, MemorySegment message) {
        given++; // the ring gives this one up whatever happens next, unless beforeRelease throws
        T value;
        try {
            value = DecodedValue.decode(codec, message);
        } catch (RuntimeException e) {
            decoded.fail(e);
            return;
        }
        if (forward != null) {
            forward.onElement(value); // may throw: the ring keeps the elements after this one
        } else if (sink != null) {
            sink.add(value);
        } else {
            decoded.set(value);
        }
    }

    @Override
    public void beforeRelease() {
        if (forward != null) {
            try {
                forward.beforeRelease();
            } catch (RuntimeException | Error e) {
                given = 0; // the ring keeps the whole batch
                throw e;
            }
        }
    }

    /** The element just read (counted as taken), or its decode error. */
    T result(int taken) {
        header.countTaken(taken);
        return decoded.take();
    }

    /** Closes the consumer now if the taker is idle, else marks it to close when its call returns. */
    void requestClose() {
        for (;;) {
            int s = state.get();
            if (s == IDLE) {
                // Acquires the owner's CAS to IDLE in TakerRegistry.exit: its last read is done.
                if (state.compareAndSet(IDLE, CLOSED)) {
                    closeConsumer();
                    return;
                }
            } else if (s == BUSY) {
                if (state.compareAndSet(BUSY, CLOSE_PENDING)) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    void closeConsumer() {
        registered.remove(this);
        consumer.close();
    }
}
