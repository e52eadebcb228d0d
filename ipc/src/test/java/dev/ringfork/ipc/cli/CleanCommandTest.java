package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.cli.StatCommandTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static dev.ringfork.ipc.cli.StatCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringfork clean}, run in-process through picocli, with regions made by killed child JVMs. */
@Timeout(120)
class CleanCommandTest {

    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void removesTheRegionOfAKilledChildThatNobodyMapsAndKeepsOurs() {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion ours = SharedRegion.create("ours", options)) {
            long childPid = createInKilledChild("orphan");
            String dir = temp.toAbsolutePath().toString();

            Result listing = run(new StatCommand(), "--dir", dir);
            assertEquals(0, listing.code(), listing.err());
            assertTrue(listing.out().matches("(?s).*\norphan +\\d+ +" + childPid + " +no +0 +no\n.*"), listing.out());

            // While this JVM maps it, the orphan is in use: kept.
            try (SharedRegion mapped = SharedRegion.open("orphan", options)) {
                assertEquals(childPid, mapped.creatorPid());
                Result inUse = run(new CleanCommand(), "--dry-run", "--dir", dir);
                assertEquals(0, inUse.code(), inUse.err());
                assertEquals("would remove 0, kept 2 in " + dir + " (dry run: nothing removed)\n", inUse.out());
            }

            Result dry = run(new CleanCommand(), "--dry-run", "--dir", dir);
            assertEquals(0, dry.code(), dry.err());
            assertEquals("would remove orphan (creator pid " + childPid + ", dead)\n"
                    + "would remove 1, kept 1 in " + dir + " (dry run: nothing removed)\n", dry.out());
            assertTrue(Files.exists(temp.resolve("orphan")), "a dry run removes nothing");

            Result clean = run(new CleanCommand(), "--dir", dir);
            assertEquals(0, clean.code(), clean.err());
            assertEquals("removed orphan (creator pid " + childPid + ", dead)\nremoved 1, kept 1 in " + dir + "\n", clean.out());
            assertFalse(Files.exists(temp.resolve("orphan")));
            assertTrue(Files.exists(ours.file()), "our region stays: its creator runs");

            Result again = run(new CleanCommand(), "--dir", dir);
            assertEquals("removed 0, kept 1 in " + dir + "\n", again.out());
        }
    }

    @Test
    void aMissingDirectoryIsNothingToDoAndHelpExitsZero() {
        Result missing = run(new CleanCommand(), "--dir", temp.resolve("absent").toString());
        assertEquals(0, missing.code(), missing.err());
        assertTrue(missing.out().startsWith("nothing to remove: "), missing.out());
        assertFalse(Files.exists(temp.resolve("absent")));

        Result help = run(new CleanCommand(), "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: clean") && help.out().contains("--dry-run"), help.out());
    }

    /** Starts a child that creates region {@code name} and maps it, then kills it; returns its pid. */
    private long createInKilledChild(String name) {
        try (ChildJvm child = ChildJvm.start(CreateRegion.class, temp.toString(), name)) {
            child.awaitLine("CREATED", STEP);
            child.kill();
            return child.pid();
        }
    }

    /** Child: creates region args[1] in directory args[0], says CREATED, and keeps it mapped until killed. */
    public static final class CreateRegion {
        public static void main(String[] args) throws InterruptedException {
            ChildSupport.dieWithParent(STEP);
            SharedRegion.create(args[1], ChildSupport.options(args[0]));
            System.out.println("CREATED");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
