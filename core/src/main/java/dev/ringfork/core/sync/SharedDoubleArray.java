package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A fixed-length array of {@code double}s in shared memory (the {@code multiprocessing.Array('d', n)} of
 * Ringfork), laid out as {@link ArrayLayout} says. Get one by name with {@code region.doubleArray("prices", 16)};
 * attaching with another length throws {@link IllegalStateException}.
 *
 * <p>{@code get}/{@code set} are volatile, {@code getPlain}/{@code setPlain} plain; {@code getAndAdd},
 * {@code compareAndSet} and {@code updateAndGet} are atomic across processes, as compare-and-set loops on
 * the raw bits ({@link DoubleCells}: bits are compared, so {@code -0.0 != 0.0}). Bulk copies are plain
 * element by element: order them with a lock or a volatile flag. {@link #asSegment()} gives the elements
 * for zero-copy use. An index outside {@code [0, length)} throws {@link IndexOutOfBoundsException}; a
 * truncated region file, {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedDoubleArray {

    private static final ValueLayout.OfDouble ELEMENT = ValueLayout.JAVA_DOUBLE;

    private final MemorySegment elements;
    private final int length;

    private SharedDoubleArray(MemorySegment elements, int length) {
        this.elements = elements;
        this.length = length;
    }

    /**
     * The array at {@code segment[offset]} (8-byte aligned, {@link ArrayLayout#bytes} long), which must
     * hold {@code length} doubles; {@code name} appears in messages.
     */
    public static SharedDoubleArray at(MemorySegment segment, long offset, int length, String name) {
        return new SharedDoubleArray(ArrayLayout.elements(segment, offset, length, Double.BYTES, name), length);
    }

    public int length() {
        return length;
    }

    /** Element {@code index}, volatile. */
    public double get(int index) {
        return DoubleCells.get(elements, offset(index));
    }

    /** Sets element {@code index}, volatile. */
    public void set(int index, double value) {
        DoubleCells.set(elements, offset(index), value);
    }

    public double getPlain(int index) {
        try {
            return elements.get(ELEMENT, offset(index));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    public void setPlain(int index, double value) {
        try {
            elements.set(ELEMENT, offset(index), value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the value before. */
    public double getAndAdd(int index, double delta) {
        return DoubleCells.getAndAdd(elements, offset(index), delta);
    }

    /** Sets element {@code index} to {@code value} if its raw bits are those of {@code expected}. */
    public boolean compareAndSet(int index, double expected, double value) {
        return DoubleCells.compareAndSet(elements, offset(index), expected, value);
    }

    /** Applies {@code function} to element {@code index} atomically (it may run more than once); returns the value after. */
    public double updateAndGet(int index, DoubleUnaryOperator function) {
        return DoubleCells.updateAndGet(elements, offset(index), function);
    }

    /** Copies {@code count} elements from index {@code from} into {@code target[targetFrom...]} (plain). */
    public void copyTo(int from, double[] target, int targetFrom, int count) {
        Objects.checkFromIndexSize(from, count, length);
        try {
            MemorySegment.copy(elements, ELEMENT, (long) from * Double.BYTES, target, targetFrom, count);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Copies {@code count} elements of {@code source} from {@code sourceFrom} to index {@code to} on (plain). */
    public void copyFrom(double[] source, int sourceFrom, int to, int count) {
        Objects.checkFromIndexSize(to, count, length);
        try {
            MemorySegment.copy(source, sourceFrom, elements, ELEMENT, (long) to * Double.BYTES, count);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** A copy of every element (plain). */
    public double[] toArray() {
        double[] copy = new double[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    /** The elements themselves, {@code length * 8} bytes: writes through it are shared. */
    public MemorySegment asSegment() {
        return elements;
    }

    private long offset(int index) {
        return (long) Objects.checkIndex(index, length) * Double.BYTES;
    }

    @Override
    public String toString() {
        return "SharedDoubleArray[length=" + length + "]";
    }
}
