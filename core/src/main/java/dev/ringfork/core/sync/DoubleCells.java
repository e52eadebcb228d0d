package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.DoubleUnaryOperator;

/**
 * Atomic updates of a {@code double} kept as its raw 64 bits ({@link Double#doubleToRawLongBits}) in
 * shared memory: the one implementation behind {@link SharedDouble} and {@link SharedDoubleArray}.
 * Compare-and-set compares raw bits, like {@code AtomicLong} over the bits: {@code NaN} equals the same
 * {@code NaN}, and {@code 0.0} differs from {@code -0.0}. Every access is volatile; a
 * {@link InternalError} from a truncated file becomes a {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
final class DoubleCells {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private DoubleCells() {
    }

    static double get(MemorySegment segment, long offset) {
        try {
            // Volatile: sees everything the last writer wrote before its volatile store or CAS.
            return Double.longBitsToDouble((long) LONG.getVolatile(segment, offset));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    static void set(MemorySegment segment, long offset, double value) {
        try {
            // Volatile: publishes what this thread wrote before, to volatile readers.
            LONG.setVolatile(segment, offset, Double.doubleToRawLongBits(value));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    static boolean compareAndSet(MemorySegment segment, long offset, double expected, double value) {
        try {
            // Volatile CAS on the raw bits.
            return LONG.compareAndSet(segment, offset, Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(value));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Adds {@code delta} atomically; returns the value before. */
    static double getAndAdd(MemorySegment segment, long offset, double delta) {
        return update(segment, offset, v -> v + delta, false);
    }

    /** Applies {@code function} atomically (it may run more than once under contention); returns the value after. */
    static double updateAndGet(MemorySegment segment, long offset, DoubleUnaryOperator function) {
        return update(segment, offset, function, true);
    }

    /** A CAS loop on the raw bits; each retry follows another process's successful update. */
    private static double update(MemorySegment segment, long offset, DoubleUnaryOperator function, boolean after) {
        try {
            for (;;) {
                long bits = (long) LONG.getVolatile(segment, offset);
                double before = Double.longBitsToDouble(bits);
                double next = function.applyAsDouble(before);
                // Volatile CAS: fails only if another update landed since our read.
                if (LONG.compareAndSet(segment, offset, bits, Double.doubleToRawLongBits(next))) {
                    return after ? next : before;
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }
}
