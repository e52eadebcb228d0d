package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionException;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ringfork clean}: deletes the regions whose creator is dead and that no live process maps, and
 * the half-made files of creators that died while creating ({@link SharedRegion#sweep}). Never deletes a
 * file in use. One line per file, then a summary.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {
            "Removes the regions whose creator process is dead and that no live process maps, and the half-made "
                    + "files of creators that died while creating one. A region in use is never removed.",
            "Exit 0 ok (also when nothing was removed), 1 if the directory cannot be read or process mappings cannot be seen."},
        footer = {"", "Examples:", "  ringfork clean --dry-run", "  ringfork clean --dir /dev/shm/ringfork-ci"})
final class CleanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "The region directory (default: $RINGFORK_DIR, else /dev/shm/ringfork-$USER).")
    Path directory;

    @Option(names = "--dry-run", description = "Print what would be removed; remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Path dir = directory != null ? directory.toAbsolutePath().normalize() : RegionOptions.defaultDirectory();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(dir)) {
            out.println("nothing to remove: " + dir + " does not exist");
            return 0;
        }
        RegionOptions options = RegionOptions.defaults().withDirectory(dir);
        List<Path> removed;
        Map<Path, Long> creators = new HashMap<>();
        try {
            // Creator pids first: once a file is deleted its header is gone.
            List<Path> candidates = SharedRegion.sweepCandidates(options);
            for (Path file : candidates) {
                creators.put(file, creatorPid(file));
            }
            removed = dryRun ? candidates : SharedRegion.sweep(options);
            if (removed.isEmpty() && SharedRegion.mappedRegionNames(options).isEmpty()) {
                err.println("cannot see which processes map regions (no readable /proc/<pid>/maps), so a region in use "
                        + "cannot be told from an abandoned one: removed nothing; delete files in " + dir + " by hand");
                err.flush();
                return 1;
            }
        } catch (RegionException | UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        String verb = dryRun ? "would remove " : "removed ";
        for (Path file : removed) {
            String name = file.getFileName().toString();
            Long pid = creators.get(file);
            String creator = pid == null || pid == 0 ? "?" : pid.toString();
            out.println(verb + name + (name.startsWith(".")
                    ? " (half-made by pid " + creator + ", dead)"
                    : " (creator pid " + creator + ", dead)"));
        }
        long kept = regionCount(dir) - (dryRun ? removed.stream().filter(f -> !f.getFileName().toString().startsWith(".")).count() : 0);
        out.println((dryRun ? "would remove " : "removed ") + removed.size() + ", kept " + kept + " in " + dir
                + (dryRun ? " (dry run: nothing removed)" : ""));
        out.flush();
        return 0;
    }

    /** The creator pid in a region's header, or in a half-made file's name ({@code .<name>.<pid>.<nanos>.tmp}); 0 if unknown. */
    private static long creatorPid(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            String[] parts = name.split("\\.");
            try {
                return parts.length >= 4 ? Long.parseLong(parts[parts.length - 3]) : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        StatHeaderFile header = StatHeaderFile.read(file);
        return header == null ? 0 : header.creatorPid();
    }

    /** Region files (not hidden) in the directory now. */
    private static long regionCount(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
