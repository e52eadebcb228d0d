package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cli.RingforkScript.Result;
import dev.ringfork.ipc.cli.RingforkScript.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code ringfork pipe} through the real script: byte-exact, in order, and readers that take turns. */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliPipeIT extends ScriptTestBase {


    @Test
    void tenThousandLinesArriveByteForByteInOrder() {
        byte[] input = CliQueueIT.lines(10_000);
        Run take = ringfork.start("pipe", "take", "logs");
        take.closeInput();
        Result put = ringfork.start("pipe", "put", "logs").input(input).await();
        Result taken = take.await();
        assertEquals(0, put.exitCode(), put.describe());
        assertEquals(0, taken.exitCode(), taken.describe());
        assertArrayEquals(input, taken.stdout(), "the lines taken differ from those put; " + taken.describe());
    }

    @Test
    void nulFramedRecordsWithNewlinesArriveExactlyWhenTheWriterStartsFirst() {
        byte[] input = "one\ntwo\0\0three\r\n\0last without terminator".getBytes(StandardCharsets.UTF_8);
        Result put = ringfork.start("pipe", "put", "--null", "nul").input(input).await();
        assertEquals(0, put.exitCode(), put.describe());
        Result taken = ringfork.run("pipe", "cat", "--null", "nul");
        assertEquals(0, taken.exitCode(), taken.describe());
        byte[] expected = Arrays.copyOf(input, input.length + 1); // the last record gets its terminator
        assertArrayEquals(expected, taken.stdout(), taken.describe());
    }

    @Test
    void aReaderThatStopsEarlyLeavesTheRestForTheNext() {
        Result put = ringfork.start("pipe", "put", "steps").input("1\n2\n3\n4\n".getBytes(StandardCharsets.UTF_8)).await();
        assertEquals(0, put.exitCode(), put.describe());
        Result first = ringfork.run("pipe", "take", "-n", "3", "steps");
        assertEquals("1\n2\n3\n", first.out(), first.describe());
        Result rest = ringfork.run("pipe", "cat", "steps");
        assertEquals(0, rest.exitCode(), rest.describe());
        assertEquals("4\n", rest.out(), rest.describe());
    }
}
