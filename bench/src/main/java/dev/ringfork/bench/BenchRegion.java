package dev.ringfork.bench;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A region in a fresh private temporary directory (under /dev/shm when it is there, as in production),
 * so benchmarks never touch the user's real region directory. {@link #close()} unmaps, unlinks and
 * deletes the directory.
 */
final class BenchRegion implements AutoCloseable {

    static final String NAME = "bench";

    private final Path directory;
    private final RegionOptions options;
    private final SharedRegion region;

    private BenchRegion(Path directory) {
        this.directory = directory;
        this.options = RegionOptions.defaults().withDirectory(directory);
        this.region = SharedRegion.create(NAME, options);
    }

    static BenchRegion create() {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            // createTempDirectory makes it mode 0700, as regions require.
            return new BenchRegion(Files.createTempDirectory(parent, "ringfork-bench-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory in " + parent, e);
        }
    }

    SharedRegion region() {
        return region;
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        region.close();
        SharedRegion.unlink(NAME, options);
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
