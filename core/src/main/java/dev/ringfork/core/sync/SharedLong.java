package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A 64-bit integer in shared memory that several processes read and update atomically, like
 * {@link java.util.concurrent.atomic.AtomicLong} but living in a mapped region (the
 * {@code multiprocessing.Value('q')} of Ringfork). Get one by name with
 * {@code region.sharedLong("counter")}, or over any aligned native segment with {@link #at}.
 *
 * <p>Memory modes follow {@link VarHandle}: {@code get}/{@code set} are volatile; {@code Plain},
 * {@code Opaque} and {@code Acquire}/{@code Release} variants are for those who know they need them.
 */
public final class SharedLong {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment segment;
    private final long offset;

    private SharedLong(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /** The long at {@code segment[offset]}, which must be 8-byte aligned and inside the segment. */
    public static SharedLong at(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, Long.BYTES, segment.byteSize());
        if (((segment.address() + offset) & 7) != 0) {
            throw new IllegalArgumentException("a SharedLong must be 8-byte aligned, offset " + offset + " is not");
        }
        return new SharedLong(segment, offset);
    }

    public long get() {
        return (long) LONG.getVolatile(segment, offset);
    }

    public void set(long value) {
        LONG.setVolatile(segment, offset, value);
    }

    public long getPlain() {
        return (long) LONG.get(segment, offset);
    }

    public void setPlain(long value) {
        LONG.set(segment, offset, value);
    }

    public long getOpaque() {
        return (long) LONG.getOpaque(segment, offset);
    }

    public void setOpaque(long value) {
        LONG.setOpaque(segment, offset, value);
    }

    public long getAcquire() {
        return (long) LONG.getAcquire(segment, offset);
    }

    public void setRelease(long value) {
        LONG.setRelease(segment, offset, value);
    }

    public boolean compareAndSet(long expected, long newValue) {
        return LONG.compareAndSet(segment, offset, expected, newValue);
    }

    /** Returns the witness value: equal to {@code expected} exactly when the exchange happened. */
    public long compareAndExchange(long expected, long newValue) {
        return (long) LONG.compareAndExchange(segment, offset, expected, newValue);
    }

    public long getAndSet(long value) {
        return (long) LONG.getAndSet(segment, offset, value);
    }

    public long getAndAdd(long delta) {
        return (long) LONG.getAndAdd(segment, offset, delta);
    }

    public long addAndGet(long delta) {
        return (long) LONG.getAndAdd(segment, offset, delta) + delta;
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    public long decrementAndGet() {
        return addAndGet(-1);
    }

    public long getAndIncrement() {
        return getAndAdd(1);
    }

    /** Applies {@code update} atomically (retrying on contention, so it may run more than once). */
    public long updateAndGet(LongUnaryOperator update) {
        long current = get();
        for (;;) {
            long next = update.applyAsLong(current);
            long witness = compareAndExchange(current, next);
            if (witness == current) {
                return next;
            }
            current = witness;
        }
    }

    /** Like {@link #updateAndGet} but returns the previous value. */
    public long getAndUpdate(LongUnaryOperator update) {
        long current = get();
        for (;;) {
            long witness = compareAndExchange(current, update.applyAsLong(current));
            if (witness == current) {
                return current;
            }
            current = witness;
        }
    }

    public long accumulateAndGet(long x, LongBinaryOperator accumulator) {
        return updateAndGet(current -> accumulator.applyAsLong(current, x));
    }

    /** The segment and offset of the word, e.g. to {@link Futex#wait} on it. */
    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
