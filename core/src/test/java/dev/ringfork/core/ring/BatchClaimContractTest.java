package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch-claim part of the RingProducer / RingConsumer contract, for every ring kind. */
class BatchClaimContractTest {

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

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void batchClaimIsInvisibleUntilCommittedThenArrivesInOrder(RingKind kind) {
        Ring ring = ring(kind, 1024);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        RingContractTest.Collect collect = new RingContractTest.Collect();

        BatchClaim run = producer.tryClaimBatch(TYPE, 24, 100); // 32-byte records: 32 fill the ring (SPSC 31)
        assertNotNull(run);
        int fit = RingTesting.recordsThatFit(kind, 1024, 32);
        assertEquals(fit, run.count(), "as many as fit");
        assertEquals(24, run.length());
        for (int i = 0; i < run.count(); i++) {
            if (i % 2 == 0) {
                run.buffer(i).copyFrom(MemorySegment.ofArray(RingContractTest.bytes(24, i)));
            } else {
                MemorySegment.copy(RingContractTest.bytes(24, i), 0, run.segment(), ValueLayout.JAVA_BYTE, run.offset(i), 24);
            }
        }
        assertNull(producer.tryClaimBatch(TYPE, 24, 1), "the ring is full");
        assertEquals(0, consumer.read(collect, 100), "nothing is visible before the commit");
        run.commit();
        assertThrows(IllegalStateException.class, run::commit, "a batch claim is committed once");
        assertEquals(fit, consumer.read(collect, 100));
        for (int i = 0; i < fit; i++) {
            assertEquals(TYPE, collect.got.get(i).type());
            assertArrayEquals(RingContractTest.bytes(24, i), collect.got.get(i).bytes(), "message " + i);
        }
        assertEquals(0, ring.backlogBytes());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void batchClaimsPadAtTheWrapAndPartialCommitsAndAbortsAreSkipped(RingKind kind) {
        Ring ring = ring(kind, 1024);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        RingContractTest.Collect collect = new RingContractTest.Collect();
        int seed = 0;
        int expected = 0;
        for (int lap = 0; lap < 40; lap++) {
            // 48-byte records do not divide 1024: runs end short of the wrap and the next one pads there.
            BatchClaim run = producer.tryClaimBatch(TYPE, 40, 7);
            assertNotNull(run, "lap " + lap);
            assertTrue(run.count() >= 1 && run.count() <= 7);
            for (int i = 0; i < run.count(); i++) {
                run.buffer(i).copyFrom(MemorySegment.ofArray(RingContractTest.bytes(40, seed + i)));
            }
            int commit = lap % 5 == 4 ? 0 : lap % 3 == 0 ? run.count() / 2 : run.count();
            if (commit == 0) {
                run.abort();
            } else {
                run.commit(commit);
            }
            collect.got.clear();
            int read = consumer.read(collect, 100);
            assertEquals(commit, read, "lap " + lap + ": the committed part only");
            for (int i = 0; i < commit; i++) {
                assertArrayEquals(RingContractTest.bytes(40, seed + i), collect.got.get(i).bytes(), "lap " + lap + " message " + i);
            }
            expected += commit;
            seed += run.count();
            assertEquals(0, ring.backlogBytes(), "lap " + lap);
        }
        assertTrue(expected > 100);
        BatchClaim run = producer.tryClaimBatch(TYPE, 40, 3);
        assertThrows(IllegalArgumentException.class, () -> run.commit(run.count() + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> run.offset(run.count()));
        run.abort();
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaimBatch(TYPE, 40, 0));
        assertThrows(MessageTooLargeException.class, () -> producer.tryClaimBatch(TYPE, ring.maxMessageLength() + 1, 2));
    }
}
