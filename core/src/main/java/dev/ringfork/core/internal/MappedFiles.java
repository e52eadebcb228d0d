package dev.ringfork.core.internal;

import dev.ringfork.core.memory.RegionTruncatedException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What turns a fault on mapped region memory into a {@link RegionTruncatedException}: the one place that
 * knows which file a mapping came from and how to tell a truncated file.
 *
 * <p>When a region file shrinks under a live mapping, touching a page past the new end raises SIGBUS.
 * HotSpot turns that into an {@link InternalError} ("a fault occurred in an unsafe memory access
 * operation"): at once, inside the faulting call, in interpreted code; at its next safepoint poll, which
 * may be after the call returned, in JIT-compiled code (the faulting access is skipped and a load returns
 * garbage meanwhile). A futex call on such a page fails with EFAULT instead. Every catch site passes what
 * it caught to {@link #fault}: a truncation becomes the named exception, anything else is rethrown as it
 * was. One hazard is worse than a bare error: an <em>interpreted</em> compare-and-set (HotSpot's
 * {@code Unsafe_CompareAndSetInt}/{@code Long} native) is not guarded, and SIGBUS there kills the JVM;
 * {@link #touch} before such a compare-and-set turns that into the catchable error.
 *
 * <p>Mappings are found by their memory segment's scope: {@code SharedRegion} registers its mapping when
 * it maps the file and removes it when it unmaps, so any slice of a region's memory (a value, a lock, a
 * ring) leads back to the file.
 */
public final class MappedFiles {

    private record Mapping(Path file, long bytes, Object fileKey) {
    }

    private static final Map<MemorySegment.Scope, Mapping> MAPPINGS = new ConcurrentHashMap<>();

    private MappedFiles() {
    }

    /** Records that {@code mapping} (the whole mapped file, from offset 0) maps {@code file}. */
    public static void register(MemorySegment mapping, Path file) {
        MAPPINGS.put(mapping.scope(), new Mapping(file, mapping.byteSize(), fileKey(file)));
    }

    /** Forgets {@code mapping}; call when unmapping it. */
    public static void unregister(MemorySegment mapping) {
        MAPPINGS.remove(mapping.scope());
    }

    /**
     * The exception to throw for {@code caught}, raised by an access to {@code segment} or a slice of it:
     * a {@link RegionTruncatedException} if the segment maps a region file that is now shorter than the
     * mapping, else {@code caught} itself (rethrown here if it is an {@link Error}). Use as
     * {@code catch (InternalError e) { throw MappedFiles.fault(e, segment); }}.
     */
    public static RuntimeException fault(Throwable caught, MemorySegment segment) {
        Mapping mapping = MAPPINGS.get(segment.scope());
        if (mapping != null) {
            RegionTruncatedException truncated = truncated(mapping, caught, true);
            if (truncated != null) {
                return truncated;
            }
        }
        return rethrow(caught);
    }

    /**
     * Like {@link #fault(Throwable, MemorySegment)} for a caller that knows the file and how many bytes of
     * it it mapped (from offset 0).
     */
    public static RuntimeException fault(Throwable caught, Path file, long mappedBytes) {
        RegionTruncatedException truncated = truncated(new Mapping(file, mappedBytes, null), caught, true);
        return truncated != null ? truncated : rethrow(caught);
    }

    /**
     * A region mapped in this JVM whose file (the very file, by inode) is now shorter than its mapping, as
     * the explanation of {@code caught}; empty if there is none.
     */
    public static Optional<RegionTruncatedException> truncation(Throwable caught) {
        Objects.requireNonNull(caught, "caught");
        for (Mapping mapping : MAPPINGS.values()) {
            RegionTruncatedException truncated = truncated(mapping, caught, false);
            if (truncated != null) {
                return Optional.of(truncated);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a byte at {@code segment[offset]} before a compare-and-set there. Interpreted, a SIGBUS in this
     * read becomes an {@link InternalError} before the unguarded compare-and-set could crash the JVM (a
     * truncation between the two still can); compiled, the compare-and-set is guarded and the unused read
     * costs nothing.
     */
    public static void touch(MemorySegment segment, long offset) {
        segment.get(ValueLayout.JAVA_BYTE, offset);
    }

    /**
     * The truncation of {@code mapping}'s file, or null. {@code faulted}: an access to this very mapping
     * faulted; a file deleted or replaced since then (its inode can no longer be measured) is then taken
     * for truncated too, since a region file has no holes and nothing else makes a file mapping fault.
     */
    private static RegionTruncatedException truncated(Mapping mapping, Throwable caught, boolean faulted) {
        long size;
        try {
            BasicFileAttributes now = Files.readAttributes(mapping.file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            boolean replaced = mapping.fileKey != null && !mapping.fileKey.equals(now.fileKey());
            size = replaced ? -1 : now.size();
        } catch (IOException e) {
            size = -1; // no file at that path now
        }
        if (size < 0 ? faulted : size < mapping.bytes) {
            return new RegionTruncatedException(mapping.file, mapping.bytes, size, caught);
        }
        return null;
    }

    private static RuntimeException rethrow(Throwable caught) {
        if (caught instanceof Error error) {
            throw error;
        }
        return (RuntimeException) caught;
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
