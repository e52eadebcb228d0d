package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One MPSC or MPMC producer shared by several threads (as a queue handle shares it), against busy
 * consumers on a small ring: every message arrives once and intact, and no thread takes another's
 * view of the ring for corruption. Before the fix a thread compared its tail with a free position
 * another thread of the producer had cached after it, and reported "the tail is below the head".
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedProducerThreadsTest {

    private static final int THREADS = 3;
    private static final int PER_THREAD = 20_000;
    private static final int ROUNDS = 5;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"MPSC", "MPMC"})
    void threadsSharingOneProducerLoseNothingAndSeeNoCorruption(RingKind kind) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            try (SharedRegion region = SharedRegion.create(RingTesting.REGION + round, RingTesting.regionOptions(temp))) {
                Ring ring = RingTesting.open(kind, region, RingTesting.RING, RingTesting.options(16 << 10, 1000));
                RingProducer shared = ring.producer();
                int total = THREADS * PER_THREAD;
                BitSet seen = new BitSet(total);
                AtomicInteger duplicates = new AtomicInteger();
                AtomicInteger received = new AtomicInteger();
                List<CompletableFuture<Object>> all = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    all.add(Await.inThread(() -> {
                        for (int seq = 0; seq < PER_THREAD; seq++) {
                            if (!shared.offer(RingTesting.TYPE, RingTesting.Payload.ofLength(thread, seq, 16 + seq % 9 * 8),
                                    60, TimeUnit.SECONDS)) {
                                throw new AssertionError("no room for 60 s");
                            }
                        }
                        return null;
                    }));
                }
                int consumers = kind == RingKind.MPMC ? THREADS : 1;
                for (int c = 0; c < consumers; c++) {
                    int limit = c == 0 ? 50 : 1;
                    all.add(Await.inThread(() -> {
                        try (RingConsumer consumer = ring.consumer()) {
                            while (received.get() < total) {
                                received.addAndGet(consumer.read((type, message) -> {
                                    long id = RingTesting.Payload.verifyContent(message);
                                    int index = (int) (id >>> 32) * PER_THREAD + (int) id;
                                    synchronized (seen) {
                                        if (seen.get(index)) {
                                            duplicates.incrementAndGet();
                                        }
                                        seen.set(index);
                                    }
                                }, limit, 10, TimeUnit.MILLISECONDS));
                            }
                        }
                        return null;
                    }));
                }
                try {
                    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("round " + round + ": " + e.getCause(), e.getCause());
                }
                assertEquals(0, duplicates.get(), "round " + round);
                assertEquals(total, seen.cardinality(), "round " + round + ": every message once");
            }
        }
    }
}
