package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The shared-memory form of a {@link SharedIntArray}, {@link SharedLongArray} or {@link SharedDoubleArray}:
 * a header line saying how long the array is, then the elements, contiguous.
 *
 * <pre>
 *   0 +-----------------------------------------------+
 *     | length (8): number of elements                |
 *   8 +-----------------------+-----------------------+
 *     | element bytes (4)     | unused                |
 *  16 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+  ELEMENTS_OFFSET
 *     | element 0 | element 1 | ... | element n-1     |
 *     +-----------------------------------------------+
 * </pre>
 *
 * <p>The header is written once, before the slot is published (the region's release store publishes
 * it), and never changes, so it is read with plain loads. Elements share cache lines: neighbours written
 * by different processes at a high rate contend, as in any array; put such counters
 * {@code 128 / elementBytes} indexes apart.
 */
public final class ArrayLayout {

    public static final long LENGTH_OFFSET = 0;
    public static final long ELEMENT_BYTES_OFFSET = LENGTH_OFFSET + Long.BYTES;
    /** Elements start on the line after the header. */
    public static final long ELEMENTS_OFFSET = 128;

    private ArrayLayout() {
    }

    /** Bytes an array of {@code length} elements of {@code elementBytes} each takes. */
    public static long bytes(int length, int elementBytes) {
        if (length < 0) {
            throw new IllegalArgumentException("array length must not be negative, was " + length);
        }
        return ELEMENTS_OFFSET + (long) length * elementBytes;
    }

    /** Writes the header of a new array into its zeroed memory, before the slot is published. */
    public static void initialise(MemorySegment array, int length, int elementBytes) {
        array.set(ValueLayout.JAVA_LONG, LENGTH_OFFSET, length);
        array.set(ValueLayout.JAVA_INT, ELEMENT_BYTES_OFFSET, elementBytes);
    }

    /**
     * The elements of the array at {@code segment[base]}, after checking that its header says
     * {@code length} elements of {@code elementBytes} each (aligned to them) and that they fit.
     *
     * @throws IllegalStateException naming {@code name}, both lengths and the fix if they differ
     */
    static MemorySegment elements(MemorySegment segment, long base, int length, int elementBytes, String name) {
        Objects.checkFromIndexSize(base, ELEMENTS_OFFSET, segment.byteSize());
        if (((segment.address() + base) & (Long.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("a shared array must be 8-byte aligned, offset " + base + " is not");
        }
        long stored;
        int storedBytes;
        try {
            stored = segment.get(ValueLayout.JAVA_LONG, base + LENGTH_OFFSET);
            storedBytes = segment.get(ValueLayout.JAVA_INT, base + ELEMENT_BYTES_OFFSET);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
        if (storedBytes != elementBytes) {
            throw new IllegalStateException("shared array '" + name + "' has " + storedBytes + "-byte elements, not "
                    + elementBytes + ": open it with the accessor of its element type, or use another name");
        }
        if (stored != length) {
            throw new IllegalStateException("shared array '" + name + "' has " + stored + " elements, " + length
                    + " were asked for: use the same length, or another name");
        }
        Objects.checkFromIndexSize(base + ELEMENTS_OFFSET, (long) length * elementBytes, segment.byteSize());
        return segment.asSlice(base + ELEMENTS_OFFSET, (long) length * elementBytes);
    }
}
