package dev.ringfork.core.memory;

import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.sync.SharedLock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.ringfork.core.memory.RegionLayout.INT;
import static dev.ringfork.core.memory.RegionLayout.LINE;
import static dev.ringfork.core.memory.RegionLayout.LONG;

/**
 * The named slots of one region: lock-free lookup, creation under the region's allocation lock.
 *
 * <p>Creation writes the data (zeroed, then initialised), then the directory entry, then the next-free
 * offset, and last raises "slots used" with a release store; lookups load "slots used" with acquire and
 * read only the entries below it. A creator that dies anywhere in between leaves at worst some unused
 * data bytes: its entry was never counted and the next creator overwrites it. So the allocation lock
 * needs no repair after an owner death.
 */
final class SlotTable {

    private final MemorySegment region;
    private final String regionName;
    private final Path file;
    private final SharedLock allocationLock;
    private final int capacity;
    private final long dataOffset;

    SlotTable(MemorySegment region, String regionName, Path file) {
        this.region = region;
        this.regionName = regionName;
        this.file = file;
        this.capacity = (int) INT.get(region, RegionLayout.SLOT_CAPACITY_OFFSET);
        this.dataOffset = (long) LONG.get(region, RegionLayout.DATA_OFFSET_OFFSET);
        this.allocationLock = SharedLock.at(region, RegionLayout.ALLOCATION_LOCK_OFFSET,
                "slot allocation of region " + regionName);
    }

