package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a ring gives back when a consumer's handler throws, for every ring kind. */
class RingHandlerFailureTest {

    @TempDir
    Path temp;

    /** A handler that fails at the third of five messages and records when beforeRelease is called. */
    static final class FailingAtThird implements MessageHandler {
        final boolean failFlush;
        final List<Integer> flushedAfter = new ArrayList<>();
        int seen;

        FailingAtThird(boolean failFlush) {
            this.failFlush = failFlush;
        }

        @Override
        public void onMessage(int type, MemorySegment message) {
            Payload.verify(message);
            if (++seen == 3) {
                throw new IllegalStateException("the third fails");
            }
        }

        @Override
        public void beforeRelease() {
            flushedAfter.add(seen);
            if (failFlush) {
                throw new IllegalStateException("the flush fails");
            }
        }
    }

    /**
     * A handler that throws has seen some messages: they (and the one that threw) are given back only
     * after its beforeRelease, so one that buffers can flush them first; the rest stay for the next read.
     * If beforeRelease fails too, nothing is given back.
     */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aHandlerThatThrowsIsFlushedBeforeWhatItSawIsGivenBack(RingKind kind) throws Exception {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(4096, 1000));
            readAfterFailures(ring);
        }
    }

    private static void readAfterFailures(Ring ring) throws Exception {
        RingProducer producer = ring.producer();
        RingConsumer consumer = ring.consumer();
        for (int seq = 0; seq < 5; seq++) {
            assertTrue(producer.offer(TYPE, Payload.of(0, seq)));
        }
        FailingAtThird failsTwice = new FailingAtThird(true);
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> consumer.read(failsTwice, 10));
        assertEquals("the third fails", both.getMessage());
        assertEquals("the flush fails", both.getSuppressed()[0].getMessage());
        assertEquals(List.of(3), failsTwice.flushedAfter);
        FailingAtThird fails = new FailingAtThird(false);
        assertThrows(IllegalStateException.class, () -> consumer.read(fails, 10), "all five again: nothing was given back");
        assertEquals(List.of(3), fails.flushedAfter, "flushed once, after the three it saw");
        RingTesting.Tracker rest = new RingTesting.Tracker(1, false);
        assertEquals(2, consumer.read(rest, 10));
        assertTrue(rest.seen[0].get(3) && rest.seen[0].get(4), "the two after the one that threw");
    }

}
