package dev.ringfork.ipc.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of each ring between two refreshes of {@code ringfork stat --watch}, from the progress of
 * its head (the bytes consumers took).
 *
 * <p>Bytes per second are exact. Messages per second are an estimate: the bytes taken divided by the
 * mean record size of the backlog at the previous refresh (those are the records taken first) or, if it
 * was empty, the last non-empty backlog seen before, else the backlog now; unknown (NaN) while no backlog
 * has been seen. Padding at the buffer's wrap counts as taken bytes, so the estimate runs slightly high.
 */
final class StatRates {

    /** The rates of one ring; {@code messagesPerSecond} is NaN when no record size is known yet. */
    record Rate(String ring, double bytesPerSecond, double messagesPerSecond) {
    }

    private record Seen(long head, long nanos, double averageRecordBytes) {
    }

    private final Map<String, Seen> previous = new HashMap<>();

    /** The rates since the last call, for the rings seen both times; records this snapshot for the next call. */
    List<Rate> update(StatRegion region) {
        List<Rate> rates = new ArrayList<>();
        Map<String, Seen> now = new HashMap<>();
        for (StatRing ring : region.rings()) {
            Seen before = previous.get(ring.name());
            double average = ring.averageRecordBytes();
            if (before != null && before.averageRecordBytes() > 0) {
                average = before.averageRecordBytes();
            }
            long elapsed = region.nanos() - (before == null ? 0 : before.nanos());
            if (before != null && elapsed > 0 && ring.head() >= before.head()) {
                double bytesPerSecond = (ring.head() - before.head()) * 1e9 / elapsed;
                rates.add(new Rate(ring.name(), bytesPerSecond, average > 0 ? bytesPerSecond / average : Double.NaN));
            }
            // Remember the freshest mean for the next estimate, or keep the old one over an empty backlog.
            double remembered = ring.averageRecordBytes() > 0 ? ring.averageRecordBytes() : average;
            now.put(ring.name(), new Seen(ring.head(), region.nanos(), remembered));
        }
        previous.clear();
        previous.putAll(now);
        return rates;
    }
}
