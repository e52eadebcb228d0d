package dev.ringfork.core.memory;

import dev.ringfork.core.internal.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates and opens region files and maps them into an arena.
 *
 * <p>Create builds the whole file under a hidden temporary name (zero-filled, so a full
 * {@code /dev/shm} fails here with an exception instead of a SIGBUS later; header written, ready word
 * last) and publishes it with a hard link, which fails if the name is taken. So a file under a region's
 * name is always complete, and two racing creators cannot both win.
 *
 * <p>Open checks ownership and mode, then the file length before mapping, then the header via
 * {@link RegionLayout#verify}; it maps exactly the file's length, so no access can fall past the end.
 */
final class RegionMapper {

    private static final int FILL_CHUNK = 1 << 20;

    private RegionMapper() {
    }

    /** Creates and maps the region; returns null if the name is already taken. */
    static MemorySegment create(Path file, RegionOptions options, Arena arena) {
        ProcessIdentity self = ProcessIdentity.current();
        Path staged = file.resolveSibling("." + file.getFileName() + "." + self.pid() + "." + System.nanoTime() + ".tmp");
        MemorySegment segment;
        try {
            try (FileChannel channel = FileChannel.open(staged, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE), RegionFiles.FILE_MODE)) {
                zeroFill(channel, options.size(), staged);
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, options.size(), arena);
            }
            RegionLayout.initialise(segment, options.slotCapacity(), self.pid(), self.startTime());
            if (!RegionFiles.publish(staged, file)) {
                return null;
            }
            return segment;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException ignored) {
                // best effort: sweep() removes stale staged files of dead creators
            }
            throw new UncheckedIOException("cannot create region file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Maps an existing region after checking its permissions, length and header. */
    static MemorySegment open(Path file, RegionOptions options, Arena arena) {
        if (Files.isSymbolicLink(file)) {
            throw new RegionPermissionException("Region file " + file + " is a symbolic link; regions must be plain files: delete it");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(file);
        }
        RegionFiles.checkFile(file);
        MemorySegment segment;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long length = channel.size();
            // Check the length before mapping: touching a page past the end of the file is a SIGBUS.
            if (length < RegionLayout.HEADER_LENGTH) {
                throw new RegionFormatException(file, RegionFormatException.Problem.TRUNCATED,
                        "is " + length + " bytes, shorter than the " + RegionLayout.HEADER_LENGTH + "-byte region header");
            }
            segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        } catch (NoSuchFileException e) {
            throw notFound(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open region file " + file + ": " + e.getMessage(), e);
        }
        RegionLayout.verify(segment, file);
        awaitReady(segment, file, options);
        return segment;
    }

    private static void awaitReady(MemorySegment segment, Path file, RegionOptions options) {
        long deadline = System.nanoTime() + options.openTimeout().toNanos();
        long pause = 10_000;
        while (!RegionLayout.isReady(segment)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new RegionFormatException(file, RegionFormatException.Problem.NOT_READY,
                        "was not marked ready within " + options.openTimeout().toMillis() + " ms");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 10_000_000);
        }
    }

    private static void zeroFill(FileChannel channel, long size, Path file) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, FILL_CHUNK));
        long position = 0;
        while (position < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
            try {
                position += channel.write(zeros, position);
            } catch (IOException e) {
                throw new IOException("no room for a " + size + "-byte region in " + file.getParent()
                        + " (" + e.getMessage() + "): free space there or pick a smaller size", e);
            }
        }
    }

    private static RegionNotFoundException notFound(Path file) {
        return new RegionNotFoundException("No region " + file.getFileName() + " in " + file.getParent()
                + ": create it first (SharedRegion.create or openOrCreate), or check the directory (RINGFORK_DIR)");
    }
}
