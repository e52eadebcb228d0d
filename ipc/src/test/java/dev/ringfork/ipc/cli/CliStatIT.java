package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cli.RingforkScript.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringfork stat} and {@code clean} through the real script, on a queue a script filled. */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliStatIT extends ScriptTestBase {

    private static final Pattern BACKLOG = Pattern.compile("backlog (\\d+) B / (\\d+) messages");

    @Test
    void statShowsTheBacklogOfRecordsPutAndNotTaken() {
        byte[] input = "x\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Result put = ringfork.start("queue", "put", "--keep-open", "jobs").input(input).await();
        assertEquals(0, put.exitCode(), put.describe());

        Result stat = ringfork.run("stat", "jobs");
        assertEquals(0, stat.exitCode(), stat.describe());
        String ringLine = stat.out().lines().filter(l -> l.startsWith("ring ")).findFirst()
                .orElseThrow(() -> new AssertionError("no ring line in:\n" + stat.out()));
        Matcher m = BACKLOG.matcher(ringLine);
        assertTrue(m.find(), ringLine);
        assertEquals(1000, Long.parseLong(m.group(2)), ringLine);
        long bytes = Long.parseLong(m.group(1));
        assertTrue(bytes >= 1000 * 16 && bytes % 8 == 0, "1000 records of at least 16 bytes each: " + ringLine);

        Result take = ringfork.run("queue", "take", "--count", "400", "jobs");
        assertEquals(0, take.exitCode(), take.describe());
        Result after = ringfork.run("stat", "jobs");
        Matcher left = BACKLOG.matcher(after.out());
        assertTrue(left.find(), after.out());
        assertEquals(600, Long.parseLong(left.group(2)), after.out());

        Result list = ringfork.run("stat");
        assertEquals(0, list.exitCode(), list.describe());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("jobs ")), list.out());
        Result clean = ringfork.run("clean", "--dry-run");
        assertEquals(0, clean.exitCode(), clean.describe());
    }
}
