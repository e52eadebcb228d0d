package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionException;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The regions of a directory as {@code ringfork stat} lists them, sorted by name. Which files live
 * processes map is read from {@code /proc} before any region is opened, so this process's own short
 * mapping never counts. Hidden files (a creator's half-made regions) are left out.
 */
record StatListing(Path directory, boolean exists, List<Row> rows) {

    /**
     * One region file. {@code mapped} is null where mappings cannot be seen; {@code problem} is the
     * core's message for a file that cannot be opened (then only {@code name} is meaningful).
     */
    record Row(String name, long size, long creatorPid, boolean creatorAlive, int slots, Boolean mapped, String problem) {
    }

    static StatListing read(Path directory) {
        if (!Files.isDirectory(directory)) {
            return new StatListing(directory, false, List.of());
        }
        RegionOptions options = RegionOptions.defaults().withDirectory(directory).withOpenTimeout(Duration.ZERO);
        Optional<Set<String>> mapped = SharedRegion.mappedRegionNames(options);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                if (!file.getFileName().toString().startsWith(".") && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        files.sort(null);
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Boolean isMapped = mapped.map(names -> names.contains(name)).orElse(null);
            rows.add(row(name, options, isMapped));
        }
        return new StatListing(directory, true, List.copyOf(rows));
    }

    private static Row row(String name, RegionOptions options, Boolean mapped) {
        try (SharedRegion region = SharedRegion.open(name, options)) {
            return new Row(name, region.size(), region.creatorPid(), region.isCreatorAlive(), region.slots().size(),
                    mapped, null);
        } catch (RegionException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            return new Row(name, 0, 0, false, 0, mapped, e.getMessage());
        }
    }
}
