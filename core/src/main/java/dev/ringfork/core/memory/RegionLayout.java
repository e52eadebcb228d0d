package dev.ringfork.core.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The header every region file starts with, and the checks an opener runs on it.
 *
 * <pre>
 *  line 0 (identity, immutable once ready)
 *   0 +-----------------------------------------------+
 *     | magic "RINGFORK" (8, little-endian ASCII)      |
 *   8 +-----------------------+-----------------------+
 *     | layout major (4)      | layout minor (4)      |
 *  16 +-----------------------+-----------------------+
 *     | total length of the file in bytes (8)         |
 *  24 +-----------------------------------------------+
 *     | creator pid (8)                               |
 *  32 +-----------------------------------------------+
 *     | creator start time (8, see ProcessIdentity)   |
 *  40 +-----------------------+-----------------------+
 *     | slot capacity (4)     | reserved (4)          |
 *  48 +-----------------------------------------------+
 *     | data offset (8): first byte of the data area  |
 *  56 +-----------------------+-----------------------+
 *     | ready word (4)        | reserved (4)          |   READY is stored last, with release
 *  64 +-----------------------------------------------+
 *     | reserved to the end of the line               |
 * 128 +-----------------------------------------------+
 *     | allocation lock (LockLayout, own line)        |   serialises slot creation
 * 256 +-----------------------------------------------+
 *     | slots used (4) | pad (4) | next free (8)     |   allocator line, see SlotTable
 * 384 +-----------------------------------------------+
 *     | slot directory: capacity x SlotLayout entries  |
 *     +-----------------------------------------------+  data offset
 *     | data area: every slot starts on a 128-byte line|
 *     +-----------------------------------------------+  total length
 * </pre>
 *
 * <p>Layout versions: a reader accepts any minor version of its own major version and rejects every
 * other major version. 2.0: a {@code SharedLock} state word carries its owner's start tag in bits 22-29
 * ({@code LockLayout}; 1.x readers would take it for part of the pid). The creator writes every field, then the ready word with a release store; an
 * opener loads the ready word with acquire before trusting the rest.
 */
public final class RegionLayout {

    /** "RINGFORK" as ASCII bytes, read as a little-endian long. */
    public static final long MAGIC = 0x4B524F46474E4952L;
    public static final int MAJOR_VERSION = 2;
    public static final int MINOR_VERSION = 0;
    /** Value of the ready word once the creator has finished writing the header. */
    public static final int READY = 0x52454459;

    /** Every contended field owns one line of this many bytes (two x86 cache lines: no adjacent-line prefetch sharing). */
    public static final int LINE = 128;

    public static final long MAGIC_OFFSET = 0;
    public static final long MAJOR_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final long MINOR_OFFSET = MAJOR_OFFSET + Integer.BYTES;
    public static final long TOTAL_LENGTH_OFFSET = MINOR_OFFSET + Integer.BYTES;
    public static final long CREATOR_PID_OFFSET = TOTAL_LENGTH_OFFSET + Long.BYTES;
    public static final long CREATOR_START_OFFSET = CREATOR_PID_OFFSET + Long.BYTES;
    public static final long SLOT_CAPACITY_OFFSET = CREATOR_START_OFFSET + Long.BYTES;
    public static final long DATA_OFFSET_OFFSET = SLOT_CAPACITY_OFFSET + 2 * Integer.BYTES;
    public static final long READY_OFFSET = DATA_OFFSET_OFFSET + Long.BYTES;

    public static final long ALLOCATION_LOCK_OFFSET = LINE;
    public static final long ALLOCATOR_OFFSET = ALLOCATION_LOCK_OFFSET + LINE;
    public static final long SLOTS_USED_OFFSET = ALLOCATOR_OFFSET;
    public static final long NEXT_FREE_OFFSET = ALLOCATOR_OFFSET + Long.BYTES;
    public static final long DIRECTORY_OFFSET = ALLOCATOR_OFFSET + LINE;

    /** A file shorter than this cannot even hold the fixed header. */
    public static final long HEADER_LENGTH = DIRECTORY_OFFSET;

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private RegionLayout() {
    }

    /** Where the data area starts for a directory of this many slots (line aligned). */
    public static long dataOffset(int slotCapacity) {
        return DIRECTORY_OFFSET + (long) slotCapacity * SlotLayout.LENGTH;
    }

    /** Writes the header of a new region; the ready word is stored last, with release. */
    static void initialise(MemorySegment region, int slotCapacity, long creatorPid, long creatorStart) {
        long dataOffset = dataOffset(slotCapacity);
        LONG.set(region, MAGIC_OFFSET, MAGIC);
        INT.set(region, MAJOR_OFFSET, MAJOR_VERSION);
        INT.set(region, MINOR_OFFSET, MINOR_VERSION);
        LONG.set(region, TOTAL_LENGTH_OFFSET, region.byteSize());
        LONG.set(region, CREATOR_PID_OFFSET, creatorPid);
        LONG.set(region, CREATOR_START_OFFSET, creatorStart);
        INT.set(region, SLOT_CAPACITY_OFFSET, slotCapacity);
        LONG.set(region, DATA_OFFSET_OFFSET, dataOffset);
        INT.set(region, SLOTS_USED_OFFSET, 0);
        LONG.set(region, NEXT_FREE_OFFSET, dataOffset);
        // Release: publishes every header field above; pairs with the getAcquire in isReady.
        INT.setRelease(region, READY_OFFSET, READY);
    }

    /** True once the creator has published the header (acquire pairs with initialise's release). */
    static boolean isReady(MemorySegment region) {
        return (int) INT.getAcquire(region, READY_OFFSET) == READY;
    }

    /**
     * Checks a mapped region before anything else reads it. The caller has already checked that the
     * file holds at least {@link #HEADER_LENGTH} bytes and mapped exactly the file's length.
     *
     * @throws RegionFormatException naming the file and what is wrong with it
     */
    public static void verify(MemorySegment region, Path file) {
        long fileLength = region.byteSize();
        if (fileLength < HEADER_LENGTH) {
            throw new RegionFormatException(file, RegionFormatException.Problem.TRUNCATED,
                    "is " + fileLength + " bytes, shorter than the " + HEADER_LENGTH + "-byte region header");
        }
        long magic = (long) LONG.get(region, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new RegionFormatException(file, RegionFormatException.Problem.BAD_MAGIC,
                    "does not start with the Ringfork magic (found 0x" + Long.toHexString(magic) + ")");
        }
        int major = (int) INT.get(region, MAJOR_OFFSET);
        int minor = (int) INT.get(region, MINOR_OFFSET);
        if (major != MAJOR_VERSION) {
            throw new RegionFormatException(file, RegionFormatException.Problem.UNSUPPORTED_VERSION,
                    "has layout version " + major + "." + minor + ", this Ringfork reads only "
                            + MAJOR_VERSION + ".x");
        }
        long declared = (long) LONG.get(region, TOTAL_LENGTH_OFFSET);
        if (declared != fileLength) {
            throw new RegionFormatException(file, RegionFormatException.Problem.TRUNCATED,
                    "is " + fileLength + " bytes but its header says " + declared);
        }
        int capacity = (int) INT.get(region, SLOT_CAPACITY_OFFSET);
        long dataOffset = (long) LONG.get(region, DATA_OFFSET_OFFSET);
        if (capacity < 0 || dataOffset != dataOffset(capacity) || dataOffset > fileLength) {
            throw new RegionFormatException(file, RegionFormatException.Problem.CORRUPT,
                    "has an inconsistent slot directory (capacity " + capacity + ", data offset " + dataOffset + ")");
        }
    }
}
