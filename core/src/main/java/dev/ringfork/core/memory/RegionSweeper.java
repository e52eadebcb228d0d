package dev.ringfork.core.memory;

import dev.ringfork.core.internal.ProcessIdentity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds region files that nobody can be using (their creator is dead and no live process maps them)
 * and deletes them. Headers are read with plain file reads, never mapped. Files that are not Ringfork
 * regions are left alone. Where {@code /proc} is missing nobody's mappings can be seen, so nothing
 * is deleted.
 */
final class RegionSweeper {

    private static final System.Logger LOG = System.getLogger("dev.ringfork.core.region");

    private RegionSweeper() {
    }

    static List<Path> sweep(Path directory, boolean dryRun) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Set<String> mapped = mappedFiles();
        if (mapped == null) {
            LOG.log(System.Logger.Level.WARNING, "ringfork: cannot see process mappings (no /proc): sweeping nothing");
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && !mapped.contains(file.toAbsolutePath().toString()) && abandoned(file)) {
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

    /** Absolute paths of every file some readable process maps, or null without /proc. */
    private static Set<String> mappedFiles() {
        Path proc = Path.of("/proc");
        if (!Files.isReadable(proc.resolve("self/maps"))) {
            return null;
        }
        Set<String> paths = new HashSet<>();
        try (Stream<Path> processes = Files.list(proc)) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> readMaps(p.resolve("maps"), paths));
        } catch (IOException e) {
            return null;
        }
        return paths;
    }

    private static void readMaps(Path maps, Set<String> paths) {
        try (Stream<String> lines = Files.lines(maps)) {
            lines.forEach(line -> {
                int slash = line.indexOf('/');
                if (slash > 0) {
                    paths.add(line.substring(slash));
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // the process exited or is not ours to read: it cannot map our 0600 files anyway
        }
    }
}
