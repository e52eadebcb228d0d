package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

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
 *
 * <p>If the region file is truncated under the mapping, an access past the new end throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException} (every access passes the JVM's
 * {@link InternalError} through {@link MappedFiles#fault}) instead of crashing the JVM.
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
        try {
            return (long) LONG.getVolatile(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void set(long value) {
        try {
            LONG.setVolatile(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public long getPlain() {
        try {
            return (long) LONG.get(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void setPlain(long value) {
        try {
            LONG.set(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public long getOpaque() {
        try {
            return (long) LONG.getOpaque(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void setOpaque(long value) {
        try {
            LONG.setOpaque(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public long getAcquire() {
        try {
            return (long) LONG.getAcquire(segment, offset);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public void setRelease(long value) {
        try {
            LONG.setRelease(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public boolean compareAndSet(long expected, long newValue) {
        try {
            MappedFiles.touch(segment, offset); // interpreted, a SIGBUS in the CAS below would kill the JVM
            return LONG.compareAndSet(segment, offset, expected, newValue);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Returns the witness value: equal to {@code expected} exactly when the exchange happened. */
    public long compareAndExchange(long expected, long newValue) {
        try {
            MappedFiles.touch(segment, offset); // interpreted, a SIGBUS in the CAS below would kill the JVM
            return (long) LONG.compareAndExchange(segment, offset, expected, newValue);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public long getAndSet(long value) {
        try {
            return (long) LONG.getAndSet(segment, offset, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public long getAndAdd(long delta) {
        try {
            return (long) LONG.getAndAdd(segment, offset, delta);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
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
