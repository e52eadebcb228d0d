package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RingProducer / RingConsumer contract, for every ring kind. */
class RingContractTest {

    @TempDir
    Path temp;

    private SharedRegion region;

    @AfterEach
    void closeRegion() {
        if (region != null) {
            region.close();
        }
    }

    private Ring ring(RingKind kind, int capacity) {
        region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp));
        return RingTesting.open(kind, region, RING, RingTesting.options(capacity, 1000));
    }

    /** One message as read: type and a copy of its bytes, plus where it lay in memory. */
    record Got(int type, byte[] bytes, long address) {
    }

    static final class Collect implements MessageHandler {
        final List<Got> got = new ArrayList<>();

        @Override
        public void onMessage(int type, MemorySegment message) {
            assertTrue(message.isReadOnly(), "handlers get a read-only view");
            got.add(new Got(type, message.toArray(ValueLayout.JAVA_BYTE), message.address()));
        }
    }

    static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 13 + i);
        }
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void claimedRecordIsInvisibleUntilCommittedAndAbortedOnesAreSkipped(RingKind kind) {
        Ring ring = ring(kind, 4096);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        Collect collect = new Collect();

        RingClaim first = producer.tryClaim(TYPE, 20);
        assertNotNull(first);
        assertEquals(20, first.length());
        assertEquals(20, first.buffer().byteSize());
        first.buffer().copyFrom(MemorySegment.ofArray(bytes(20, 1)));
        long firstAddress = first.buffer().address();
        RingClaim aborted = producer.tryClaim(TYPE + 1, 12);
        aborted.buffer().fill((byte) 0x77);
        aborted.abort();
        assertTrue(producer.offer(TYPE + 2, MemorySegment.ofArray(bytes(5, 2))));

        assertEquals(0, consumer.read(collect, 10), "nothing is visible while the first record is uncommitted");
        assertEquals(List.of(), collect.got);
        assertTrue(ring.backlogBytes() > 0);

        first.commit();
        assertThrows(IllegalStateException.class, first::commit, "a claim is committed once");
        assertThrows(IllegalStateException.class, first::abort);
        assertThrows(IllegalStateException.class, aborted::commit);
        assertThrows(IllegalStateException.class, first::buffer);

        assertEquals(2, consumer.read(collect, 10));
        assertEquals(2, collect.got.size(), "the aborted record is skipped");
        assertEquals(TYPE, collect.got.get(0).type());
        assertArrayEquals(bytes(20, 1), collect.got.get(0).bytes());
        assertEquals(firstAddress, collect.got.get(0).address(), "read in place where it was written (zero-copy)");
        assertEquals(TYPE + 2, collect.got.get(1).type());
        assertArrayEquals(bytes(5, 2), collect.got.get(1).bytes());
        assertEquals(0, consumer.read(collect, 10));
        assertEquals(0, ring.backlogBytes());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void readDeliversAtMostLimitMessagesInOrder(RingKind kind) throws Exception {
        Ring ring = ring(kind, 4096);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        for (int seq = 0; seq < 10; seq++) {
            assertTrue(producer.offer(TYPE, Payload.of(0, seq)));
        }
        RingTesting.Tracker tracker = new RingTesting.Tracker(1, true);
        assertEquals(3, consumer.read(tracker, 3));
        assertEquals(3, tracker.count);
        assertEquals(1, consumer.read(tracker, 1));
        assertEquals(4, tracker.count);
        assertEquals(6, consumer.read(tracker, 100, 5, TimeUnit.SECONDS));
        assertEquals(10, tracker.count);
        assertEquals(0, consumer.read(tracker, 100));
        assertEquals(List.of(), tracker.errors);
        assertEquals(10, tracker.seen[0].cardinality());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void messagesOfEverySizePassThroughManyWraps(RingKind kind) {
        Ring ring = ring(kind, 1024);
        int max = ring.maxMessageLength();
        assertEquals(1024 / 8 - 8, max);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        int[] expected = {0};
        long[] bytesRead = {0};
        MessageHandler check = (type, message) -> {
            int seq = expected[0]++;
            int length = seq % (max + 1);
            assertEquals(TYPE + seq % 3, type, "type of message " + seq);
            assertEquals(length, message.byteSize(), "length of message " + seq);
            assertArrayEquals(bytes(length, seq), message.toArray(ValueLayout.JAVA_BYTE), "bytes of message " + seq);
            bytesRead[0] += length;
        };
        int messages = 20 * (max + 1); // every length 0..max, twenty times
        int fullRing = 0;
        for (int seq = 0; seq < messages; seq++) {
            int length = seq % (max + 1);
            MemorySegment message = MemorySegment.ofArray(bytes(length, seq));
            if (!producer.offer(TYPE + seq % 3, message)) {
                fullRing++;
                assertTrue(consumer.read(check, 1 + seq % 5) > 0, "a full ring has something to read");
                while (!producer.offer(TYPE + seq % 3, message)) {
                    assertTrue(consumer.read(check, 1 + seq % 5) > 0, "a full ring has something to read");
                }
            }
        }
        while (consumer.read(check, 7) > 0) {
            // drain
        }
        assertEquals(messages, expected[0]);
        assertTrue(fullRing > 100, "the ring was full " + fullRing + " times");
        assertTrue(bytesRead[0] > 50L * ring.capacity(), "the ring wrapped more than 50 times");
        assertEquals(0, ring.backlogBytes());
        // The largest message fits an empty ring wherever the wrap falls.
        for (int round = 0; round < 40; round++) {
            int shift = round;
            assertTrue(producer.offer(TYPE, MemorySegment.ofArray(bytes(shift * 8 % 100, shift))));
            assertEquals(1, consumer.read((t, m) -> { }, 10));
            RingClaim big = producer.tryClaim(TYPE, max);
            assertNotNull(big, "max-length claim at shift " + shift);
            big.buffer().fill((byte) shift);
            big.commit();
            int[] got = {0};
            assertEquals(1, consumer.read((t, m) -> {
                assertEquals(max, m.byteSize());
                assertEquals((byte) shift, m.get(ValueLayout.JAVA_BYTE, max - 1));
                got[0]++;
            }, 10));
            assertEquals(1, got[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void offerBatchWritesWhatFitsInOrder(RingKind kind) {
        Ring ring = ring(kind, 1024);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        MemorySegment[] batch = new MemorySegment[22];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = MemorySegment.ofArray(bytes(56, i)); // 64-byte records: 16 fill the ring (SPSC 15)
        }
        int fit = RingTesting.recordsThatFit(kind, 1024, 64);
        assertEquals(fit, producer.offerBatch(TYPE, batch, 2, 20), "as many as fit now");
        assertEquals(0, producer.offerBatch(TYPE, batch, 2 + fit, 4), "the ring is full");
        Collect collect = new Collect();
        assertEquals(fit, consumer.read(collect, 100));
        for (int i = 0; i < fit; i++) {
            assertArrayEquals(bytes(56, i + 2), collect.got.get(i).bytes(), "message " + i);
        }
        int rest = 20 - fit;
        assertEquals(rest, producer.offerBatch(TYPE, batch, 2 + fit, rest));
        assertEquals(0, producer.offerBatch(TYPE, batch, 0, 0));
        collect.got.clear();
        assertEquals(rest, consumer.read(collect, 100));
        for (int i = 0; i < rest; i++) {
            assertArrayEquals(bytes(56, i + 2 + fit), collect.got.get(i).bytes());
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void tooLargeMessageIsRefusedNamingBothSizes(RingKind kind) {
        Ring ring = ring(kind, 4096);
        RingProducer producer = ring.producer();
        int max = ring.maxMessageLength();
        assertEquals(504, max);
        MessageTooLargeException claim = assertThrows(MessageTooLargeException.class, () -> producer.tryClaim(TYPE, max + 1));
        assertTrue(claim.getMessage().contains("505") && claim.getMessage().contains("504"), claim.getMessage());
        MessageTooLargeException offer = assertThrows(MessageTooLargeException.class,
                () -> producer.offer(TYPE, MemorySegment.ofArray(new byte[2000])));
        assertTrue(offer.getMessage().contains("2000") && offer.getMessage().contains("504"), offer.getMessage());
        assertThrows(MessageTooLargeException.class,
                () -> producer.offer(TYPE, MemorySegment.ofArray(new byte[max + 1]), 1, TimeUnit.SECONDS));
        assertThrows(MessageTooLargeException.class, () -> producer.claim(TYPE, max + 1, 1, TimeUnit.SECONDS));
        assertThrows(MessageTooLargeException.class,
                () -> producer.offerBatch(TYPE, new MemorySegment[] {MemorySegment.ofArray(new byte[max + 1])}, 0, 1));
        assertEquals(0, ring.backlogBytes(), "nothing was claimed");
        assertTrue(producer.offer(TYPE, MemorySegment.ofArray(new byte[max])), "the maximum itself fits");
        assertEquals(1, ring.consumer().read((t, m) -> assertEquals(max, m.byteSize()), 10));
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void nonPositiveTypeIsRejected(RingKind kind) throws Exception {
        Ring ring = ring(kind, 4096);
        RingProducer producer = ring.producer();
        MemorySegment message = MemorySegment.ofArray(new byte[8]);
        for (int type : new int[] {0, -1, RecordLayout.PADDING, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(type, 8));
            assertTrue(e.getMessage().contains(Integer.toString(type)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> producer.offer(type, message));
            assertThrows(IllegalArgumentException.class, () -> producer.offer(type, message, 1, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> producer.claim(type, 8, 1, TimeUnit.SECONDS));
        }
        assertEquals(0, ring.backlogBytes(), "nothing was claimed");
        assertTrue(producer.offer(1, message));
        assertTrue(producer.offer(Integer.MAX_VALUE, message));
        Collect collect = new Collect();
        assertEquals(2, ring.consumer().read(collect, 10));
        assertEquals(1, collect.got.get(0).type());
        assertEquals(Integer.MAX_VALUE, collect.got.get(1).type());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void closeLetsConsumersDrainThenEndsTheStream(RingKind kind) throws Exception {
        Ring ring = ring(kind, 4096);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        for (int seq = 0; seq < 5; seq++) {
            assertTrue(producer.offer(TYPE, Payload.of(0, seq)));
        }
        producer.tryClaim(TYPE, 30).abort(); // a skipped record at the end changes nothing
        assertFalse(ring.isClosed());
        producer.close();
        assertTrue(ring.isClosed());
        assertFalse(consumer.isEndOfStream(), "committed messages are still there");
        RingTesting.Tracker tracker = new RingTesting.Tracker(1, true);
        assertEquals(2, consumer.read(tracker, 2, 5, TimeUnit.SECONDS));
        assertFalse(consumer.isEndOfStream());
        assertEquals(3, consumer.read(tracker, 10, 5, TimeUnit.SECONDS));
        assertEquals(-1, consumer.read(tracker, 10, 5, TimeUnit.SECONDS));
        assertTrue(consumer.isEndOfStream());
        assertEquals(-1, consumer.read(tracker, 10, 5, TimeUnit.SECONDS), "stays at the end");
        assertEquals(5, tracker.count);
        assertEquals(List.of(), tracker.errors);
        // Another consumer attaching later sees the end of the stream too.
        consumer.close();
        RingConsumer late = ring.consumer();
        assertEquals(-1, late.read(tracker, 10, 5, TimeUnit.SECONDS));
        assertTrue(late.isEndOfStream());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void writingAfterCloseThrows(RingKind kind) {
        Ring ring = ring(kind, 4096);
        RingProducer producer = ring.producer();
        ring.close();
        MemorySegment message = MemorySegment.ofArray(new byte[8]);
        RingClosedException e = assertThrows(RingClosedException.class, () -> producer.tryClaim(TYPE, 8));
        assertTrue(e.getMessage().contains(RING), e.getMessage());
        assertThrows(RingClosedException.class, () -> producer.offer(TYPE, message));
        assertThrows(RingClosedException.class, () -> producer.offer(TYPE, message, 1, TimeUnit.SECONDS));
        assertThrows(RingClosedException.class, () -> producer.claim(TYPE, 8, 1, TimeUnit.SECONDS));
        assertThrows(RingClosedException.class, () -> producer.offerBatch(TYPE, new MemorySegment[] {message}, 0, 1));
        assertThrows(RingClosedException.class, () -> ring.producer().tryClaim(TYPE, 8), "a new producer too");
        assertEquals(0, ring.backlogBytes());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void readWithTimeoutReturnsZeroOnAnEmptyRing(RingKind kind) throws Exception {
        Ring ring = ring(kind, 4096);
        RingConsumer consumer = ring.consumer();
        Collect collect = new Collect();
        assertEquals(0, consumer.read(collect, 10, 50, TimeUnit.MILLISECONDS));
        assertEquals(0, consumer.read(collect, 10, 0, TimeUnit.MILLISECONDS));
        assertEquals(0, consumer.read(collect, 10));
        assertFalse(consumer.isEndOfStream());
        assertEquals(List.of(), collect.got);
        assertEquals(0, ring.sleepingConsumers(), "nobody left asleep");
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void attachingAsAnotherKindIsRefused(RingKind kind) {
        Ring ring = ring(kind, 4096);
        assertEquals(kind, ring.kind());
        for (RingKind other : RingKind.values()) {
            if (other == kind) {
                assertEquals(kind, RingTesting.open(other, region, RING, RingOptions.defaults()).kind(),
                        "the same kind attaches, whatever the options");
                continue;
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RingTesting.open(other, region, RING, RingTesting.options(4096, 1000)));
            assertTrue(e.getMessage().contains(kind.name()) && e.getMessage().contains(other.name())
                    && e.getMessage().contains(RING), e.getMessage());
        }
        assertEquals(4096, RingTesting.open(kind, region, RING, RingTesting.options(1 << 16, 1000)).capacity(),
                "an existing ring keeps its capacity");
    }

    /**
     * A producer in another process blocks on a full ring and is released when this process reads one
     * message; its message arrives after everything that was already there.
     */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void blockingOfferWaitsForRoomAndIsReleasedByAConsumer(RingKind kind) throws Exception {
        int capacity = 1024;
        Ring ring = ring(kind, capacity);
        RingConsumer consumer = ring.consumer();
        RingProducer producer = ring.producer();
        int filled = 0;
        while (producer.offer(TYPE, MemorySegment.ofArray(bytes(32, filled)))) {
            filled++; // 40-byte records
        }
        int sent = filled;
        assertEquals(25, sent, "25 records of 40 bytes fill 1,000 of 1,024 bytes");
        int childLength = Payload.length(1, 0);
        assertEquals(40, RecordLayout.aligned(childLength + RecordLayout.HEADER_LENGTH),
                "the child's record needs 40 bytes: it fits only at offset 0, after one read");
        long backlog = ring.backlogBytes();
        // For SPSC the child takes over as the one producer (its producer starts at the shared tail), once
        // this process has given the role up: a second live producer process is refused.
        producer.release();
        try (ChildJvm child = ChildJvm.start(RingChildren.BlockingOffer.class,
                RingChildren.args(temp, kind, capacity, 1000, 1, 0))) {
            child.awaitLine("OFFERING", STEP);
            long deadline = System.nanoTime() + STEP.toNanos();
            while (ring.sleepingProducers() == 0 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            assertEquals(1, ring.sleepingProducers(), "the child sleeps waiting for room");
            assertEquals(backlog, ring.backlogBytes(), "and has claimed nothing");
            assertFalse(child.output().contains("OFFERED"), child.output());

            // One read of one record makes room for the child's at offset 0; an SPSC ring also keeps a
            // header's room free past the tail, which takes one more.
            Collect collect = new Collect();
            int toRead = kind == RingKind.SPSC ? 2 : 1;
            assertEquals(toRead, consumer.read(collect, toRead));
            assertEquals("OFFERED true", child.awaitLine("OFFERED", STEP), "one read released the producer");
            child.awaitSuccess(STEP);

            int[] seen = {toRead - 1};
            long[] child1 = {-1};
            while (seen[0] < sent && consumer.read((type, message) -> {
                int seq = ++seen[0];
                if (seq < sent) {
                    assertArrayEquals(bytes(32, seq), message.toArray(ValueLayout.JAVA_BYTE), "message " + seq);
                } else {
                    child1[0] = Payload.verify(message);
                }
            }, 100, 5, TimeUnit.SECONDS) > 0) {
                // drain
            }
            assertEquals(sent, seen[0], "the rest and the child's");
            assertEquals(1L << 32, child1[0], "the child's message (producer 1, seq 0) came last");
            assertEquals(0, consumer.read(collect, 100));
            assertEquals(0, ring.sleepingProducers());
        }
    }
}
