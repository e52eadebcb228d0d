package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cli.RingforkScript.Result;
import dev.ringfork.ipc.cli.RingforkScript.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringfork queue} through the real script: byte-exact transfer between processes, endings, failures. */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliQueueIT extends ScriptTestBase {


    @Test
    void aHundredThousandLinesArriveByteForByteInOrder() {
        byte[] input = lines(100_000);
        Run take = ringfork.start("queue", "take", "jobs"); // first: it creates the queue and waits
        take.closeInput();
        Result put = ringfork.start("queue", "put", "jobs").input(input).await();
        Result taken = take.await();
        assertEquals(0, put.exitCode(), put.describe());
        assertEquals(0, taken.exitCode(), taken.describe());
        assertArrayEquals(input, taken.stdout(), "the lines taken differ from those put; " + taken.describe());
    }

    @Test
    void rawBinaryRecordsWithNewlinesAndNulsArriveExactly() {
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] record = new byte[i % 10 == 0 ? 0 : random.nextInt(300)];
            random.nextBytes(record);
            if (record.length > 2) {
                record[0] = '\n';
                record[1] = 0;
            }
            framed.writeBytes(new byte[] {(byte) (record.length >>> 24), (byte) (record.length >>> 16),
                    (byte) (record.length >>> 8), (byte) record.length});
            framed.writeBytes(record);
        }
        byte[] input = framed.toByteArray();
        Run take = ringfork.start("queue", "take", "--raw", "blobs");
        take.closeInput();
        Result put = ringfork.start("queue", "put", "--raw", "blobs").input(input).await();
        Result taken = take.await();
        assertEquals(0, put.exitCode(), put.describe());
        assertEquals(0, taken.exitCode(), taken.describe());
        assertArrayEquals(input, taken.stdout(), "the raw records taken differ from those put");
    }

    @Test
    void twoTakersShareTheRecordsEachGoingToExactlyOne() {
        byte[] input = lines(20_000);
        Run first = ringfork.start("queue", "cat", "shared");
        Run second = ringfork.start("queue", "cat", "shared");
        first.closeInput();
        second.closeInput();
        Result put = ringfork.start("queue", "put", "shared").input(input).await();
        Result a = first.await();
        Result b = second.await();
        assertEquals(0, put.exitCode(), put.describe());
        assertEquals(0, a.exitCode(), a.describe());
        assertEquals(0, b.exitCode(), b.describe());
        List<String> all = new ArrayList<>(a.out().lines().toList());
        all.addAll(b.out().lines().toList());
        all.sort(null);
        List<String> expected = new ArrayList<>(new String(input, StandardCharsets.UTF_8).lines().toList());
        expected.sort(null);
        assertEquals(expected, all, "each record goes to exactly one taker");
    }

    @Test
    void takeStopsAfterACountOrAQuietSpellAndLeavesTheRestQueued() {
        Result put = ringfork.start("queue", "put", "--keep-open", "work").input("a\nb\nc\nd\ne\n".getBytes(StandardCharsets.UTF_8)).await();
        assertEquals(0, put.exitCode(), put.describe());
        Result two = ringfork.run("queue", "take", "--count", "2", "work");
        assertEquals(0, two.exitCode(), two.describe());
        assertEquals("a\nb\n", two.out());
        Result rest = ringfork.run("queue", "take", "--timeout", "300ms", "--verbose", "work");
        assertEquals(0, rest.exitCode(), rest.describe());
        assertEquals("c\nd\ne\n", rest.out());
        assertTrue(rest.stderr().contains("took 3 records (no record for 300 ms)"), rest.describe());
    }

    @Test
    void aRecordTooLargeForTheRingFailsNamingItsSizeAndCapacity() {
        byte[] line = new byte[2000];
        Arrays.fill(line, (byte) 'x');
        Result put = ringfork.start("queue", "put", "--capacity", "1k", "small").input(line).await();
        assertEquals(1, put.exitCode(), put.describe());
        assertTrue(put.stderr().contains("2000 bytes") && put.stderr().contains("--capacity 16k"), put.describe());
        assertEquals(1, put.stderr().lines().count(), "one line says what failed: " + put.describe());
    }

    @Test
    void aDamagedRegionFailsWithTheCoreExplanation() throws Exception {
        Path file = regions.resolve("junk");
        Files.write(file, new byte[8192]);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Result take = ringfork.run("queue", "take", "--timeout", "1s", "junk");
        assertEquals(1, take.exitCode(), take.describe());
        assertTrue(take.stderr().startsWith("ringfork queue take: ") && take.stderr().contains(file.toString()),
                take.describe());
    }

    /** {@code n} distinct lines of varied length, some with non-ASCII text and tabs, each ending in a newline. */
    static byte[] lines(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("line ").append(i).append('\t').append("é€".repeat(i % 7)).append("x".repeat(i % 53)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
