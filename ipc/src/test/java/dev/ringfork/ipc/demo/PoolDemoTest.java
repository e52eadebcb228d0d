package dev.ringfork.ipc.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolDemoTest {

    @Test
    void thePoolCountsTheSamePrimesAsOneThreadAndReportsTheSpeedup() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PoolDemo.Outcome outcome;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream p = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
            outcome = PoolDemo.run(200_000, 10_000, 2, o, p);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(17_984, outcome.primes(), report); // pi(200,000)
        assertTrue(outcome.agrees(), report);
        assertEquals(20, outcome.blocks());
        assertTrue(report.contains("the answers agree") && report.contains("speedup"), report);
        String bar = progress.toString(StandardCharsets.UTF_8);
        assertTrue(bar.contains("[20/20] blocks"), "the progress bar reaches the last block: " + bar);
    }
}