    /**
     * The data offset of the named slot, creating it if absent: {@code length} bytes aligned to
     * {@code alignment} (a power of two, at least one line), zeroed, then given to {@code initialiser}
     * before any other process can see the slot.
     */
    long attachOrCreate(String name, SlotKind kind, long length, long alignment, Consumer<MemorySegment> initialiser) {
        byte[] encoded = encode(name);
        try {
            return attachOrCreate(name, encoded, kind, length, alignment, initialiser);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, region); // the file was truncated under us
        }
    }

    private long attachOrCreate(String name, byte[] encoded, SlotKind kind, long length, long alignment,
                                Consumer<MemorySegment> initialiser) {
        SlotInfo slot = find(encoded);
        if (slot == null) {
            lockAllocation();
            try {
                slot = find(encoded);
                if (slot == null) {
                    return create(name, encoded, kind, length, alignment, initialiser);
                }
            } finally {
                allocationLock.unlock();
            }
        }
        if (slot.kind() != kind) {
            throw new IllegalStateException("slot '" + name + "' of region " + regionName + " holds a " + slot.kind()
                    + ", not a " + kind + ": use another name, or the accessor for " + slot.kind());
        }
        if (slot.length() < length) {
            throw new IllegalStateException("slot '" + name + "' of region " + regionName + " has " + slot.length()
                    + " bytes, " + length + " were asked for: use another name or the same length");
        }
        return slot.offset();
    }

    /** The published slot named {@code name}, or null if there is none. */
    SlotInfo existing(String name) {
        byte[] encoded = encode(name);
        try {
            return find(encoded);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, region); // the file was truncated under us
        }
    }

    /** The published slots, in creation order. */
    List<SlotInfo> list() {
        try {
            int used = used();
            List<SlotInfo> slots = new ArrayList<>(used);
            for (int i = 0; i < used; i++) {
                slots.add(entry(i));
            }
            return slots;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, region); // the file was truncated under us
        }
    }

    private SlotInfo find(byte[] encoded) {
        int used = used();
        MemorySegment wanted = MemorySegment.ofArray(encoded);
        for (int i = 0; i < used; i++) {
            long entry = RegionLayout.DIRECTORY_OFFSET + (long) i * SlotLayout.LENGTH;
            int nameLength = (int) INT.get(region, entry + SlotLayout.NAME_LENGTH_OFFSET);
            if (nameLength == encoded.length && MemorySegment.mismatch(region, entry + SlotLayout.NAME_OFFSET,
                    entry + SlotLayout.NAME_OFFSET + nameLength, wanted, 0, nameLength) == -1) {
                return entry(i);
            }
        }
        return null;
    }

    private int used() {
        // Acquire pairs with create's release store: entries and data below "used" are complete.
        int used = (int) INT.getAcquire(region, RegionLayout.SLOTS_USED_OFFSET);
        if (used < 0 || used > capacity) {
            throw corrupt("counts " + used + " slots but has room for " + capacity);
        }
        return used;
    }

    private SlotInfo entry(int index) {
        long entry = RegionLayout.DIRECTORY_OFFSET + (long) index * SlotLayout.LENGTH;
        int nameLength = (int) INT.get(region, entry + SlotLayout.NAME_LENGTH_OFFSET);
        SlotKind kind = SlotKind.fromCode((int) INT.get(region, entry + SlotLayout.KIND_OFFSET));
        long offset = (long) LONG.get(region, entry + SlotLayout.DATA_OFFSET_OFFSET);
        long length = (long) LONG.get(region, entry + SlotLayout.DATA_LENGTH_OFFSET);
        if (kind == null || nameLength < 1 || nameLength > SlotLayout.MAX_NAME_BYTES || offset < dataOffset
                || length < 0 || offset > region.byteSize() - length || offset % LINE != 0) {
            throw corrupt("has a damaged directory entry at index " + index);
        }
        byte[] bytes = region.asSlice(entry + SlotLayout.NAME_OFFSET, nameLength).toArray(ValueLayout.JAVA_BYTE);
        String name = new String(bytes, StandardCharsets.UTF_8);
        try {
            if (!java.util.Arrays.equals(encode(name), bytes)) {
                throw new IllegalArgumentException("it is not UTF-8");
            }
        } catch (IllegalArgumentException e) {
            throw corrupt("has a damaged directory entry at index " + index + " (a name no slot can have: " + e.getMessage() + ")");
        }
        return new SlotInfo(name, kind, offset, length);
    }

    private long create(String name, byte[] encoded, SlotKind kind, long length, long alignment,
                        Consumer<MemorySegment> initialiser) {
        // Under the allocation lock: plain reads see the last creator's writes (the lock orders them).
        int used = (int) INT.get(region, RegionLayout.SLOTS_USED_OFFSET);
        if (used >= capacity) {
            throw new RegionFullException("region " + regionName + " has no free slot for '" + name + "' (all "
                    + capacity + " used): create it with RegionOptions.withSlotCapacity(larger)");
        }
        long next = (long) LONG.get(region, RegionLayout.NEXT_FREE_OFFSET);
        long offset = align(next, alignment);
        long rounded = align(length, LINE);
        if (offset < dataOffset || offset > region.byteSize() - rounded) {
            throw RegionFullException.noRoom(regionName, name, rounded, alignment, region.byteSize(),
                    Math.max(0, region.byteSize() - next), Math.max(offset, dataOffset) + rounded);
        }
        MemorySegment data = region.asSlice(offset, rounded);
        data.fill((byte) 0);
        initialiser.accept(data);
        long entry = RegionLayout.DIRECTORY_OFFSET + (long) used * SlotLayout.LENGTH;
        INT.set(region, entry + SlotLayout.KIND_OFFSET, kind.code());
        INT.set(region, entry + SlotLayout.NAME_LENGTH_OFFSET, encoded.length);
        LONG.set(region, entry + SlotLayout.DATA_OFFSET_OFFSET, offset);
        LONG.set(region, entry + SlotLayout.DATA_LENGTH_OFFSET, length);
        MemorySegment.copy(MemorySegment.ofArray(encoded), 0, region, entry + SlotLayout.NAME_OFFSET, encoded.length);
        LONG.set(region, RegionLayout.NEXT_FREE_OFFSET, offset + rounded);
        // Release: publishes the entry and the initialised data; pairs with the getAcquire in used().
        INT.setRelease(region, RegionLayout.SLOTS_USED_OFFSET, used + 1);
        return offset;
    }

    private void lockAllocation() {
        try {
            allocationLock.lock();
        } catch (OwnerDiedException e) {
            // A creator died mid-allocation: nothing to repair (see the class comment). We hold the lock.
        }
    }

    private RegionFormatException corrupt(String detail) {
        return new RegionFormatException(file, RegionFormatException.Problem.CORRUPT, detail);
    }

    static byte[] encode(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("slot name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("slot name must not contain control characters (index " + i + ")");
            }
        }
        byte[] encoded = name.getBytes(StandardCharsets.UTF_8);
        if (encoded.length > SlotLayout.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("slot name is " + encoded.length + " bytes in UTF-8, at most "
                    + SlotLayout.MAX_NAME_BYTES + " fit: shorten it");
        }
        return encoded;
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
