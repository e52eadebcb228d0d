package dev.ringfork.core.memory;

import dev.ringfork.core.internal.MappedFiles;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A region file was made shorter than this process's mapping of it (by {@code truncate}, {@code
 * ftruncate}, a copy or an editor writing over it) and this process touched memory past the new end. The
 * JVM turns the resulting SIGBUS into an {@link InternalError} that names nothing; Ringfork replaces it
 * with this exception, naming the file, both sizes and the fix.
 *
 * <p>Ringfork translates the error wherever the JVM raises it inside a Ringfork call. In JIT-compiled
 * code the JVM raises it a little later, at its next safepoint check, which may be after the call that
 * faulted has returned: the caller then sees the bare {@code InternalError}, and {@link #explain} finds
 * the truncated region for it.
 */
public final class RegionTruncatedException extends RegionException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long mappedBytes;
    private final long fileBytes;

    /** {@code fileBytes} is the file's size now, or -1 if no file (or another file) is at that path now. */
    public RegionTruncatedException(Path file, long mappedBytes, long fileBytes, Throwable cause) {
        super("Region file " + file + (fileBytes >= 0 ? " was truncated to " + fileBytes + " bytes"
                : " was truncated, then deleted or replaced,") + " while this process maps " + mappedBytes
                + " bytes of it, so memory past the new end is gone (SIGBUS). Something shrank the file (truncate,"
                + " ftruncate, a copy or editor writing over it): close the region here, stop whatever truncates it,"
                + " then delete the file (SharedRegion.unlink) and create the region again", cause);
        this.file = file;
        this.mappedBytes = mappedBytes;
        this.fileBytes = fileBytes;
    }

    /**
     * For an {@link InternalError} caught outside Ringfork ("a fault occurred in an unsafe memory access
     * operation"): the truncation of a region this JVM maps that explains it, if there is one.
     */
    public static Optional<RegionTruncatedException> explain(Throwable error) {
        return MappedFiles.truncation(error);
    }

    public Path file() {
        return file;
    }

    /** The size this process mapped. */
    public long mappedBytes() {
        return mappedBytes;
    }

    /** The file's size when the fault was seen, or -1 if no file, or another file, was at its path. */
    public long fileBytes() {
        return fileBytes;
    }
}
