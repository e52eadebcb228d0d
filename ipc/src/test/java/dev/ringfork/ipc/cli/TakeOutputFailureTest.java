package dev.ringfork.ipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A take whose output fails in the middle of a batch (here {@code /dev/full}: every write fails with
 * ENOSPC) keeps every record it did not write out in the queue or pipe, for the next take.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TakeOutputFailureTest {

    /** 150 records of 4000 bytes: one batch, larger than the writer's 256 KiB buffer, so a write fails inside it. */
    private static final List<String> RECORDS = IntStream.range(0, 150)
            .mapToObj(i -> String.format("%04d", i) + "x".repeat(3996)).toList();
    private static final Path FULL_DEVICE = Path.of("/dev/full");

    @TempDir
    Path temp;

    @Test
    void aQueueTakeWhoseOutputFailsMidBatchLeavesEveryRecordForTheNextTake() throws IOException {
        failThenTakeAgain("queue", "take");
    }

    @Test
    void aPipeCatWhoseOutputFailsMidBatchLeavesEveryRecordForTheNextCat() throws IOException {
        failThenTakeAgain("pipe", "cat");
    }

    private void failThenTakeAgain(String kind, String take) throws IOException {
        assertTrue(Files.isWritable(FULL_DEVICE), "this test needs " + FULL_DEVICE);
        Path in = Files.write(temp.resolve("in"), RECORDS);
        String dir = temp.resolve("regions").toString();
        assertEquals(0, run(new StringWriter(), kind, "put", "--dir", dir, "jobs", in.toString()));

        StringWriter failure = new StringWriter();
        assertEquals(1, run(failure, kind, take, "--dir", dir, "-o", FULL_DEVICE.toString(), "jobs"));
        assertTrue(failure.toString().contains("cannot write the records taken to /dev/full"), failure.toString());

        Path out = temp.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, kind, take, "--dir", dir, "-o", out.toString(), "jobs"), err.toString());
        assertEquals(numbers(RECORDS), numbers(Files.readAllLines(out)),
                "the second " + take + " gets every record the first did not write out (record numbers)");
    }

    /** Each record's number (its first four characters), for a readable failure. */
    private static List<String> numbers(List<String> records) {
        return records.stream().map(r -> r.substring(0, Math.min(4, r.length()))).toList();
    }

    private static int run(StringWriter err, String... args) {
        return RingforkCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    }
}
