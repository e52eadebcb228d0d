package dev.ringfork.ipc.pool;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.internal.FreshRegions;
import dev.ringfork.ipc.internal.SegmentMappings;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Bulk data for pool tasks without serializing it: a block of shared memory that the parent fills, and
 * small serializable {@link Ref}s to parts of it that tasks carry. In a worker, {@link Ref#readOnly()}
 * maps the same memory (once per process) and gives a read-only view; {@link Ref#writable()} lets a task
 * write its results in place. A pool worker unmaps a segment once the jobs whose tasks used it have ended
 * (a {@code map} read to its end or closed, a {@code submit}ted task answered), so keep no view of it
 * beyond the task: one used later throws {@link IllegalStateException}.
 * <pre>{@code
 * try (SharedSegment input = SharedSegment.allocate(n * 8L); SharedSegment output = SharedSegment.allocate(workers * 8L)) {
 *     fill(input.segment());
 *     List<Long> sums = pool.map(part -> sum(part.readOnly()), input.split(workers));
 * }
 * }</pre>
 * Closing the segment in the parent removes its file; workers that mapped it keep their mapping until
 * their jobs end.
 */
public final class SharedSegment implements AutoCloseable {

    private static final String SLOT = "data";

    private final SharedRegion region;
    private final MemorySegment segment;
    private final Path directory;

    private SharedSegment(SharedRegion region, MemorySegment segment, Path directory) {
        this.region = region;
        this.segment = segment;
        this.directory = directory;
    }

    /** A zeroed block of {@code bytes} bytes in the per-user region directory. */
    public static SharedSegment allocate(long bytes) {
        return allocate(bytes, RegionOptions.defaultDirectory());
    }

    /** A zeroed block of {@code bytes} bytes in {@code directory}. */
    public static SharedSegment allocate(long bytes, Path directory) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a shared segment needs at least 1 byte, not " + bytes);
        }
        RegionOptions options = RegionOptions.defaults().withDirectory(directory).withSize(bytes + (128L << 10));
        SharedRegion region = FreshRegions.createUnique("segment", options);
        return new SharedSegment(region, region.bytes(SLOT, bytes, 64), directory);
    }

    /** The whole block, writable. */
    public MemorySegment segment() {
        return segment;
    }

    public long byteSize() {
        return segment.byteSize();
    }

    /** A reference to the whole block. */
    public Ref ref() {
        return slice(0, segment.byteSize());
    }

    /** A reference to {@code length} bytes at {@code offset}. */
    public Ref slice(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        return new Ref(directory.toString(), region.name(), offset, length);
    }

    /** The block cut into {@code parts} nearly equal references (the last takes the remainder), 8-byte aligned. */
    public java.util.List<Ref> split(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be positive, was " + parts);
        }
        long step = (segment.byteSize() / parts) & ~7L;
        java.util.List<Ref> refs = new java.util.ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            long from = i * step;
            refs.add(slice(from, i == parts - 1 ? segment.byteSize() - from : step));
        }
        return refs;
    }

    /** Unmaps the block here (and its refs' mapping in this process) and removes its file; workers that mapped it keep their mapping. */
    @Override
    public void close() {
        SegmentMappings.forget(directory.toString(), region.name());
        region.close();
        region.unlink();
    }

    /**
     * A serializable reference to part of a {@link SharedSegment}, for tasks to carry.
     *
     * @param directory the region directory
     * @param region    the region's name
     * @param offset    where the part starts in the block
     * @param length    its length in bytes
     */
    public record Ref(String directory, String region, long offset, long length) implements Serializable {

        /** The part, read-only, mapped into this process on first use. */
        public MemorySegment readOnly() {
            return writable().asReadOnly();
        }

        /** The part, writable, mapped into this process on first use. */
        public MemorySegment writable() {
            SharedRegion mapped = SegmentMappings.map(directory, region);
            MemorySegment block = mapped.existingBytes(SLOT).orElseThrow(() -> new IllegalStateException(
                    "region " + region + " has no shared segment: was it made with SharedSegment.allocate?"));
            return block.asSlice(offset, length);
        }
    }
}
