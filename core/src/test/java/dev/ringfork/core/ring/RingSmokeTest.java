package dev.ringfork.core.ring;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingSmokeTest {

    @TempDir
    Path temp;

    @Test
    void spscPassesSequencesThroughWraps() throws Exception {
        try (SharedRegion region = SharedRegion.create("r", RegionOptions.defaults().withDirectory(temp))) {
            SpscRing ring = SpscRing.open(region, "ring", RingOptions.defaults().withCapacity(4096));
            RingProducer producer = ring.producer();
            RingConsumer consumer = ring.consumer();
            long[] expected = {0};
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                MemorySegment msg = MemorySegment.ofArray(new long[1 + (i % 7)]);
                msg.set(ValueLayout.JAVA_LONG, 0, i);
                while (!producer.offer(1, msg)) {
                    consumer.read((type, m) -> assertEquals(expected[0]++, m.get(ValueLayout.JAVA_LONG, 0)), 100);
                }
            }
            producer.close();
            while (consumer.read((type, m) -> assertEquals(expected[0]++, m.get(ValueLayout.JAVA_LONG, 0)), 100, 5, TimeUnit.SECONDS) >= 0) {
                // drain
            }
            assertEquals(n, expected[0]);
            assertTrue(consumer.isEndOfStream());
        }
    }

    @Test
    void claimedAndConsumedPositionsTellWhatIsStillUnread() throws Exception {
        try (SharedRegion region = SharedRegion.create("r", RegionOptions.defaults().withDirectory(temp))) {
            MpscRing ring = MpscRing.open(region, "ring", RingOptions.defaults().withCapacity(4096));
            RingProducer first = ring.producer();
            RingProducer second = ring.producer();
            RingConsumer consumer = ring.consumer();
            RingClaim open = first.tryClaim(1, 16); // claimed, not committed: hides what follows it
            assertTrue(second.offer(2, MemorySegment.ofArray(new long[2])));
            long end = ring.claimedPosition();
            assertEquals(2 * 24, end, "two records of 8 + 16 bytes claimed");
            assertEquals(0, consumer.read((type, m) -> { }, 10), "the open claim blocks the one behind it");
            assertTrue(ring.consumedPosition() < end);
            open.commit();
            assertEquals(2, consumer.read((type, m) -> { }, 10));
            assertEquals(end, ring.consumedPosition(), "read up to where the claims ended");
        }
    }

    @Test
    void mpmcDeliversEachMessageOnce() throws Exception {
        try (SharedRegion region = SharedRegion.create("r", RegionOptions.defaults().withDirectory(temp))) {
            MpmcRing ring = MpmcRing.open(region, "ring", RingOptions.defaults().withCapacity(8192));
            int perProducer = 50_000;
            ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
            AtomicLong delivered = new AtomicLong();
            CompletableFuture<?>[] tasks = new CompletableFuture<?>[4];
            for (int p = 0; p < 2; p++) {
                long base = (long) p << 32;
                tasks[p] = CompletableFuture.runAsync(() -> {
                    RingProducer producer = ring.producer();
                    MemorySegment msg = MemorySegment.ofArray(new long[2]);
                    for (int i = 0; i < perProducer; i++) {
                        msg.set(ValueLayout.JAVA_LONG, 0, base + i);
                        try {
                            assertTrue(producer.offer(1, msg, 30, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }, r -> Thread.ofPlatform().start(r));
            }
            for (int c = 2; c < 4; c++) {
                tasks[c] = CompletableFuture.runAsync(() -> {
                    try (RingConsumer consumer = ring.consumer()) {
                        while (consumer.read((t, m) -> {
                            assertTrue(seen.putIfAbsent(m.get(ValueLayout.JAVA_LONG, 0), true) == null, "duplicate");
                            delivered.incrementAndGet();
                        }, 64, 30, TimeUnit.SECONDS) >= 0) {
                            // until end of stream
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, r -> Thread.ofPlatform().start(r));
            }
            try {
                CompletableFuture.allOf(tasks[0], tasks[1]).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                for (int c = 2; c < 4; c++) {
                    if (tasks[c].isCompletedExceptionally()) {
                        tasks[c].get();
                    }
                }
                throw new AssertionError("producers failed; delivered " + delivered.get() + "; " + ring + " unblocked "
                        + ring.unblockedRecords() + " lost " + ring.lostMessages(), e);
            }
            ring.close();
            CompletableFuture.allOf(tasks).get(60, TimeUnit.SECONDS);
            assertEquals(2L * perProducer, delivered.get());
            assertEquals(2L * perProducer, seen.size());
        }
    }
}
