package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exception between claim and commit must not wedge the ring: claims are AutoCloseable and closing
 * one that was neither committed nor aborted aborts it. (Left open, the record stops every reader for as
 * long as its live writer lives: shown first.)
 */
class ClaimCloseTest {

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
        return RingTesting.open(kind, region, RING, RingTesting.options(4096, 50));
    }

    private static long next(RingConsumer consumer, List<Long> into) {
        return consumer.read((type, message) -> into.add(message.get(ValueLayout.JAVA_LONG, 0)), 16);
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aClaimLeftOpenStopsReadersAndOneClosedAfterAnExceptionDoesNot(RingKind kind) {
        Ring ring = ring(kind);
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        List<Long> got = new ArrayList<>();

        RingClaim open = producer.tryClaim(TYPE, 8); // left open by a live writer: everything behind waits
        assertTrue(producer.offer(TYPE, MemorySegment.ofArray(new long[] {1})));
        for (int i = 0; i < 100; i++) {
            assertEquals(0, next(consumer, got), "stopped at the open claim");
        }
        open.close(); // aborts it
        assertEquals(1, next(consumer, got));
        assertEquals(List.of(1L), got);

        assertThrows(IllegalStateException.class, () -> {
            try (RingClaim claim = producer.tryClaim(TYPE, 8)) {
                claim.buffer().set(ValueLayout.JAVA_LONG, 0, 99);
                throw new IllegalStateException("the encoder failed");
            }
        });
        try (BatchClaim run = producer.tryClaimBatch(TYPE, 8, 4)) {
            run.segment().set(ValueLayout.JAVA_LONG, run.offset(0), 98);
            // no commit: closing aborts the run
        }
        try (RingClaim claim = producer.tryClaim(TYPE, 8)) {
            claim.buffer().set(ValueLayout.JAVA_LONG, 0, 2);
            claim.commit(); // closing a committed claim does nothing
        }
        assertEquals(1, next(consumer, got), "the next message, past the aborted ones");
        assertEquals(List.of(1L, 2L), got);
    }
}
