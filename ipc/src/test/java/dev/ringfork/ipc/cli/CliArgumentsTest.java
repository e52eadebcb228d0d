package dev.ringfork.ipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arguments through {@link RingforkCli#run} in this JVM: usage errors exit 2, help exits 0; the converters. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliArgumentsTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RingforkCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static void assertUsageError(String expected, String... args) {
        Outcome outcome = cli(args);
        assertEquals(2, outcome.code(), outcome.toString());
        assertTrue(outcome.err().contains(expected) && outcome.err().contains("Usage: ringfork"), outcome.toString());
        assertEquals("", outcome.out());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertUsageError("Missing required subcommand");
        assertUsageError("Missing required subcommand", "pipe");
        assertUsageError("--workers must be from 1 to 1024", "run", "--workers", "0", "--main", "X");
        assertUsageError("--workers takes a number or auto, not 'many'", "run", "--workers", "many", "--main", "X");
        assertUsageError("Missing required option: '--main=CLASS'", "run");
        assertUsageError("does not start with '-'", "run", "-w", "1", "--main", "X", "--jvm-opt", "Xmx1g");
        assertUsageError("is set by JvmProcess", "run", "-w", "1", "--main", "X", "--jvm-opt=-cp");
        assertUsageError("'no/slash' is no region name", "run", "-w", "1", "--main", "X", "--region", "no/slash");
        assertUsageError("Unmatched argument", "frobnicate");
        assertUsageError("Unknown option: '--frobnicate'", "queue", "take", "--frobnicate", "jobs");
        assertUsageError("Missing required parameter: 'NAME'", "queue", "take");
        assertUsageError("--null and --raw exclude each other", "queue", "take", "--null", "--raw", "jobs");
        assertUsageError("--count must be 1 or more", "queue", "take", "--count", "0", "jobs");
        assertUsageError("'3m' is no ring capacity", "pipe", "put", "--capacity", "3m", "jobs");
        assertUsageError("'soon' is no duration", "pipe", "take", "--timeout", "soon", "jobs");
        assertUsageError("'.hidden' is no region name", "pipe", "cat", ".hidden");
    }

    @Test
    void helpExitsZeroForEveryCommand() {
        for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"queue", "-h"}, {"pipe", "--help"},
                {"queue", "put", "--help"}, {"queue", "take", "--help"}, {"pipe", "cat", "--help"}}) {
            Outcome outcome = cli(args);
            assertEquals(0, outcome.code(), outcome.toString());
            assertTrue(outcome.out().startsWith("Usage: ringfork"), outcome.toString());
        }
        Outcome version = cli("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("ringfork "), version.out());
    }

    @Test
    void sizesAndDurationsParseWithUnits() {
        Converters.Capacity capacity = new Converters.Capacity();
        assertEquals(1024, capacity.convert("1k"));
        assertEquals(1 << 20, capacity.convert("1M"));
        assertEquals(1 << 20, capacity.convert("1MiB"));
        assertEquals(1 << 30, capacity.convert("1g"));
        assertEquals(65536, capacity.convert("65536"));
        for (String bad : new String[] {"512", "2g", "3k", "-1k", "k", "99999999999999999999"}) {
            assertThrows(RuntimeException.class, () -> capacity.convert(bad), bad);
        }
        Converters.Time time = new Converters.Time();
        assertEquals(Duration.ofMillis(500), time.convert("500ms"));
        assertEquals(Duration.ofSeconds(10), time.convert("10"));
        assertEquals(Duration.ofMillis(1500), time.convert("1.5s"));
        assertEquals(Duration.ofMinutes(2), time.convert("2m"));
        assertEquals(Duration.ofHours(1), time.convert("1h"));
        assertEquals(Duration.ofMinutes(1), time.convert("PT1M"));
        assertEquals(Duration.ZERO, time.convert("0"));
        for (String bad : new String[] {"-1s", "soon", "1d", "PT-1S"}) {
            assertThrows(RuntimeException.class, () -> time.convert(bad), bad);
        }
    }
}
