package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.ring.RingTesting.Tracker;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RecordLayout.HEADER_LENGTH;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RingLayout.LONG;
import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * White-box: the multi-producer states that a kill cannot be timed to hit, replayed step by step with the
 * same memory operations as {@link MultiProducer#claimIndex}: announce the claim in a producer slot, move
 * the tail, then (later) write the header.
 */
class StallWatchTest {

    @TempDir
    Path temp;

    /** A process identity that is not alive: this JVM's pid with another start time (a dead incarnation). */
    static long deadOwner() {
        ProcessIdentity self = ProcessIdentity.current();
        return new ProcessIdentity(self.pid(), self.startTime() + 12_345).packed();
    }

    /** Plants a dead writer in a free producer slot that announces a claim at {@code position}; returns the slot. */
    static int plantDeadWriter(Ring ring, long position) {
        for (int slot = ring.producerSlots - 1; slot >= 0; slot--) {
            long owner = ProducerSlot.base(slot) + ProducerSlot.OWNER_OFFSET;
            if ((long) LONG.getVolatile(ring.ring, owner) == ProducerSlot.FREE) {
                LONG.setVolatile(ring.ring, ProducerTable.claiming(slot), position);
                LONG.setVolatile(ring.ring, owner, deadOwner());
                return slot;
            }
        }
        throw new AssertionError("no free producer slot");
    }

    /**
     * Writer D announces a 64-byte claim, moves the tail and dies before writing its header; writer Q
     * (alive, this thread) claims the space right after it and stalls before writing its own. After the
     * stall timeout the consumer pads exactly D's space (up to Q's announced start), never Q's; Q then
     * writes its header plainly, and its message arrives exactly once, also laps later.
     */
    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"MPSC", "MPMC"})
    void aDeadClaimIsPaddedUpToTheNextAnnouncedClaimAndTheSlowWriterBehindItIsKept(RingKind kind) throws Exception {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(4096, 50));
            RingConsumer consumer = ring.consumer();
            MemorySegment buffer = ring.buffer;
            int mask = ring.capacity - 1;

            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            plantDeadWriter(ring, tail);
            assertTrue(LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, tail, tail + 64));
            int qLength = Payload.length(1, 0);
            int qRecord = qLength + HEADER_LENGTH;
            long qPosition = tail + 64;
            LONG.set(ring.ring, ring.producers.claimingOffsetOfThisThread(), qPosition);
            assertTrue(LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, qPosition, qPosition + aligned(qRecord)));
            int qIndex = (int) qPosition & mask;

            Tracker tracker = new Tracker(2, kind != RingKind.MPMC);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ring.unblockedRecords() == 0 && System.nanoTime() - deadline < 0) {
                assertEquals(0, consumer.read(tracker, 64));
                Thread.onSpinWait();
            }
            assertEquals(1, ring.unblockedRecords(), "D's space was unblocked");
            assertEquals(header(64, RecordLayout.PADDING), (long) LONG.getVolatile(buffer, (long) ((int) tail & mask)),
                    "one padding record over exactly D's space");
            assertEquals(0L, (long) LONG.getVolatile(buffer, (long) qIndex), "Q's header word untouched");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() - until < 0) {
                assertEquals(0, consumer.read(tracker, 64), "Q is alive: its space is waited for");
            }
            assertEquals(1, ring.unblockedRecords());

            // Q resumes, as MultiProducer.claimIndex does: a plain header store, then the commit.
            LONG.setOpaque(buffer, (long) qIndex, header(-qRecord, Ring.SELF_PID));
            Payload.write(buffer.asSlice(qIndex + HEADER_LENGTH, qLength), 1, 0);
            LONG.setRelease(buffer, (long) qIndex, header(qRecord, TYPE));
            ring.dataBell.ring();

            // Another producer runs the ring through several laps.
            RingProducer producer = ring.producer();
            int sent = 0;
            for (; sent < 400; sent++) {
                while (!producer.offer(TYPE, Payload.of(0, sent))) {
                    assertTrue(consumer.read(tracker, 64, 5, TimeUnit.SECONDS) >= 0);
                }
            }
            ring.close();
            int n;
            while ((n = consumer.read(tracker, 64, 5, TimeUnit.SECONDS)) > 0) {
                // drain
            }
            assertEquals(-1, n, "end of stream; " + ring + ", unblocked " + ring.unblockedRecords());
            assertEquals(List.of(), tracker.errors);
            assertEquals(1, tracker.seen[1].cardinality(), "Q's message arrived once");
            assertEquals(sent, tracker.seen[0].cardinality());
            assertEquals(sent + 1, tracker.count);
            assertEquals(1, ring.unblockedRecords());
        }
    }

    /** Space below the tail that no producer announces: after the stall timeout the ring is reported corrupt. */
    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"MPSC", "MPMC"})
    void spaceBelowTheTailThatNobodyClaimedIsCorruption(RingKind kind) {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(4096, 50));
            RingConsumer consumer = ring.consumer();
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            LONG.setVolatile(ring.ring, RingLayout.TAIL_OFFSET, tail + 64); // a stray write to the tail
            RingCorruptedException e = assertThrows(RingCorruptedException.class, () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() - deadline < 0) {
                    consumer.read((type, message) -> { }, 64, 100, TimeUnit.MILLISECONDS);
                }
            });
            assertEquals(tail, e.position());
            assertEquals(tail + 64, e.word());
            assertEquals(0, ring.unblockedRecords(), "nothing padded");
        }
    }

    /** A "being written" record of a dead writer is padded after the stall timeout, whether or not it still has a slot. */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aRecordBeingWrittenByADeadWriterIsPadded(RingKind kind) throws Exception {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(4096, 50));
            RingProducer producer = ring.producer();
            RingClaim open = producer.tryClaim(TYPE, 16);
            assertTrue(open != null);
            assertTrue(producer.offer(TYPE, Payload.of(0, 0)));
            // Pretend the open claim is a dead process's: its header names a pid that no longer runs.
            LONG.setVolatile(ring.buffer, 0L, header(-(16 + HEADER_LENGTH), (int) deadPid()));
            Tracker tracker = new Tracker(1, true);
            RingConsumer consumer = ring.consumer();
            assertEquals(1, consumer.read(tracker, 64, 30, TimeUnit.SECONDS), "the dead record is skipped");
            assertEquals(1, ring.unblockedRecords());
            assertEquals(List.of(), tracker.errors);
        }
    }

    /** A pid that is not running now: one of a child process that has exited. */
    static long deadPid() throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).start();
        child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        return child.pid();
    }
}
