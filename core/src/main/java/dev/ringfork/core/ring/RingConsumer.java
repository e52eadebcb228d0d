package dev.ringfork.core.ring;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The reading side of a ring. Messages are handed over in place ({@link MessageHandler}); the space is
 * given back to producers after the handler returns. A consumer is used by one thread.
 */
public interface RingConsumer extends AutoCloseable {

    /** Delivers up to {@code limit} messages available now; returns how many. */
    int read(MessageHandler handler, int limit);

    /**
     * Delivers up to {@code limit} messages, waiting up to {@code timeout} for the first one.
     *
     * @return messages delivered; 0 if the timeout passed; -1 at the end of the stream (the ring was
     *         closed for writing and everything committed has been read)
     */
    int read(MessageHandler handler, int limit, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Like {@link #read(MessageHandler, int, long, TimeUnit)}, but the wait also ends, returning 0, when
     * {@code orWhen} becomes true: a thread that serves a ring and something else (an in-process queue)
     * waits for both. Whoever makes {@code orWhen} true calls {@link Ring#wakeConsumers()} so a sleeping
     * reader re-checks it.
     */
    int read(MessageHandler handler, int limit, long timeout, TimeUnit unit, BooleanSupplier orWhen)
            throws InterruptedException;

    /** True once the ring is closed for writing and drained. */
    boolean isEndOfStream();

    /** Stops consuming; for MPMC rings frees this consumer's slot. */
    @Override
    void close();
}
