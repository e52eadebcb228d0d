package dev.ringfork.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether a process maps a given file, from {@code /proc/<pid>/maps} (Linux). Used to tell a live writer
 * of a shared structure from an unrelated process that happens to have a pid written in it.
 */
public final class FileMappings {

    private FileMappings() {
    }

    /** The inode of {@code file}, or -1 if it cannot be read (no such file, no unix attributes). */
    public static long inode(Path file) {
        try {
            return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS) instanceof Long inode ? inode : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * True if process {@code pid} maps a file with this inode (under any name, deleted or not), or if that
     * cannot be known (no {@code /proc}, inode unknown): callers then assume it may. False if its maps
     * can be read and show no such mapping, or cannot be read because the process is not ours (such a
     * process cannot open our 0600 files).
     */
    public static boolean mapsInode(long pid, long inode) {
        if (inode < 0 || !Files.isReadable(Path.of("/proc/self/maps"))) {
            return true;
        }
        String wanted = " " + inode + " ";
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            // "address perms offset dev inode path": the inode is the fifth field, followed by spaces and the path.
            return lines.anyMatch(line -> {
                int slash = line.indexOf('/');
                return slash > 0 && (line.substring(0, slash).trim() + " ").endsWith(wanted);
            });
        } catch (IOException | UncheckedIOException e) {
            return false; // gone, or not ours to read
        }
    }
}
