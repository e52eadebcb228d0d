package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What every consumer does the same way: the blocking read on top of its non-blocking one. */
abstract sealed class AbstractConsumer implements RingConsumer permits SingleConsumer, SharedConsumer {

    final Ring ring;
    final MemorySegment buffer;
    /** Read-only view of the buffer: handlers get slices of it, so they cannot write into the ring. */
    final MemorySegment view;
    final int mask;
    final StallWatch stall;
    /** The wait strategy's condition, made once rather than per wait. */
    private final BooleanSupplier readyOrEnded = this::readyOrEnded;

    AbstractConsumer(Ring ring, boolean multiProducer) {
        this.ring = ring;
        this.buffer = ring.buffer;
        this.view = ring.buffer.asReadOnly();
        this.mask = ring.capacity - 1;
        this.stall = new StallWatch(ring, multiProducer);
    }

    /** True when a read would deliver something or the stream has ended; may unblock a stalled record. */
    abstract boolean readyOrEnded();

    @Override
    public int read(MessageHandler handler, int limit, long timeout, TimeUnit unit) throws InterruptedException {
        return read(handler, limit, timeout, unit, null);
    }

    @Override
    public int read(MessageHandler handler, int limit, long timeout, TimeUnit unit, BooleanSupplier orWhen)
            throws InterruptedException {
        int first = read(handler, limit);
        if (first > 0) {
            return first; // the clock is read only when there is something to wait for
        }
        long deadline = AbstractProducer.deadline(timeout, unit);
        BooleanSupplier ready = orWhen == null ? readyOrEnded : () -> readyOrEnded() || orWhen.getAsBoolean();
        for (int count = first; ; count = read(handler, limit)) {
            if (count > 0) {
                return count;
            }
            if (isEndOfStream()) {
                return -1;
            }
            if (orWhen != null && orWhen.getAsBoolean()) {
                return 0;
            }
            if (!ring.options.waitStrategy().await(ring.dataBell, ready, deadline)) {
                return 0;
            }
        }
    }
}
