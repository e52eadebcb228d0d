package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The harness's working directory: a fresh {@code ringfork-peers-*} directory on /dev/shm (or the
 * temporary directory), marked with the harness's pid so that a later harness can remove it if this one
 * is killed before it cleans up.
 */
final class ScratchDir {

    private static final String PREFIX = "ringfork-peers-";

    private ScratchDir() {
    }

    /** Removes what killed harnesses left behind, then creates this harness's directory. */
    static Path create() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        sweepStale(parent);
        Path root = Files.createTempDirectory(parent, PREFIX);
        Files.writeString(root.resolve("harness.pid"), Long.toString(ProcessHandle.current().pid()));
        return root;
    }

    /** Deletes the directories of earlier harnesses that were killed (their pid is gone), e.g. by SIGKILL. */
    private static void sweepStale(Path parent) throws IOException {
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).toList()) {
                Path pidFile = dir.resolve("harness.pid");
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (IOException | NumberFormatException e) {
                    continue; // not ours, or still starting: leave it
                }
                System.out.println("removing " + dir + " left by a killed harness");
                delete(dir);
            }
        }
    }

    /** Deletes {@code dir} and everything in it; reports, and otherwise ignores, what it cannot delete. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}
