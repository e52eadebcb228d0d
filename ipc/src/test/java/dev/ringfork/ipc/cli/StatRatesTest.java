package dev.ringfork.ipc.cli;

import dev.ringfork.core.ring.RingKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate arithmetic of {@code stat --watch} and the duration syntax, on hand-made snapshots. */
@Timeout(60)
class StatRatesTest {

    private static final long SECOND = 1_000_000_000L;

    /** A snapshot at {@code nanos} of ring "jobs" with this head and a backlog of {@code messages} records of 32 bytes. */
    private static StatRegion snapshot(long nanos, long head, long messages) {
        StatRing ring = new StatRing("jobs", RingKind.SPSC, 1 << 16, 8184, head, head + messages * 32, messages * 32,
                messages, true, 0, messages * 32, 0, 0, false, 0, 0, 0, 1, 1, 1, 1, false);
        return new StatRegion("work", Path.of("/x/work"), "2.0", 1 << 20, 1, true, List.of(ring), nanos);
    }

    @Test
    void bytesAreExactAndMessagesEstimatedFromThePreviousBacklog() {
        StatRates rates = new StatRates();
        assertEquals(List.of(), rates.update(snapshot(0, 0, 10)), "no rate from a single refresh");
        // Half a second later the consumer took 3200 bytes: 100 records of the 32 bytes seen before.
        assertEquals(List.of(new StatRates.Rate("jobs", 6400, 200)), rates.update(snapshot(SECOND / 2, 3200, 0)));
        // An empty backlog keeps the last known record size.
        assertEquals(List.of(new StatRates.Rate("jobs", 640, 20)), rates.update(snapshot(SECOND, 3520, 0)));
    }

    @Test
    void messagesAreUnknownUntilSomeBacklogWasSeen() {
        StatRates rates = new StatRates();
        rates.update(snapshot(0, 0, 0));
        StatRates.Rate rate = rates.update(snapshot(SECOND, 4096, 0)).getFirst();
        assertEquals(4096, rate.bytesPerSecond());
        assertTrue(Double.isNaN(rate.messagesPerSecond()));
    }

    @Test
    void durationsReadAsUnitsOrIso() {
        Converters.Time converter = new Converters.Time();
        assertEquals(Duration.ofMillis(100), converter.convert("100ms"));
        assertEquals(Duration.ofMillis(1500), converter.convert("1.5s"));
        assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
        assertEquals(Duration.ofSeconds(1), converter.convert("PT1S"));
        assertThrows(RuntimeException.class, () -> converter.convert("soon"));
    }
}
