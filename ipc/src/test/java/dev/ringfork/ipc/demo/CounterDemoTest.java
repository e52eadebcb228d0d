package dev.ringfork.ipc.demo;

import dev.ringfork.core.memory.RegionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterDemoTest {

    @TempDir
    Path temp;

    @Test
    void workersProduceTheExactTotalAndTheRegionIsRemoved() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CounterDemo.Outcome outcome;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            outcome = CounterDemo.run(2, 200_000, RegionOptions.defaults().withDirectory(temp), out);
        }
        String report = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(400_000, outcome.observed(), report);
        assertTrue(outcome.exact());
        assertTrue(report.contains("expected total: 400,000") && report.contains("observed total: 400,000  (exact)"), report);
        assertTrue(report.contains("increments/s"), report);
        try (var files = Files.list(temp)) {
            assertEquals(0, files.count(), "the demo unlinks its region");
        }
    }
}
