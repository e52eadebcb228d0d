package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.testing.ChildJvm;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring and queue cells: a producer or a consumer JVM killed with SIGKILL at a random point while
 * self-checking payloads flow. Asserted: every payload committed before the kill is delivered (nothing
 * lost; the ring reports none lost), nothing is corrupt, nothing is duplicated except what a killed
 * consumer had handled and not yet released (at most one read's batch), and every wait ends.
 */
final class ChannelCells {

    private ChannelCells() {
    }

    /** A producer killed mid-stream; another producer (for SPSC: the next one, once it is dead) carries on. */
    static String producerKilled(Trial trial, Channels channel) throws Exception {
        long survivorCount = 20_000;
        try (SharedRegion region = trial.region(Channels.CAPACITY)) {
            Seen seen = Seen.in(region);
            SharedLong committed = region.sharedLong("committed-0");
            if (channel != Channels.QUEUE) {
                channel.ring(region);
            } else {
                channel.queue(region);
            }
            List<ChildJvm> readers = new ArrayList<>();
            for (int i = 0; i < (channel.sharedReaders() ? 2 : 1); i++) {
                readers.add(trial.start(ChannelChildren.Reader.class, channel));
            }
            ChildJvm victim = trial.start(ChannelChildren.Writer.class, channel, 0, Seen.MAX_SEQ);
            ChildJvm survivor = channel.sharedWriters() ? trial.start(ChannelChildren.Writer.class, channel, 1, survivorCount) : null;
            for (ChildJvm child : trial(readers, victim, survivor)) {
                child.awaitLine("READY", Trial.STEP);
            }
            region.event("go").set();
            long killAt = trial.between(200, 20_000);
            Trial.awaitAtLeast(committed::get, killAt, "the victim's commits");
            victim.kill();
            long before = committed.get();
            if (survivor == null) {
                survivor = trial.start(ChannelChildren.Writer.class, channel, 1, survivorCount); // the next sole producer
                survivor.awaitLine("READY", Trial.STEP);
            }
            assertEquals("SENT 1 " + survivorCount, survivor.awaitLine("SENT", Trial.STEP));
            channel.close(region);
            for (ChildJvm reader : readers) {
                reader.awaitLine("READ_DONE", Trial.STEP);
            }
            assertEquals(0, seen.corrupt(), "corrupt payloads");
            assertEquals(-1, seen.firstMissing(0, before), "every payload the victim committed before its death");
            long delivered = seen.count(0);
            assertTrue(delivered == before || delivered == before + 1, "the victim's delivered " + delivered
                    + " of " + before + " counted commits (one more may have committed uncounted)");
            assertEquals(-1, seen.firstMissing(1, survivorCount), "every payload of the survivor");
            assertEquals(survivorCount, seen.count(1));
            assertEquals(0, seen.duplicates(), "duplicates");
            assertEquals(0, channel.lost(region), "reported lost");
            return "killed after " + before + " commits; " + delivered + " + " + survivorCount + " delivered, 0 lost, 0 duplicated";
        }
    }

    /** A consumer killed mid-stream; another consumer (for SPSC, MPSC: the next one) reads the rest. */
    static String consumerKilled(Trial trial, Channels channel) throws Exception {
        long count = 30_000;
        try (SharedRegion region = trial.region(Channels.CAPACITY)) {
            Seen seen = Seen.in(region);
            SharedLong committed = region.sharedLong("committed-0");
            ChildJvm writer = trial.start(ChannelChildren.Writer.class, channel, 0, count);
            ChildJvm victim = trial.start(ChannelChildren.Reader.class, channel, 20); // slow: it holds a batch when killed
            ChildJvm survivor = channel.sharedReaders() ? trial.start(ChannelChildren.Reader.class, channel) : null;
            for (ChildJvm child : trial(List.of(victim), writer, survivor)) {
                child.awaitLine("READY", Trial.STEP);
            }
            region.event("go").set();
            long killAt = trial.between(500, count - 5_000);
            Trial.awaitAtLeast(committed::get, killAt, "the writer's commits");
            victim.kill();
            if (survivor == null) {
                survivor = trial.start(ChannelChildren.Reader.class, channel); // takes the one consumer role over
                survivor.awaitLine("READY", Trial.STEP);
            }
            assertEquals("SENT 0 " + count, writer.awaitLine("SENT", Trial.STEP));
            channel.close(region);
            survivor.awaitLine("READ_DONE", Trial.STEP);
            assertEquals(0, seen.corrupt(), "corrupt payloads");
            assertEquals(-1, seen.firstMissing(0, count), "every payload, though a consumer died");
            long duplicates = seen.duplicates();
            assertTrue(duplicates <= Channels.BATCH, duplicates + " delivered twice: at most the dead consumer's unreleased batch");
            assertEquals(0, channel.lost(region), "reported lost");
            return "killed after " + killAt + "+ commits; all " + count + " delivered, " + duplicates + " again, 0 lost";
        }
    }

    private static List<ChildJvm> trial(List<ChildJvm> first, ChildJvm second, ChildJvm third) {
        List<ChildJvm> all = new ArrayList<>(first);
        all.add(second);
        if (third != null) {
            all.add(third);
        }
        return all;
    }
}
