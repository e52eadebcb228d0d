package dev.ringfork.core.memory;

import dev.ringfork.core.internal.ProcessIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds region files that nobody can be using (their creator is dead and no live process maps them)
 * and deletes them. Headers are read with plain file reads, never mapped. Files that are not Ringfork
 * regions are left alone. Where {@code /proc} is missing nobody's mappings can be seen, so nothing
 * is deleted.
 */
final class RegionSweeper {

    private static final System.Logger LOG = System.getLogger("dev.ringfork.core.region");
    /** What /proc/<pid>/maps appends to the path of a mapped file that was unlinked. */
    private static final String DELETED = " (deleted)";

    private RegionSweeper() {
    }

    static List<Path> sweep(Path directory, boolean dryRun) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Set<String> mapped = mappedNames(directory);
        if (mapped == null) {
            LOG.log(System.Logger.Level.WARNING, "ringfork: cannot see process mappings (no /proc): sweeping nothing");
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && !mapped.contains(file.getFileName().toString()) && abandoned(file)) {
                    if (dryRun || Files.deleteIfExists(file)) {
                        removed.add(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new RegionException("cannot sweep " + directory + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Names of the files in {@code directory} that some live process maps, or null without /proc. A file
     * counts if a mapping names it, or if a mapping of a deleted file of this directory has its inode: a
     * creator maps its region under the staged name, which is unlinked when the region is published.
     */
    static Set<String> mappedNames(Path directory) {
        Set<Mapping> mappings = mappings();
        if (mappings == null) {
            return null;
        }
        Set<Path> directories = new HashSet<>();
        directories.add(directory.toAbsolutePath().normalize());
        try {
            directories.add(directory.toRealPath());
        } catch (IOException e) {
            return new TreeSet<>(); // no directory: nothing in it is mapped
        }
        Set<String> names = new TreeSet<>();
        Set<Long> deletedInodes = new HashSet<>();
        for (Mapping mapping : mappings) {
            boolean deleted = mapping.path().endsWith(DELETED);
            Path file = Path.of(deleted ? mapping.path().substring(0, mapping.path().length() - DELETED.length()) : mapping.path());
            if (file.getParent() != null && directories.contains(file.getParent())) {
                if (!deleted) {
                    names.add(file.getFileName().toString());
                } else if (mapping.inode() != 0) {
                    deletedInodes.add(mapping.inode());
                }
            }
        }
        if (!deletedInodes.isEmpty()) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    if (deletedInodes.contains(inode(file))) {
                        names.add(file.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                // the directory went away: the names found by path are all we know
            }
        }
        return names;
    }

    /** True for a region whose creator is dead, or a staged file of a dead creator. */
    private static boolean abandoned(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            // ".<region>.<pid>.<nanos>.tmp", left behind by a creator that died before publishing
            String[] parts = name.split("\\.");
            if (parts.length < 4 || !name.endsWith(".tmp")) {
                return false;
            }
            try {
                return ProcessIdentity.of(Long.parseLong(parts[parts.length - 3])).isEmpty();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        ByteBuffer header = ByteBuffer.allocate((int) RegionLayout.SLOT_CAPACITY_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // keep reading
            }
        } catch (IOException e) {
            return false;
        }
        if (header.hasRemaining() || header.getLong((int) RegionLayout.MAGIC_OFFSET) != RegionLayout.MAGIC) {
            return false; // not ours: leave it
        }
        long pid = header.getLong((int) RegionLayout.CREATOR_PID_OFFSET);
        long start = header.getLong((int) RegionLayout.CREATOR_START_OFFSET);
        return !new ProcessIdentity(pid, start).isAlive();
    }

    /** A file mapping of some process: the path it shows (ending in DELETED once unlinked) and its inode. */
    private record Mapping(String path, long inode) {
    }

    /** Every file mapping of every process we may read, or null without /proc. */
    private static Set<Mapping> mappings() {
        Path proc = Path.of("/proc");
        if (!Files.isReadable(proc.resolve("self/maps"))) {
            return null;
        }
        Set<Mapping> mappings = new HashSet<>();
        try (Stream<Path> processes = Files.list(proc)) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> readMaps(p.resolve("maps"), mappings));
        } catch (IOException e) {
            return null;
        }
        return mappings;
    }

    /** Lines are "address perms offset dev inode path"; the path is the rest of the line from its first '/'. */
    private static void readMaps(Path maps, Set<Mapping> mappings) {
        try (Stream<String> lines = Files.lines(maps)) {
            lines.forEach(line -> {
                int slash = line.indexOf('/');
                if (slash > 0) {
                    String[] fields = line.substring(0, slash).trim().split("\\s+");
                    long inode = 0;
                    try {
                        inode = fields.length == 5 ? Long.parseLong(fields[4]) : 0;
                    } catch (NumberFormatException e) {
                        // not the format we know: match by path only
                    }
                    mappings.add(new Mapping(line.substring(slash), inode));
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // the process exited or is not ours to read: it cannot map our 0600 files anyway
        }
    }

    /** The file's inode, or -1 if it cannot be read. */
    private static long inode(Path file) {
        try {
            return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS) instanceof Long inode ? inode : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
