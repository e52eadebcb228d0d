package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} in shared memory that several processes read and update atomically (the
 * {@code multiprocessing.Value('d')} of Ringfork). Get one by name with {@code region.sharedDouble("x")}.
 * Kept as its raw bits: {@link #compareAndSet} compares bits (see {@link DoubleCells}); every access is
 * volatile. If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedDouble {

    private final MemorySegment segment;
    private final long offset;

    private SharedDouble(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /** The double at {@code segment[offset]}, which must be 8-byte aligned and inside the segment. */
    public static SharedDouble at(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, Double.BYTES, segment.byteSize());
        if (((segment.address() + offset) & 7) != 0) {
            throw new IllegalArgumentException("a SharedDouble must be 8-byte aligned, offset " + offset + " is not");
        }
        return new SharedDouble(segment, offset);
    }

    public double get() {
        return DoubleCells.get(segment, offset);
    }

    public void set(double value) {
        DoubleCells.set(segment, offset, value);
    }

    /** Adds {@code delta} atomically and returns the value before. */
    public double getAndAdd(double delta) {
        return DoubleCells.getAndAdd(segment, offset, delta);
    }

    /** Adds {@code delta} atomically and returns the value after. */
    public double addAndGet(double delta) {
        return DoubleCells.getAndAdd(segment, offset, delta) + delta;
    }

    /** Sets {@code value} if the current value has the raw bits of {@code expected}. */
    public boolean compareAndSet(double expected, double value) {
        return DoubleCells.compareAndSet(segment, offset, expected, value);
    }

    /** Applies {@code function} atomically (it may run more than once, so keep it free of side effects). */
    public double updateAndGet(DoubleUnaryOperator function) {
        return DoubleCells.updateAndGet(segment, offset, function);
    }

    @Override
    public String toString() {
        return Double.toString(get());
    }
}
