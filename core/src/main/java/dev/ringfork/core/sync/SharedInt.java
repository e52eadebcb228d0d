package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

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
 *
 * <p>If the region file is truncated under the mapping, an access past the new end throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException} (every access passes the JVM's
 * {@link InternalError} through {@link MappedFiles#fault}) instead of crashing the JVM.
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
        try {
            return (int) INT.getVolatile(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void set(int value) {
        try {
            INT.setVolatile(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public int getPlain() {
        try {
            return (int) INT.get(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void setPlain(int value) {
        try {
            INT.set(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public int getOpaque() {
        try {
            return (int) INT.getOpaque(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void setOpaque(int value) {
        try {
            INT.setOpaque(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public int getAcquire() {
        try {
            return (int) INT.getAcquire(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void setRelease(int value) {
        try {
            INT.setRelease(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public boolean compareAndSet(int expected, int newValue) {
        try {
            MappedFiles.touch(segment, offset); // interpreted, a SIGBUS in the CAS below would kill the JVM
            return INT.compareAndSet(segment, offset, expected, newValue);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Returns the witness value: equal to {@code expected} exactly when the exchange happened. */
    public int compareAndExchange(int expected, int newValue) {
        try {
            MappedFiles.touch(segment, offset); // interpreted, a SIGBUS in the CAS below would kill the JVM
            return (int) INT.compareAndExchange(segment, offset, expected, newValue);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public int getAndSet(int value) {
        try {
            return (int) INT.getAndSet(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public int getAndAdd(int delta) {
        try {
            return (int) INT.getAndAdd(segment, offset, delta);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
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
