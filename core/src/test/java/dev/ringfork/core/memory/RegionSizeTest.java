package dev.ringfork.core.memory;

import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 item 2: the default region holds a default ring, and a full region says what size to ask for. */
class RegionSizeTest {

    @TempDir
    Path temp;

    @Test
    void defaultRegionHoldsTheReadmeRingAndValues() throws Exception {
        // The README's snippet, with only the directory changed (a test must not write to /dev/shm's default).
        try (SharedRegion region = SharedRegion.openOrCreate("book", RegionOptions.defaults().withDirectory(temp))) {
            SpscRing ring = SpscRing.open(region, "prices", RingOptions.defaults().withCapacity(1 << 20));
            region.sharedLong("ticks").set(7);
            region.lock("book-lock");
            region.event("ready");
            region.longArray("last", 64);
            RingProducer producer = ring.producer();
            RingConsumer consumer = ring.consumer();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment price = arena.allocate(8);
                price.set(ValueLayout.JAVA_LONG, 0, 12_345L);
                assertTrue(producer.offer(1, price));
            }
            long[] seen = new long[1];
            assertEquals(1, consumer.read((type, message) -> seen[0] = message.get(ValueLayout.JAVA_LONG, 0), 10,
                    5, TimeUnit.SECONDS));
            assertEquals(12_345L, seen[0]);
            assertEquals(7, region.sharedLong("ticks").get());
            assertEquals(RegionOptions.DEFAULT_SIZE, region.size());
        }
    }

    @Test
    void fullRegionNamesTheSizeToAskFor() {
        RegionOptions small = RegionOptions.defaults().withDirectory(temp).withSize(1 << 20);
        try (SharedRegion region = SharedRegion.create("small", small)) {
            RegionFullException full = assertThrows(RegionFullException.class,
                    () -> SpscRing.open(region, "prices", RingOptions.defaults().withCapacity(1 << 20)));
            String message = full.getMessage();
            assertTrue(message.contains("'prices' needs "), message);
            assertTrue(message.contains("the region is " + (1 << 20) + " bytes"), message);
            assertTrue(message.contains("RegionOptions.defaults().withSize(" + (2 << 20) + ")"), message);
            // The size it names does fit.
            try (SharedRegion bigger = SharedRegion.create("bigger", small.withSize(2 << 20))) {
                SpscRing.open(bigger, "prices", RingOptions.defaults().withCapacity(1 << 20));
            }
        }
    }
}
