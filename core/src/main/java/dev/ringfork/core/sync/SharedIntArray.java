package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A fixed-length array of {@code int}s in shared memory (the {@code multiprocessing.Array('i', n)} of
 * Ringfork), laid out as {@link ArrayLayout} says. Get one by name with {@code region.intArray("totals", 16)};
 * attaching with another length throws {@link IllegalStateException}.
 *
 * <p>{@code get}/{@code set} are volatile, {@code getPlain}/{@code setPlain} plain; {@code getAndAdd} and
 * {@code compareAndSet} are atomic across processes. Bulk copies are plain element by element: order them
 * with a lock or a volatile flag. {@link #asSegment()} gives the elements for zero-copy use. An index
 * outside {@code [0, length)} throws {@link IndexOutOfBoundsException}; a truncated region file,
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedIntArray {

    private static final ValueLayout.OfInt ELEMENT = ValueLayout.JAVA_INT;
    private static final VarHandle AT = ELEMENT.arrayElementVarHandle();

    private final MemorySegment elements;
    private final int length;

    private SharedIntArray(MemorySegment elements, int length) {
        this.elements = elements;
        this.length = length;
    }

    /**
     * The array at {@code segment[offset]} (8-byte aligned, {@link ArrayLayout#bytes} long), which must
     * hold {@code length} ints; {@code name} appears in messages.
     */
    public static SharedIntArray at(MemorySegment segment, long offset, int length, String name) {
        return new SharedIntArray(ArrayLayout.elements(segment, offset, length, Integer.BYTES, name), length);
    }

    public int length() {
        return length;
    }

    /** Element {@code index}, volatile: sees what the writer wrote before its volatile set or atomic update. */
    public int get(int index) {
        try {
            return (int) AT.getVolatile(elements, 0L, (long) Objects.checkIndex(index, length));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Sets element {@code index}, volatile: publishes what this thread wrote before. */
    public void set(int index, int value) {
        try {
            AT.setVolatile(elements, 0L, (long) Objects.checkIndex(index, length), value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    public int getPlain(int index) {
        try {
            return (int) AT.get(elements, 0L, (long) Objects.checkIndex(index, length));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    public void setPlain(int index, int value) {
        try {
            AT.set(elements, 0L, (long) Objects.checkIndex(index, length), value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Adds {@code delta} to element {@code index} atomically (volatile); returns the value before. */
    public int getAndAdd(int index, int delta) {
        try {
            return (int) AT.getAndAdd(elements, 0L, (long) Objects.checkIndex(index, length), delta);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected} (volatile CAS). */
    public boolean compareAndSet(int index, int expected, int value) {
        try {
            return AT.compareAndSet(elements, 0L, (long) Objects.checkIndex(index, length), expected, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Copies {@code count} elements from index {@code from} into {@code target[targetFrom...]} (plain). */
    public void copyTo(int from, int[] target, int targetFrom, int count) {
        Objects.checkFromIndexSize(from, count, length);
        try {
            MemorySegment.copy(elements, ELEMENT, (long) from * Integer.BYTES, target, targetFrom, count);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** Copies {@code count} elements of {@code source} from {@code sourceFrom} to index {@code to} on (plain). */
    public void copyFrom(int[] source, int sourceFrom, int to, int count) {
        Objects.checkFromIndexSize(to, count, length);
        try {
            MemorySegment.copy(source, sourceFrom, elements, ELEMENT, (long) to * Integer.BYTES, count);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, elements);
        }
    }

    /** A copy of every element (plain). */
    public int[] toArray() {
        int[] copy = new int[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    /** The elements themselves, {@code length * 4} bytes: writes through it are shared. */
    public MemorySegment asSegment() {
        return elements;
    }

    @Override
    public String toString() {
        return "SharedIntArray[length=" + length + "]";
    }
}
