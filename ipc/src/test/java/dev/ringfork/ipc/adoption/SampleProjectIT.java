package dev.ringfork.ipc.adoption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's path: {@code scripts/install} on a copy of the sources (as a fresh clone has them) into a local
 * repository that holds no Ringfork artifact, then the sample project docs/examples/sample (its own
 * groupId, depending on dev.ringfork:ringfork-ipc) built with Maven against what was installed, and run as
 * an executable jar. The new local repository is chained to the build's own
 * ({@code -Dmaven.repo.local.tail}), so Maven's plugins come from there and nothing is written to it.
 */
@EnabledIfSystemProperty(named = "ringfork.root", matches = ".+",
        disabledReason = "builds a copy of the sources with Maven: run by failsafe in scripts/test, e.g. scripts/test -pl ipc -am -Dit.test=SampleProjectIT")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SampleProjectIT {

    private static final String VERSION = "0.1.0-SNAPSHOT";

    private final Path root = Path.of(System.getProperty("ringfork.root")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void scriptsInstallThenTheSampleProjectBuildsAndRunsAgainstTheInstalledJars() throws IOException {
        Path clone = work.resolve("clone");
        copySources(root, clone);
        Path repository = Files.createDirectories(work.resolve("repository"));
        List<String> maven = mavenOptions(repository);

        Command install = Command.run(Command.list(clone.resolve("scripts/install").toString(), maven), clone, Map.of(),
                Duration.ofMinutes(10));
        assertEquals(0, install.exitCode(), install.describe());
        for (String artifact : List.of(
                "ringfork-parent/" + VERSION + "/ringfork-parent-" + VERSION + ".pom",
                "ringfork-core/" + VERSION + "/ringfork-core-" + VERSION + ".jar",
                "ringfork-core/" + VERSION + "/ringfork-core-" + VERSION + "-sources.jar",
                "ringfork-core/" + VERSION + "/ringfork-core-" + VERSION + "-javadoc.jar",
                "ringfork-ipc/" + VERSION + "/ringfork-ipc-" + VERSION + ".jar",
                "ringfork-ipc/" + VERSION + "/ringfork-ipc-" + VERSION + "-sources.jar",
                "ringfork-ipc/" + VERSION + "/ringfork-ipc-" + VERSION + "-javadoc.jar")) {
            assertTrue(Files.isRegularFile(repository.resolve("dev/ringfork/" + artifact)), artifact + " was not installed: "
                    + install.describe());
        }
        assertFalse(Files.exists(repository.resolve("dev/ringfork/ringfork-bench")), "benchmarks installed");
        assertFalse(Files.exists(repository.resolve("dev/ringfork/ringfork-jcstress")), "jcstress installed");

        Path sample = clone.resolve("docs/examples/sample");
        Command build = Command.run(Command.list(clone.resolve("mvnw").toString(), "--batch-mode", "--no-transfer-progress",
                "-f", sample.resolve("pom.xml"), maven, "package"), clone, Map.of(), Duration.ofMinutes(5));
        assertEquals(0, build.exitCode(), build.describe());
        try (Stream<Path> lib = Files.list(sample.resolve("target/lib"))) {
            assertEquals(List.of("ringfork-core-" + VERSION + ".jar", "ringfork-ipc-" + VERSION + ".jar"),
                    lib.map(p -> p.getFileName().toString()).sorted().toList(), "the sample's runtime libraries (no picocli)");
        }

        Path regions = Files.createDirectories(work.resolve("regions"));
        Command run = Command.run(Command.list(Command.jdkTool("java"), "-jar", sample.resolve("target/ringfork-sample-1.0.jar")),
                sample, Map.of("RINGFORK_DIR", regions.toString()), Duration.ofMinutes(2));
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(List.of(
                "squares [1, 4, 9, 16]",
                "readings [Reading[sensor=a, value=10], Reading[sensor=b, value=11], Reading[sensor=c, value=12]]",
                "count 3",
                "measured in worker JVMs true"), run.lines(), "no other line, no native-access warning: " + run.describe());
    }

    /** -Dmaven.repo.local: the new repository, chained to the build's own; -o if the build runs offline. */
    private static List<String> mavenOptions(Path repository) {
        List<String> options = new ArrayList<>(List.of("-Dmaven.repo.local=" + repository));
        String cache = System.getProperty("ringfork.local.repo", "");
        if (!cache.isBlank() && !cache.startsWith("${")) {
            options.add("-Dmaven.repo.local.tail=" + cache);
        }
        if (System.getProperty("ringfork.offline", "").equals("offline=true")) { // the plugin parameter is a Boolean: a string around it
            options.add("-o");
        }
        return options;
    }

    /** The repository's files as a clone has them: no build output, no git directory. */
    private static void copySources(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.filter(p -> !skipped(from.relativize(p))).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals(".git") || name.equals(".idea") || name.startsWith("jcstress-results")) {
                return true;
            }
        }
        return relative.startsWith("bench/results");
    }
}
