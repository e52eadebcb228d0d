package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingLayout.INT;
import static dev.ringfork.core.ring.RingLayout.LONG;
import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producer and consumer table words in states that crashes and races leave behind (written here directly,
 * as the process that would leave them cannot be stopped at that exact point from outside): each must be
 * told apart from corruption, and real corruption of them reported as such, never a hang or a raw
 * exception.
 */
class RingSlotStateTest {

    static final int CAPACITY = 4096;
    static final int MESSAGE = RingWaitBoundsTest.MESSAGE;
    static final int RECORD = 128;
    static final long STALL_MILLIS = 100;
    /** Our pid with another start time: an earlier, dead process that had this pid. */
    static final long DEAD_SELF = (Ring.SELF.pid() << 42) | ((Ring.SELF.startTime() + 1) & ((1L << 42) - 1));

    @TempDir
    Path temp;
    private SharedRegion region;

    @AfterEach
    void close() {
        if (region != null) {
            region.close();
        }
    }

    private Ring ring(RingKind kind) {
        region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp));
        return RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, STALL_MILLIS));
    }

    /** Moves {@code laps} ring-fulls of messages through, so positions are past their first lap. */
    private static void cycle(RingProducer producer, RingConsumer consumer, int laps) {
        for (int lap = 0; lap < laps; lap++) {
            int put = RingWaitBoundsTest.fill(producer, 0);
            int got = 0;
            while (got < put) {
                got += consumer.read((type, message) -> Payload.verifyContent(message), 64);
            }
        }
    }

    private static long head(Ring ring) {
        return (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
    }

    /**
     * A consumer dies after raising the orphan count and before marking its slot ORPHANED (or a consumer
     * dies after adopting a slot and before lowering it): the count stays above the orphans there are.
     * The stream must still end once closed and drained.
     */
    @Test
    void aStaleOrphanCountDoesNotKeepTheStreamFromEnding() throws Exception {
        Ring ring = ring(RingKind.MPMC);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        assertTrue(producer.offer(TYPE, Payload.ofLength(0, 0, MESSAGE)));
        assertEquals(1, consumer.read((type, message) -> Payload.verifyContent(message), 8));
        INT.setVolatile(ring.ring, RingLayout.ORPHANS_OFFSET, 1);
        ring.close();
        assertEquals(-1, consumer.read((type, message) -> { }, 8, 5, TimeUnit.SECONDS), "the end of the stream");
        assertTrue(consumer.isEndOfStream());
    }

    /**
     * An earlier process with our pid died mid-claim: its producer slot announces the claim and the record
     * says "being written by" our pid. That we, alive, have the same pid must not keep its record waiting
     * for ever: its slot's identity (pid and start time) shows it dead.
     */
    @Test
    void aDeadWritersRecordIsPaddedThoughALiveProcessHasItsPid() throws Exception {
        Ring ring = ring(RingKind.MPSC);
        RingConsumer consumer = ring.consumer();
        RingProducer producer = ring.producer();
        assertTrue(producer.offer(TYPE, Payload.ofLength(0, 0, MESSAGE))); // this thread's slot: us, alive
        assertEquals(1, consumer.read((type, message) -> Payload.verifyContent(message), 8));
        long position = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        int slot = ring.producerSlots - 1;
        LONG.setVolatile(ring.ring, ProducerSlot.base(slot) + ProducerSlot.OWNER_OFFSET, DEAD_SELF);
        LONG.setVolatile(ring.ring, ProducerTable.claiming(slot), position);
        LONG.setVolatile(ring.buffer, (long) ((int) position & (CAPACITY - 1)),
                RecordLayout.header(-RECORD, (int) Ring.SELF.pid()));
        LONG.setVolatile(ring.ring, RingLayout.TAIL_OFFSET, position + RECORD);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ring.unblockedRecords() == 0 && System.nanoTime() - deadline < 0) {
            consumer.read((type, message) -> { }, 8, 100, TimeUnit.MILLISECONDS);
        }
        assertEquals(1, ring.unblockedRecords(), "the dead writer's record is padded: " + ring);
        assertTrue(producer.offer(TYPE, Payload.ofLength(0, 1, MESSAGE)));
        List<Long> got = new ArrayList<>();
        consumer.read((type, message) -> got.add(Payload.verifyContent(message)), 8, 5, TimeUnit.SECONDS);
        assertEquals(List.of(1L), got);
    }

    /**
     * A consumer reads the head, is descheduled for more than a lap of traffic, then announces that old
     * position (it re-checks the head next and withdraws). A producer that looks meanwhile must not take
     * the stale announcement for a corrupt ring.
     */
    @Test
    void anAnnouncementALapBehindIsStaleNotCorrupt() throws Exception {
        Ring ring = ring(RingKind.MPMC);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();       // slot 0
        RingConsumer descheduled = ring.consumer();    // slot 1
        cycle(producer, consumer, 3);
        long stale = head(ring) - CAPACITY - RECORD;
        long reading = ring.consumers.at(1, ConsumerSlot.READING_OFFSET);
        LONG.setVolatile(ring.ring, reading, stale);
        try {
            assertEquals(CAPACITY / RECORD, RingWaitBoundsTest.fill(producer, 0), "the producer fills the ring");
        } finally {
            LONG.setVolatile(ring.ring, reading, ConsumerSlot.IDLE);
        }
        descheduled.close();
    }

    /**
     * A free consumer slot whose position word holds a stray value (nobody owns the slot, so nobody will
     * ever reset it) must not hold producers back: messages keep flowing lap after lap.
     */
    @Test
    void aStrayPositionInAFreeConsumerSlotDoesNotHoldProducersBack() throws Exception {
        Ring ring = ring(RingKind.MPMC);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        cycle(producer, consumer, 1);
        int free = ring.consumerSlots - 1;
        assertEquals(ConsumerSlot.FREE, ring.consumers.owner(free));
        LONG.setVolatile(ring.ring, ring.consumers.at(free, ConsumerSlot.READING_OFFSET), head(ring) - CAPACITY / 2);
        for (int seq = 0; seq < 10 * CAPACITY / RECORD; seq++) {
            assertTrue(producer.offer(TYPE, Payload.ofLength(0, seq, MESSAGE), 5, TimeUnit.SECONDS), "room for " + seq);
            assertEquals(1, consumer.read((type, message) -> Payload.verifyContent(message), 1, 5, TimeUnit.SECONDS));
        }
    }

    /**
     * A dead consumer's slot whose "release to" word is impossible (past its end, by more than the
     * capacity): recovering it reports the ring corrupt, naming the slot, instead of zeroing out of bounds.
     */
    @Test
    void anImpossibleWordInADeadConsumersSlotIsReportedAsCorruption() throws Exception {
        Ring ring = ring(RingKind.MPMC);
        RingProducer producer = ring.producer();
        RingTesting.offerSeqs(producer, 0, 4, MESSAGE);
        int slot = 2;
        long head = head(ring);
        LONG.setVolatile(ring.ring, ring.consumers.at(slot, ConsumerSlot.END_OFFSET), head + RECORD);
        LONG.setVolatile(ring.ring, ring.consumers.at(slot, ConsumerSlot.RELEASE_TO_OFFSET), head + 3L * CAPACITY);
        INT.setVolatile(ring.ring, ring.consumers.at(slot, ConsumerSlot.PHASE_OFFSET), ConsumerSlot.PHASE_RELEASING);
        LONG.setVolatile(ring.ring, ring.consumers.at(slot, ConsumerSlot.READING_OFFSET), head);
        LONG.setVolatile(ring.ring, ring.consumers.at(slot, ConsumerSlot.OWNER_OFFSET), DEAD_SELF);
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (RingConsumer consumer = ring.consumer()) {
                consumer.read((type, message) -> { }, 8, 2, TimeUnit.SECONDS);
            }
        });
        assertEquals(RingCorruptedException.class, e.getClass(), "exception: " + e);
        assertTrue(e.getMessage().contains("consumer slot " + slot), e.getMessage());
    }

    /**
     * The single consumer died while giving back a batch and the head word is damaged (misaligned): the
     * next consumer, finishing the dead one's release, reports the corruption instead of writing out of
     * bounds.
     */
    @Test
    void finishingADeadConsumersReleaseChecksTheHeadFirst() throws Exception {
        Ring ring = ring(RingKind.SPSC);
        RingProducer producer = ring.producer();
        RingTesting.offerSeqs(producer, 0, 4, MESSAGE);
        long lap = 2L * CAPACITY;
        LONG.setVolatile(ring.ring, RingLayout.TAIL_OFFSET, lap + 4L * RECORD);
        LONG.setVolatile(ring.ring, ring.consumers.at(0, ConsumerSlot.RELEASE_TO_OFFSET), lap + 2L * RECORD);
        LONG.setVolatile(ring.ring, ring.consumers.at(0, ConsumerSlot.OWNER_OFFSET), DEAD_SELF);
        LONG.setVolatile(ring.ring, RingLayout.HEAD_OFFSET, lap - 2);
        RuntimeException e = assertThrows(RuntimeException.class, ring::consumer);
        assertEquals(RingCorruptedException.class, e.getClass(), "exception: " + e);
    }

    @Test
    void aStallTimeoutTooShortToSleepIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingOptions.defaults().withStallTimeout(Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("at least"), e.getMessage());
    }
}
