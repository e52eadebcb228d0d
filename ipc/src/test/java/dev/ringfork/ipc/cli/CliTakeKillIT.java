package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.cli.RingforkScript.Result;
import dev.ringfork.ipc.cli.RingforkScript.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringfork queue take} killed with SIGKILL over and over while a million lines flow through the
 * queue, each time restarted: nothing is lost (every line reaches some take's output file), and a
 * restarted take repeats at most the batch the killed one was writing (written out, not yet released).
 */
@EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, matches = ".+", disabledReason = RingforkScript.ONLY_IN_VERIFY)
class CliTakeKillIT extends ScriptTestBase {

    static final int LINES = 1_000_000;
    static final int KILLS = 6;
    /** Records a take writes out and releases together (Taking.BATCH): the most a kill can make repeat. */
    static final int BATCH = 4096;

    @Test
    void aMillionLinesSurviveTakesKilledAndRestarted() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append(i).append('\n');
        }
        Run put = ringfork.start("queue", "put", "stream").input(text.toString().getBytes(StandardCharsets.US_ASCII));
        Random random = new Random(7);
        List<Path> outputs = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Path output = regions.resolveSibling(regions.getFileName() + "-take-" + kill + ".txt");
            outputs.add(output);
            Run take = ringfork.start("queue", "take", "-o", output.toString(), "stream");
            take.closeInput();
            // Kill it once it has written a random amount (a fraction of the stream, so it cannot reach the end).
            long threshold = 50_000 + random.nextInt(550_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RingforkScript.DEADLINE_SECONDS);
            while (size(output) < threshold && System.nanoTime() - deadline < 0 && take.isAlive()) {
                Thread.onSpinWait();
            }
            int index = kill;
            assertTrue(take.isAlive(), () -> "take " + index + " ended before it was killed: " + take.await().describe());
            take.kill();
        }
        Path last = regions.resolveSibling(regions.getFileName() + "-take-last.txt");
        outputs.add(last);
        Result rest = ringfork.run("queue", "take", "-o", last.toString(), "stream");
        assertEquals(0, rest.exitCode(), rest.describe());
        Result putResult = put.await();
        assertEquals(0, putResult.exitCode(), putResult.describe());

        BitSet seen = new BitSet(LINES);
        long duplicates = 0;
        long total = 0;
        for (Path output : outputs) {
            for (String line : complete(output)) {
                int n = Integer.parseInt(line);
                if (seen.get(n)) {
                    duplicates++;
                }
                seen.set(n);
                total++;
            }
        }
        assertEquals(LINES, seen.cardinality(), "lines lost: first missing " + seen.nextClearBit(0) + " (" + total
                + " lines taken, " + duplicates + " repeated)");
        assertTrue(duplicates <= (long) KILLS * BATCH, duplicates + " lines repeated after " + KILLS + " kills");
        System.out.println(LINES + " lines through " + (KILLS + 1) + " takes, " + KILLS + " of them killed: none lost, "
                + duplicates + " repeated");
        Result stat = ringfork.run("stat", "stream");
        assertTrue(stat.out().contains("lost 0"), stat.describe());
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not created yet
        }
    }

    /** The lines of a take's output; a take killed mid-write may leave its last line without its newline. */
    static List<String> complete(Path output) throws IOException {
        if (!Files.exists(output)) {
            return List.of();
        }
        String text = Files.readString(output, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n') + 1;
        return text.substring(0, end).lines().toList();
    }
}
