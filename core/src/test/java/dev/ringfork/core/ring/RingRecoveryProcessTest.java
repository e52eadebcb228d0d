package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.ring.RingTesting.Tracker;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery from dead processes must never touch what a live one holds: processes stopped by a test hook
 * at the protocol's narrowest points, then killed (or resumed).
 */
class RingRecoveryProcessTest {

    static final int CAPACITY = 4096;
    static final int MESSAGE = RingWaitBoundsTest.MESSAGE;

    @TempDir
    Path temp;

    /**
     * Consumer A announces where it reads and stops there; consumer B announces the same position, takes
     * the message and holds it in a slow handler. A is killed; a producer then waits for room past the
     * stall timeout, which makes it recover A's slot. B's message must stay intact and nothing may be
     * counted lost: A held nothing.
     */
    @Test
    void recoveringAConsumerKilledAfterAnnouncingLeavesTheLiveHolderOfTheSamePositionAlone() throws Exception {
        long stall = 200;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            RingTesting.offerSeqs(producer, 0, 4, MESSAGE);
            String[] args = RingChildren.args(temp, RingKind.MPMC, CAPACITY, stall);
            try (ChildJvm a = ChildJvm.start(RingFaultChildren.ParkAfterAnnounce.class, args)) {
                a.awaitLine("ANNOUNCED", STEP); // A announced position 0 before B starts
                ChildJvm b = ChildJvm.start(RingFaultChildren.TakeOneAndHold.class, args);
                try (b) {
                assertEquals("TOOK 0 0", b.awaitLine("TOOK", STEP), "B took the message at A's announced position");
                a.kill();
                int next = RingWaitBoundsTest.fill(producer, 4);
                // Full: the producer waits for room past the stall timeout and recovers dead consumers.
                assertFalse(producer.offer(TYPE, Payload.ofLength(0, next, MESSAGE), 4 * stall, TimeUnit.MILLISECONDS),
                        "no room while B holds its message");
                assertEquals(0, ring.lostMessages(), "A held nothing: nothing is lost");
                region.event("release").set();
                assertEquals("INTACT 0 0", b.awaitLine("INTACT", STEP) , b.output());
                b.awaitSuccess(STEP);
                List<Long> got = new ArrayList<>();
                try (RingConsumer rest = ring.consumer()) {
                    while (rest.read((type, message) -> got.add(Payload.verifyContent(message)), 64, 1, TimeUnit.SECONDS) > 0) {
                        // drain
                    }
                }
                assertEquals(next - 1, got.size(), "every message after B's, once: " + got);
                assertEquals(0, ring.lostMessages());
                }
            }
        }
    }

    /**
     * An MPSC writer claims space (moves the tail) and stalls before writing its header, far longer than
     * ten stall timeouts. The consumer must wait for it (it is alive), not pad its space: when it
     * resumes, its message and everything after it arrive intact and in order.
     */
    @Test
    void aLiveWriterStalledBetweenClaimAndHeaderIsWaitedForNotPadded() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPSC, region, RING, RingTesting.options(CAPACITY, stall));
            RingConsumer consumer = ring.consumer();
            Tracker tracker = new Tracker(2, true);
            try (ChildJvm stalled = ChildJvm.start(RingFaultChildren.StallAfterTailClaim.class,
                    RingChildren.args(temp, RingKind.MPSC, CAPACITY, stall, 0, 10, 3))) {
                stalled.awaitLine("STALLED", STEP);
                RingProducer other = ring.producer();
                for (int seq = 0; seq < 5; seq++) {
                    assertTrue(other.offer(TYPE, Payload.of(1, seq)));
                }
                while (tracker.count < 3) {
                    assertTrue(consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS) > 0);
                }
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(15 * stall);
                while (System.nanoTime() - until < 0) {
                    assertEquals(0, consumer.read(tracker, 64, stall, TimeUnit.MILLISECONDS),
                            "nothing passes the space of a live writer");
                }
                assertEquals(0, ring.unblockedRecords(), "a live writer's space is never padded");
                region.event("resume").set();
                assertEquals("SENT 0 10", stalled.awaitLine("SENT", STEP));
                while (tracker.count < 15) {
                    assertTrue(consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS) > 0,
                            "after " + tracker.count + ": " + ring);
                }
                stalled.awaitSuccess(STEP);
            }
            assertEquals(List.of(), tracker.errors);
            assertEquals(10, tracker.seen[0].cardinality());
            assertEquals(5, tracker.seen[1].cardinality());
            assertEquals(0, ring.unblockedRecords());
        }
    }

    /** The same writer killed while it stalls: the consumer pads its space once the stall timeout shows it dead. */
    @Test
    void aWriterKilledBetweenClaimAndHeaderIsPaddedAfterTheStallTimeout() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPSC, region, RING, RingTesting.options(CAPACITY, stall));
            RingConsumer consumer = ring.consumer();
            Tracker tracker = new Tracker(2, true);
            try (ChildJvm stalled = ChildJvm.start(RingFaultChildren.StallAfterTailClaim.class,
                    RingChildren.args(temp, RingKind.MPSC, CAPACITY, stall, 0, 10, 3))) {
                stalled.awaitLine("STALLED", STEP);
                RingProducer other = ring.producer();
                for (int seq = 0; seq < 5; seq++) {
                    assertTrue(other.offer(TYPE, Payload.of(1, seq)));
                }
                stalled.kill();
            }
            while (tracker.count < 8) {
                assertTrue(consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS) > 0, "after " + tracker.count + ": " + ring);
            }
            assertEquals(List.of(), tracker.errors);
            assertEquals(3, tracker.seen[0].cardinality());
            assertEquals(5, tracker.seen[1].cardinality());
            assertEquals(1, ring.unblockedRecords(), "the dead writer's space, once");
        }
    }

    /**
     * A consumer asleep in one long read (60 s) while a writer dies between claiming space and writing its
     * header (MPSC: a live writer's message waits behind the dead claim). The sleeping consumer must still
     * look at the clock for the stall: the dead claim is padded and the live message delivered within a few
     * stall timeouts (default 1 s; about 1.8 s after the kill here), not after the 64 looks a zero header
     * gets between two clock reads, which a sleeper took about 7.7 s to make (before the fix).
     */
    @Test
    void aConsumerAsleepInOneLongReadPadsADeadWritersClaimWithinAFewStallTimeouts() throws Exception {
        long stall = 1000;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPSC, region, RING, RingTesting.options(CAPACITY, stall));
            RingConsumer consumer = ring.consumer();
            Tracker tracker = new Tracker(2, true);
            // The live writer takes its producer slot first: one taken over from the dead writer later would
            // settle the dead claim itself, without the consumer's stall watch.
            RingProducer live = ring.producer();
            assertTrue(live.offer(TYPE, Payload.of(1, 0)));
            assertEquals(1, consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS));
            try (ChildJvm stalled = ChildJvm.start(RingFaultChildren.StallAfterTailClaim.class,
                    RingChildren.args(temp, RingKind.MPSC, CAPACITY, stall, 0, 1, 0))) {
                stalled.awaitLine("STALLED", STEP);
                java.util.concurrent.CompletableFuture<long[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        long start = System.nanoTime();
                        int n = consumer.read(tracker, 64, 60, TimeUnit.SECONDS);
                        return new long[] {n, System.nanoTime() - start};
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long deadline = System.nanoTime() + STEP.toNanos();
                while (ring.sleepingConsumers() == 0 && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                assertEquals(1, ring.sleepingConsumers(), "the consumer sleeps at the stalled claim");
                stalled.kill();
                long killed = System.nanoTime();
                assertTrue(live.offer(TYPE, Payload.of(1, 1)), "a live writer's message behind the dead claim");
                long[] result = read.get(STEP.toSeconds(), TimeUnit.SECONDS);
                long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertEquals(1, result[0], "the live message, in the same read");
                assertEquals(1, ring.unblockedRecords(), "the dead writer's claim, padded");
                assertTrue(noticedMillis < 4 * stall, "noticed " + noticedMillis + " ms after the kill (stall timeout " + stall + " ms)");
            }
            assertEquals(List.of(), tracker.errors);
        }
    }

    /**
     * The one consumer of an SPSC ring is killed after its handler saw the records and before it moved
     * the head past them (an SPSC consumer gives space back unzeroed: the head store is the release). The
     * next consumer delivers that batch again, intact, then what came after: nothing lost, and the stale
     * words the producer writes over later are never read as records.
     */
    @Test
    void anSpscConsumerKilledBeforeMovingTheHeadHasItsBatchDeliveredAgain() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.SPSC, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            RingTesting.offerSeqs(producer, 0, 20, MESSAGE);
            try (ChildJvm first = ChildJvm.start(RingFaultChildren.StopBeforeHeadRelease.class,
                    RingChildren.args(temp, RingKind.SPSC, CAPACITY, stall))) {
                assertEquals("RELEASING 20", first.awaitLine("RELEASING", STEP), "it read all 20");
                first.kill();
            }
            List<Long> got = new ArrayList<>();
            try (RingConsumer next = ring.consumer()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                // Three laps of the buffer after the kill: every later claim lands on space given back unzeroed.
                for (int seq = 20; seq < 20 + 3 * CAPACITY / 128; seq++) {
                    while (!producer.offer(TYPE, Payload.ofLength(0, seq, MESSAGE)) && System.nanoTime() - deadline < 0) {
                        next.read((type, message) -> got.add(Payload.verifyContent(message)), 64);
                    }
                }
                while (got.size() < 20 + 3 * CAPACITY / 128 && System.nanoTime() - deadline < 0) {
                    next.read((type, message) -> got.add(Payload.verifyContent(message)), 64, 100, TimeUnit.MILLISECONDS);
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long seq = 0; seq < 20 + 3 * CAPACITY / 128; seq++) {
                expected.add(seq);
            }
            assertEquals(expected, got, "the dead consumer's batch (delivered to it, then again), then everything after it");
            assertEquals(0, ring.unblockedRecords());
        }
    }

    /**
     * The one consumer of an MPSC ring is killed after it zeroed the records it read and before it moved
     * the head past them. The next consumer must neither stall at the zeroed space (the producer would
     * wait for room for ever) nor read it as messages: it goes on with the first message after them.
     */
    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"MPSC"})
    void aConsumerKilledWhileReleasingLeavesNoGapForTheNext(RingKind kind) throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            RingTesting.offerSeqs(producer, 0, 20, MESSAGE);
            try (ChildJvm first = ChildJvm.start(RingFaultChildren.StopBeforeHeadRelease.class,
                    RingChildren.args(temp, kind, CAPACITY, stall))) {
                assertEquals("RELEASING 20", first.awaitLine("RELEASING", STEP), "it read all 20 and zeroed them");
                first.kill();
            }
            List<Long> got = new ArrayList<>();
            try (RingConsumer next = ring.consumer()) {
                for (int seq = 20; seq < 40; seq++) {
                    assertTrue(producer.offer(TYPE, Payload.ofLength(0, seq, MESSAGE), 5, TimeUnit.SECONDS), "room for " + seq);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got.size() < 20 && System.nanoTime() - deadline < 0) {
                    next.read((type, message) -> got.add(Payload.verifyContent(message)), 64, 100, TimeUnit.MILLISECONDS);
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long seq = 20; seq < 40; seq++) {
                expected.add(seq);
            }
            assertEquals(expected, got, "the messages after the released ones, once each");
        }
    }
}
