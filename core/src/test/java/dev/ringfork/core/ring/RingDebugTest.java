package dev.ringfork.core.ring;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RingDebugTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource({"MPSC,1,1", "MPSC,2,1", "MPMC,1,1", "MPMC,2,1", "MPMC,1,2", "MPMC,2,2"})
    void run(RingKind kind, int producers, int consumers) throws Exception {
        try (SharedRegion region = SharedRegion.create("r", RegionOptions.defaults().withDirectory(temp))) {
            Ring ring = kind == RingKind.MPSC ? MpscRing.open(region, "ring", RingOptions.defaults().withCapacity(8192))
                    : MpmcRing.open(region, "ring", RingOptions.defaults().withCapacity(8192));
            int perProducer = 50_000;
            ConcurrentHashMap<Long, Long> seen = new ConcurrentHashMap<>();
            AtomicReference<String> firstDup = new AtomicReference<>();
            AtomicLong delivered = new AtomicLong();
            List<CompletableFuture<?>> ps = new ArrayList<>(), cs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long base = (long) p << 32;
                ps.add(CompletableFuture.runAsync(() -> {
                    RingProducer producer = ring.producer();
                    MemorySegment msg = MemorySegment.ofArray(new long[2]);
                    for (int i = 0; i < perProducer; i++) {
                        msg.set(ValueLayout.JAVA_LONG, 0, base + i);
                        try {
                            if (!producer.offer(1, msg, 10, TimeUnit.SECONDS)) throw new AssertionError("full");
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }, r -> Thread.ofPlatform().start(r)));
            }
            for (int c = 0; c < consumers; c++) {
                long me = c;
                cs.add(CompletableFuture.runAsync(() -> {
                    try (RingConsumer consumer = ring.consumer()) {
                        while (consumer.read((t, m) -> {
                            long v = m.get(ValueLayout.JAVA_LONG, 0);
                            Long prev = seen.putIfAbsent(v, me);
                            if (prev != null) firstDup.compareAndSet(null, "value " + v + " first by " + prev + " again by " + me + " after " + delivered.get());
                            delivered.incrementAndGet();
                        }, 64, 10, TimeUnit.SECONDS) >= 0) { }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, r -> Thread.ofPlatform().start(r)));
            }
            CompletableFuture.allOf(ps.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            ring.close();
            CompletableFuture.allOf(cs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertEquals(null, firstDup.get());
            assertEquals((long) producers * perProducer, seen.size());
        }
    }
}
