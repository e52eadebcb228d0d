package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.cli.RingforkScript.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringfork run} through the real script: workers on the user's class path, the shared region, exit codes. */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliRunIT extends ScriptTestBase {


    /** The test classes and Ringfork core, as a user's class path. */
    private static String userClassPath() throws URISyntaxException {
        return location(CounterWorker.class) + File.pathSeparator + location(SharedRegion.class);
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void twoWorkersShareTheNamedRegionAndItsCounter() throws Exception {
        Result run = ringfork.run("run", "--workers", "2", "--main", CounterWorker.class.getName(),
                "--class-path", userClassPath(), "--jvm-opt=-Xmx64m", "--region", "tally", "--", "alpha", "beta gamma");
        assertEquals(0, run.exitCode(), run.describe());
        String out = run.out();
        assertTrue(out.contains("[worker-0 ") && out.contains("[worker-1 "), run.describe());
        assertTrue(out.contains("] worker 0 of 2 added 10000 in tally args=alpha,beta gamma"), run.describe());
        assertTrue(out.contains("] worker 1 of 2 added 10000 in tally args=alpha,beta gamma"), run.describe());
        try (SharedRegion region = SharedRegion.open("tally", RegionOptions.defaults().withDirectory(regions))) {
            assertEquals(2 * CounterWorker.INCREMENTS, region.sharedInt("counter").get(), "a region given by name is kept");
        }
    }

    @Test
    void aWorkerThatExitsWith3FailsTheRunNamingIt() throws Exception {
        Result run = ringfork.run("run", "-w", "3", "-m", ExitWorker.class.getName(), "-cp", userClassPath());
        assertEquals(1, run.exitCode(), run.describe());
        Matcher failed = Pattern.compile("ringfork run: worker-1 \\(pid (\\d+)\\) exited with 3").matcher(run.stderr());
        assertTrue(failed.find(), run.describe());
        assertTrue(run.out().contains("[worker-1 " + failed.group(1) + "] region run-"), run.describe());
        assertEquals(1, run.stderr().lines().filter(l -> l.startsWith("ringfork run:")).count(), run.describe());
        try (var files = Files.list(regions)) {
            assertEquals(List.of(), files.toList(), "the region run-<pid> is removed at the end");
        }
    }

    @Test
    void aMainClassThatIsNotOnTheClassPathFailsTheRun() {
        Result run = ringfork.run("run", "--workers", "1", "--main", "com.example.Missing", "--class-path", regions.toString());
        assertEquals(1, run.exitCode(), run.describe());
        assertTrue(run.stderr().contains("could not find or load main class com.example.Missing"), run.describe());
        assertTrue(run.stderr().contains("ringfork run: worker-0 (pid "), run.describe());
    }
}
