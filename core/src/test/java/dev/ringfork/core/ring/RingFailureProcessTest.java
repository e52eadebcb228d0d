package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Tracker;
import dev.ringfork.core.testing.Await;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Processes killed with SIGKILL in the middle of a write or a read: the survivors carry on. */
class RingFailureProcessTest {

    private static final int CAPACITY = 16 * 1024;
    private static final long STALL_MILLIS = 200;

    @TempDir
    Path temp;

    /**
     * A producer claims a record and is killed before committing it. The consumer (this JVM) gets
     * everything the dead producer committed before, then, once the stall timeout passes, skips the dead
     * record and gets every message of the other producer. For SPSC the other producer is a new process
     * that takes over the one producer role after the kill; for MPSC and MPMC it runs all along and
     * blocks on the ring that the dead record keeps full until the consumer unblocks it.
     */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void consumerSkipsTheRecordOfAProducerKilledMidWrite(RingKind kind) throws Exception {
        killedMidWrite(kind, "single");
    }

    /**
     * The same with a batch claim of 8 messages, all written and none committed when the producer is
     * killed: the consumer skips the whole run as one unblocked record, and none of its messages appear.
     */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void consumerSkipsTheWholeRunOfAProducerKilledMidBatch(RingKind kind) throws Exception {
        killedMidWrite(kind, "batch");
    }

    private void killedMidWrite(RingKind kind, String mode) throws Exception {
        int before = 50;
        int survivorMessages = 20_000;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, STALL_MILLIS));
            RingConsumer consumer = ring.consumer();
            Tracker tracker = new Tracker(2, kind != RingKind.MPMC);
            try (ChildJvm dying = ChildJvm.start(RingChildren.ClaimAndHang.class,
                    RingChildren.args(temp, kind, CAPACITY, STALL_MILLIS, 0, before, mode))) {
                dying.awaitLine("CLAIMED", STEP);
                ChildJvm survivor = null;
                try {
                    if (kind != RingKind.SPSC) {
                        survivor = startSurvivor(region, kind, survivorMessages);
                        // The survivor fills the ring behind the unfinished record and waits for room.
                        awaitSleepingProducer(ring);
                        assertFalse(survivor.output().contains("SENT"), "the survivor cannot finish while the record blocks the ring");
                    }
                    // Everything committed before the claim is readable; then the reader stops at the claim.
                    while (tracker.count < before) {
                        assertTrue(consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS) > 0, "committed before the claim");
                    }
                    assertEquals(0, consumer.read(tracker, 64), "stops at the unfinished record of a live writer");
                    assertEquals(0, ring.unblockedRecords(), "a live writer is never skipped");

                    dying.kill();

                    if (kind == RingKind.SPSC) {
                        survivor = startSurvivor(region, kind, survivorMessages); // the new single producer
                    }
                    while (tracker.count < before + survivorMessages) {
                        int n = consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS);
                        assertTrue(n > 0, "no message within " + STEP + " after " + tracker.count + "; " + ring
                                + ", unblocked " + ring.unblockedRecords() + "\n" + survivor.output());
                    }
                    assertEquals("SENT 1 " + survivorMessages, survivor.awaitLine("SENT", STEP));
                    survivor.awaitSuccess(STEP);
                } finally {
                    if (survivor != null) {
                        survivor.close();
                    }
                }
            }
            ring.close();
            assertEquals(-1, consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS), "nothing else: the dead record is gone");
            assertEquals(List.of(), tracker.errors);
            assertEquals(before, tracker.seen[0].cardinality(), "the dead producer's committed messages");
            assertEquals(before, tracker.seen[0].length(), "and not its unfinished one");
            assertEquals(survivorMessages, tracker.seen[1].cardinality(), "every message of the survivor");
            assertEquals(survivorMessages, tracker.seen[1].length());
            assertEquals(1, ring.unblockedRecords(), "exactly the dead record was skipped");
            assertEquals(0, ring.backlogBytes());
        }
    }

    private ChildJvm startSurvivor(SharedRegion region, RingKind kind, int messages) {
        ChildJvm survivor = ChildJvm.start(RingChildren.Producer.class,
                RingChildren.args(temp, kind, CAPACITY, STALL_MILLIS, 1, messages));
        survivor.awaitLine("READY", STEP);
        region.event("go").set();
        return survivor;
    }

    private static void awaitSleepingProducer(Ring ring) {
        Await.until(() -> ring.sleepingProducers() > 0, STEP, "a producer waits for room; " + ring);
    }

    /**
     * An MPMC consumer takes a batch and is killed while handling it. The records it held go back to the
     * other consumer (found by the blocked producer or the waiting consumer within about a stall
     * timeout): every message is delivered exactly once (the dead consumer never finished any), nothing
     * is counted lost, and what was held is counted as redelivered.
     */
    @Test
    void theBatchOfAnMpmcConsumerKilledWhileReadingGoesToAnotherConsumer() {
        int messages = 20_000;
        int first = 4;
        RingKind kind = RingKind.MPMC;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp));
             ChildJvm dying = ChildJvm.start(RingChildren.TakeAndHang.class,
                     RingChildren.args(temp, kind, CAPACITY, STALL_MILLIS));
             ChildJvm producer = ChildJvm.start(RingChildren.Producer.class,
                     RingChildren.args(temp, kind, CAPACITY, STALL_MILLIS, 0, messages, first))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, STALL_MILLIS));
            dying.awaitLine("READY", STEP);
            producer.awaitLine("READY", STEP);
            region.event("go").set();
            // The dying consumer is the only one yet: it takes (some of) the first four messages.
            String took = dying.awaitLine("TOOK", STEP);
            assertEquals("TOOK 0 0", took, "the first message went to the only consumer");
            producer.awaitLine("PAUSED", STEP);
            try (ChildJvm survivor = ChildJvm.start(RingChildren.Consumer.class,
                    RingChildren.args(temp, kind, CAPACITY, STALL_MILLIS, 1, "any-order"))) {
                survivor.awaitLine("READY", STEP);
                region.event("resume").set();
                // The survivor reads everything after the dead consumer's batch; the producer fills the
                // ring up to the batch, which nobody gives back while its consumer lives.
                awaitSleepingProducer(ring);
                assertFalse(producer.output().contains("SENT"), "the producer cannot finish while the batch is held");
                assertEquals(0, ring.redeliveredMessages(), "a live consumer's records stay its own");

                dying.kill();

                assertEquals("SENT 0 " + messages, producer.awaitLine("SENT", STEP), "the producer went on");
                producer.awaitSuccess(STEP);
                ring.close();
                survivor.awaitSuccess(STEP);
                String output = survivor.output();
                assertFalse(output.contains("ERROR"), output);
                BitSet seen = null;
                for (String line : output.split("\n")) {
                    if (line.startsWith("SEEN 0")) {
                        String[] parts = line.split(" ");
                        seen = Tracker.decode(parts.length > 2 ? parts[2] : "");
                    }
                }
                assertTrue(seen != null, output);
                assertEquals(0, ring.lostMessages(), "nothing lost");
                long redelivered = ring.redeliveredMessages();
                assertTrue(redelivered >= 1 && redelivered <= first, "redelivered " + redelivered + ": the dead consumer's batch of 1 to " + first);
                assertTrue(seen.get(0), "the message the dead consumer took is delivered to the survivor");
                assertEquals(messages, seen.cardinality(), "every message, exactly once (the tracker rejects duplicates)");
                assertEquals(messages, seen.length());
                assertEquals(0, ring.backlogBytes());
                assertEquals(0, ring.unblockedRecords());
            }
        }
    }
}
