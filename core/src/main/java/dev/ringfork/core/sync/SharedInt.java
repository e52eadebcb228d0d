package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * A 32-bit integer in shared memory that several processes read and update atomically, like
 * {@link java.util.concurrent.atomic.AtomicInteger} but living in a mapped region (the
 * {@code multiprocessing.Value('i')} of Ringfork). Get one by name with
 * {@code region.sharedInt("counter")}, or over any aligned native segment with {@link #at}.
 *
 * <p>Memory modes follow {@link VarHandle}: {@code get}/{@code set} are volatile; {@code Plain},
 * {@code Opaque} and {@code Acquire}/{@code Release} variants are for those who know they need them.
 */
public final class SharedInt {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;
    private final long offset;

    private SharedInt(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /** The int at {@code segment[offset]}, which must be 4-byte aligned and inside the segment. */
    public static SharedInt at(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, Integer.BYTES, segment.byteSize());
        if (((segment.address() + offset) & 3) != 0) {
            throw new IllegalArgumentException("a SharedInt must be 4-byte aligned, offset " + offset + " is not");
        }
        return new SharedInt(segment, offset);
    }

    public int get() {
        return (int) INT.getVolatile(segment, offset);
    }

    public void set(int value) {
        INT.setVolatile(segment, offset, value);
    }

    public int getPlain() {
        return (int) INT.get(segment, offset);
    }

    public void setPlain(int value) {
        INT.set(segment, offset, value);
    }

    public int getOpaque() {
        return (int) INT.getOpaque(segment, offset);
    }

    public void setOpaque(int value) {
        INT.setOpaque(segment, offset, value);
    }

    public int getAcquire() {
        return (int) INT.getAcquire(segment, offset);
    }

    public void setRelease(int value) {
        INT.setRelease(segment, offset, value);
    }

    public boolean compareAndSet(int expected, int newValue) {
        return INT.compareAndSet(segment, offset, expected, newValue);
    }

    /** Returns the witness value: equal to {@code expected} exactly when the exchange happened. */
    public int compareAndExchange(int expected, int newValue) {
        return (int) INT.compareAndExchange(segment, offset, expected, newValue);
    }

    public int getAndSet(int value) {
        return (int) INT.getAndSet(segment, offset, value);
    }

    public int getAndAdd(int delta) {
        return (int) INT.getAndAdd(segment, offset, delta);
    }

    public int addAndGet(int delta) {
        return (int) INT.getAndAdd(segment, offset, delta) + delta;
    }

    public int incrementAndGet() {
        return addAndGet(1);
    }

    public int decrementAndGet() {
        return addAndGet(-1);
    }

    public int getAndIncrement() {
        return getAndAdd(1);
    }

    /** Applies {@code update} atomically (retrying on contention, so it may run more than once). */
    public int updateAndGet(IntUnaryOperator update) {
        int current = get();
        for (;;) {
            int next = update.applyAsInt(current);
            int witness = compareAndExchange(current, next);
            if (witness == current) {
                return next;
            }
            current = witness;
        }
    }

    /** Like {@link #updateAndGet} but returns the previous value. */
    public int getAndUpdate(IntUnaryOperator update) {
        int current = get();
        for (;;) {
            int witness = compareAndExchange(current, update.applyAsInt(current));
            if (witness == current) {
                return current;
            }
            current = witness;
        }
    }

    public int accumulateAndGet(int x, IntBinaryOperator accumulator) {
        return updateAndGet(current -> accumulator.applyAsInt(current, x));
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
        return Integer.toString(get());
    }
}
