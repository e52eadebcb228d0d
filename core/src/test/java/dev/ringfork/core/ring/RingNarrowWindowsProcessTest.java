package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTestHooks.Point;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes killed (or threads stopped) between two adjacent steps of the ring protocols, at the points a
 * line-by-line review found unguarded. Each test stops an actor with a {@link RingTestHooks} point and
 * then asserts what the survivors must see: nothing lost that is not counted, nothing delivered twice
 * that a live consumer holds, no corruption reported for a legal state, and no wait without end.
 */
class RingNarrowWindowsProcessTest {

    static final int CAPACITY = 4096;
    static final int MESSAGE = RingWaitBoundsTest.MESSAGE;
    /** Records of {@link #MESSAGE} bytes that fill the ring: 128 bytes each with the header. */
    static final int FULL = CAPACITY / 128;

    @TempDir
    Path temp;

    @AfterEach
    void clearHooks() {
        for (Point point : Point.values()) {
            RingTestHooks.set(point, null);
        }
    }

    private static long await(CountDownLatch latch) {
        try {
            if (!latch.await(STEP.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("no signal within " + STEP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return latch.getCount();
    }

    /** Reads until {@code until} holds or 20 s passed, collecting every message's producer << 32 | seq. */
    private static void readUntil(RingConsumer consumer, List<Long> into, java.util.function.BooleanSupplier until)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!until.getAsBoolean() && System.nanoTime() - deadline < 0) {
            consumer.read((type, message) -> into.add(Payload.verifyContent(message)), 64, 100, TimeUnit.MILLISECONDS);
        }
    }

    private static List<Long> seqs(int producer, int from, int to) {
        List<Long> list = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            list.add(((long) producer << 32) | seq);
        }
        return list;
    }

    /**
     * Writer S announces the tail and is stopped before its compare-and-set; writer W claims that same
     * position (the last room) and is killed before writing its header. S's compare-and-set then fails and
     * it finds no room. S's announcement must not keep vouching for the space: the consumer pads the dead
     * winner's claim once the stall timeout shows it dead, and the ring flows again.
     */
    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"MPSC", "MPMC"})
    void aWriterThatLostTheTailRaceDoesNotKeepADeadWinnersClaimAlive(RingKind kind) throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, stall));
            RingConsumer consumer = ring.consumer();
            RingProducer producer = ring.producer();
            for (int seq = 0; seq < FULL - 1; seq++) {
                assertTrue(producer.offer(TYPE, Payload.ofLength(0, seq, MESSAGE)));
            }
            CountDownLatch announced = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            RingTestHooks.set(Point.BEFORE_TAIL_CAS, () -> {
                RingTestHooks.set(Point.BEFORE_TAIL_CAS, null);
                announced.countDown();
                await(go);
            });
            CompletableFuture<Boolean> loser = new CompletableFuture<>();
            Thread writer = new Thread(() -> loser.complete(producer.offer(TYPE, Payload.ofLength(0, FULL - 1, MESSAGE))));
            writer.start();
            try {
                await(announced);
                try (ChildJvm winner = ChildJvm.start(RingFaultChildren.StallAfterTailClaim.class,
                        RingChildren.args(temp, kind, CAPACITY, stall, 1, 1, 0))) {
                    winner.awaitLine("STALLED", STEP);
                    winner.kill();
                }
            } finally {
                go.countDown();
            }
            assertFalse(loser.get(STEP.toSeconds(), TimeUnit.SECONDS), "the dead winner took the last room");
            List<Long> got = new ArrayList<>();
            readUntil(consumer, got, () -> ring.unblockedRecords() > 0);
            assertEquals(1, ring.unblockedRecords(), "the dead winner's claim is padded: " + ring);
            assertTrue(producer.offer(TYPE, Payload.ofLength(0, FULL - 1, MESSAGE), 10, TimeUnit.SECONDS), "room again");
            readUntil(consumer, got, () -> got.size() == FULL);
            assertEquals(seqs(0, 0, FULL), got);
        }
    }

    /**
     * The producer of an SPSC ring is killed in the middle of a claim (once with a claim that wraps round
     * the end of the buffer). The consumer gets past the dead claim after the stall timeout, the ring is
     * not taken for corrupt, and a new producer carries on.
     */
    @ParameterizedTest(name = "wrapping {0}")
    @ValueSource(booleans = {false, true})
    void anSpscProducerKilledInTheMiddleOfAClaimLeavesTheRingUsable(boolean wrapping) throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.SPSC, region, RING, RingTesting.options(CAPACITY, stall));
            RingConsumer consumer = ring.consumer();
            List<Long> got = new ArrayList<>();
            int stallAt = 2;
            if (wrapping) {
                // Leave the tail one alignment unit before the end of the buffer: the next claim wraps.
                RingProducer first = ring.producer();
                for (int seq = 0; seq < FULL - 1; seq++) {
                    assertTrue(first.offer(TYPE, Payload.ofLength(3, seq, MESSAGE)));
                }
                assertTrue(first.offer(TYPE, Payload.ofLength(3, FULL - 1, MESSAGE - 8)));
                readUntil(consumer, got, () -> got.size() == FULL);
                assertEquals(seqs(3, 0, FULL), got);
                got.clear();
                first.release();
                stallAt = 0;
            }
            try (ChildJvm dead = ChildJvm.start(RingFaultChildren.StallAfterTailClaim.class,
                    RingChildren.args(temp, RingKind.SPSC, CAPACITY, stall, 1, 5, stallAt))) {
                dead.awaitLine("STALLED", STEP);
                dead.kill();
            }
            int sent = stallAt;
            readUntil(consumer, got, () -> ring.unblockedRecords() > 0);
            assertTrue(ring.unblockedRecords() > 0, "the dead claim is padded: " + ring);
            RingProducer next = ring.producer();
            for (int seq = 0; seq < 5; seq++) {
                RingChildren.send(next, 2, seq);
            }
            readUntil(consumer, got, () -> got.size() == sent + 5);
            List<Long> expected = seqs(1, 0, sent);
            expected.addAll(seqs(2, 0, 5));
            assertEquals(expected, got);
        }
    }

    /**
     * A consumer dies holding a message; the process that starts recovering its slot is killed while it
     * holds the slot. The next consumer must finish the recovery (the dead recoverer cannot) and get the
     * message, rather than every later process skipping a slot that stays "being recovered" for ever.
     */
    @Test
    void aRecovererKilledWhileSettlingADeadConsumerIsReplaced() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            RingTesting.offerSeqs(producer, 0, 4, MESSAGE);
            String[] args = RingChildren.args(temp, RingKind.MPMC, CAPACITY, stall);
            try (ChildJvm holder = ChildJvm.start(RingFaultChildren.TakeOneAndHold.class, args)) {
                assertEquals("TOOK 0 0", holder.awaitLine("TOOK", STEP));
                holder.kill();
            }
            try (ChildJvm recoverer = ChildJvm.start(RingFaultChildren.StopWhileRecovering.class, args)) {
                recoverer.awaitLine("RECOVERING", STEP);
                recoverer.kill();
            }
            List<Long> got = new ArrayList<>();
            try (RingConsumer consumer = ring.consumer()) {
                readUntil(consumer, got, () -> got.size() == 4);
            }
            got.sort(null);
            assertEquals(seqs(0, 0, 4), got, "every message once, the dead holder's too");
            assertEquals(1, ring.redeliveredMessages());
            assertEquals(0, ring.lostMessages());
        }
    }

    /**
     * An MPMC consumer's handler throws at the second message of a batch of ten; the consumer gives back
     * the first two and is killed while it marks the other eight as still held. They must reach the next
     * consumer, not vanish uncounted.
     */
    @Test
    void aConsumerKilledWhileKeepingTheRestOfABatchLosesNone() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            RingTesting.offerSeqs(producer, 0, 10, MESSAGE);
            try (ChildJvm keeper = ChildJvm.start(RingFaultChildren.StopWhileKeepingRest.class,
                    RingChildren.args(temp, RingKind.MPMC, CAPACITY, stall))) {
                keeper.awaitLine("KEEPING", STEP);
                keeper.kill();
            }
            List<Long> got = new ArrayList<>();
            try (RingConsumer consumer = ring.consumer()) {
                readUntil(consumer, got, () -> got.size() >= 8 || ring.lostMessages() > 0);
            }
            assertEquals(seqs(0, 2, 10), got, "the eight it still held, once each; lost " + ring.lostMessages());
            assertEquals(0, ring.lostMessages());
        }
    }

    /**
     * Consumer D dies taking (its end stored, the head not yet moved). A recoverer starts on D's slot and is
     * stopped halfway (before this fix: after it had looked at the other slots and found nobody at D's
     * position, before it read the head). A live consumer then takes the records at that position and
     * holds them. The recoverer must not hand the live consumer's records to anyone: D never took them.
     */
    @Test
    void aRecovererLeavesAloneRecordsALiveConsumerTookAfterItLooked() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            RingTesting.offerSeqs(producer, 0, 4, MESSAGE);
            RingConsumer live = ring.consumer();
            try (ChildJvm dying = ChildJvm.start(RingFaultChildren.StopBeforeHeadCas.class,
                    RingChildren.args(temp, RingKind.MPMC, CAPACITY, stall))) {
                dying.awaitLine("TAKING", STEP);
                dying.kill();
            }
            CountDownLatch scanned = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            RingTestHooks.set(Point.RECOVERING_TAKING_MIDWAY, () -> {
                RingTestHooks.set(Point.RECOVERING_TAKING_MIDWAY, null);
                scanned.countDown();
                await(go);
            });
            Thread recoverer = new Thread(ring.consumers::recover);
            recoverer.start();
            List<Long> took = new ArrayList<>();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try {
                    live.read((type, message) -> {
                        took.add(Payload.verifyContent(message));
                        holding.countDown();
                        await(release);
                    }, 64, STEP.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                await(scanned);
                reader.start();
                await(holding);
            } finally {
                go.countDown();
            }
            recoverer.join(STEP.toMillis());
            assertFalse(recoverer.isAlive());
            assertEquals(0, ring.redeliveredMessages(), "nothing the live consumer holds is handed to another");
            release.countDown();
            reader.join(STEP.toMillis());
            List<Long> rest = new ArrayList<>();
            try (RingConsumer other = ring.consumer()) {
                other.read((type, message) -> rest.add(Payload.verifyContent(message)), 64, 500, TimeUnit.MILLISECONDS);
            }
            live.close();
            assertEquals(seqs(0, 0, 4), took);
            assertEquals(List.of(), rest, "no message a second time");
            assertEquals(0, ring.lostMessages());
        }
    }

    /**
     * A writer dies between claiming space and writing its header. Two consumers of an MPMC ring wait at
     * that space; the first to find the writer dead is stopped just before it pads the space. The other
     * must not pad it too (and then take and zero it): the first one's padding would then land in space
     * already given back, a stale header that a later lap's claim exposes. One pads, once.
     */
    @Test
    void twoConsumersNeverBothPadADeadWritersClaim() throws Exception {
        long stall = 100;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, stall));
            RingProducer producer = ring.producer();
            assertTrue(producer.offer(TYPE, Payload.ofLength(0, 0, MESSAGE)));
            long dead = ring.claimedPosition();
            try (ChildJvm writer = ChildJvm.start(RingFaultChildren.StallAfterTailClaim.class,
                    RingChildren.args(temp, RingKind.MPMC, CAPACITY, stall, 1, 1, 0))) {
                writer.awaitLine("STALLED", STEP);
                writer.kill();
            }
            assertTrue(producer.offer(TYPE, Payload.ofLength(0, 1, MESSAGE)));
            RingConsumer first = ring.consumer();
            RingConsumer second = ring.consumer();
            List<Long> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            assertEquals(1, second.read((type, message) -> got.add(Payload.verifyContent(message)), 64));
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Thread[] firstThread = new Thread[1];
            RingTestHooks.set(Point.BEFORE_PAD_CAS, () -> {
                if (Thread.currentThread() == firstThread[0]) {
                    paused.countDown();
                    await(go);
                }
            });
            firstThread[0] = new Thread(() -> {
                try {
                    readUntil(first, got, () -> got.size() == 2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            firstThread[0].start();
            try {
                await(paused);
                // The second consumer waits at the same space for several stall timeouts meanwhile.
                second.read((type, message) -> got.add(Payload.verifyContent(message)), 64, 10 * stall, TimeUnit.MILLISECONDS);
            } finally {
                go.countDown();
            }
            firstThread[0].join(STEP.toMillis());
            readUntil(second, got, () -> got.size() == 2);
            got.sort(null);
            assertEquals(seqs(0, 0, 2), got);
            assertEquals(1, ring.unblockedRecords(), "padded once");
            assertEquals(0L, (long) RingLayout.LONG.getVolatile(ring.buffer, (long) ((int) dead & (CAPACITY - 1))),
                    "no padding header left in space already given back");
            first.close();
            second.close();
        }
    }
}
