package dev.ringfork.core.ring;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * White-box: the multi-producer states that a kill cannot be timed to hit, replayed step by step with the
 * same memory operations as {@link MultiProducer#claimIndex}. A writer D "dies" after moving the tail and
 * before installing its header; a writer Q claims the space right after D's and stalls before installing
 * its header. The consumer unblocks D's space after the stall timeout, which pads every zero word up to
 * the next header, Q's header slot included. Q then resumes (before the consumer reads on) exactly as
 * MultiProducer does: header compare-and-set from zero, and if that fails, claim again. Q's message must
 * arrive exactly once and nothing else may appear, also laps later (RecordLayout: "no message of a live
 * writer is ever skipped").
 *
 * <p>This failed before the fix in StallWatch: one padding header covered the whole span and left Q's
 * header slot zero, so Q's compare-and-set succeeded inside the padding and its message was skipped.
 */
class StallWatchTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"MPSC", "MPMC"})
    void slowWriterBehindADeadClaimIsNeitherSkippedNorDuplicated(RingKind kind) throws Exception {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(4096, 50));
            RingConsumer consumer = ring.consumer();
            MemorySegment buffer = ring.buffer;
            int mask = ring.capacity - 1;

            // D claims 64 bytes and dies before writing its header.
            long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
            assertTrue(LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, tail, tail + 64));
            // Q (alive, slow) claims the next record and has not installed its header yet.
            int qLength = Payload.length(1, 0);
            int qRecord = qLength + HEADER_LENGTH;
            long qPosition = tail + 64;
            assertTrue(LONG.compareAndSet(ring.ring, RingLayout.TAIL_OFFSET, qPosition, qPosition + aligned(qRecord)));
            int qIndex = (int) qPosition & mask;

            Tracker tracker = new Tracker(2, kind != RingKind.MPMC);
            // The consumer polls past the stall timeout and unblocks D's space; the read that does so
            // stops there, so Q resumes while the padding is still in the ring.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ring.unblockedRecords() == 0 && System.nanoTime() - deadline < 0) {
                assertEquals(0, consumer.read(tracker, 64));
                Thread.onSpinWait();
            }
            assertEquals(1, ring.unblockedRecords(), "D's space was unblocked");
            assertTrue((long) LONG.getVolatile(buffer, (long) ((int) tail & mask)) != 0L, "padding is in place, not yet read");

            // Q resumes, as MultiProducer.claimIndex does.
            if (LONG.compareAndSet(buffer, (long) qIndex, 0L, header(-qRecord, Ring.SELF_PID))) {
                MemorySegment message = buffer.asSlice(qIndex + HEADER_LENGTH, qLength);
                Payload.write(message, 1, 0);
                LONG.setRelease(buffer, (long) qIndex, header(qRecord, TYPE));
                ring.dataBell.ring();
            } else {
                assertTrue(ring.producer().offer(TYPE, Payload.of(1, 0)), "Q claims again");
            }

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
        }
    }
}
