package dev.ringfork.core.memory;

import dev.ringfork.core.ring.MpmcRing;
import dev.ringfork.core.ring.RingCorruptedException;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.testing.Fuzz;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A fuzzer over region files: a region with a value, a lock and a ring is made, then random bytes of its
 * header, allocator and slot directory (and of the ring's identity line) are overwritten, and the file is
 * opened and every slot used. Only the documented exceptions may come out ({@link RegionException}s
 * naming the file, {@link IllegalStateException}s naming the slot, {@link RingCorruptedException}),
 * never an index or argument exception, never a hang or a JVM crash.
 */
class RegionFileFuzzTest {

    @Test
    void aDamagedRegionGivesOnlyDocumentedExceptions() {
        Fuzz.run("region files", random -> {
            int pokes = 1 + random.nextInt(8);
            int[] offsets = new int[pokes];
            byte[] values = new byte[pokes];
            for (int i = 0; i < pokes; i++) {
                offsets[i] = random.nextInt(4096);
                values[i] = (byte) random.nextInt(256);
            }
            return trial(offsets, values);
        });
    }

    private static String trial(int[] offsets, byte[] values) throws IOException {
        Path dir = Files.createTempDirectory("region-fuzz");
        try {
            RegionOptions options = RegionOptions.defaults().withDirectory(dir).withSize(256 * 1024).withSlotCapacity(8)
                    .withOpenTimeout(Duration.ofMillis(50));
            try (SharedRegion region = SharedRegion.create("victim", options)) {
                region.sharedInt("counter", 5);
                region.lock("lock");
                MpmcRing.open(region, "ring", RingOptions.defaults().withCapacity(4096)).producer();
            }
            Path file = dir.resolve("victim");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (int i = 0; i < offsets.length; i++) {
                    channel.write(ByteBuffer.wrap(new byte[] {values[i]}), offsets[i]);
                }
            }
            try (SharedRegion region = SharedRegion.open("victim", options)) {
                for (SlotInfo slot : region.slots()) {
                    use(region, slot);
                }
                return "opened and used";
            } catch (RegionException | RingCorruptedException expected) {
                return expected.getClass().getSimpleName();
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("'")) {
                    throw new AssertionError("an IllegalStateException that names nothing: " + e, e);
                }
                return "IllegalStateException naming the slot";
            }
        } finally {
            delete(dir);
        }
    }

    private static void use(SharedRegion region, SlotInfo slot) {
        switch (slot.kind()) {
            case INT -> region.sharedInt(slot.name()).incrementAndGet();
            case LOCK -> {
                var lock = region.lock(slot.name());
                try {
                    if (lock.tryLock()) {
                        lock.unlock();
                    }
                } catch (OwnerDiedException e) {
                    lock.unlock(); // documented: a damaged owner word reads as a dead owner, taken over
                }
            }
            case BYTES -> {
                if (slot.name().equals("ring")) {
                    MpmcRing ring = MpmcRing.open(region, "ring", RingOptions.defaults().withCapacity(4096));
                    ring.producer().tryClaim(1, 8);
                }
            }
            default -> {
            }
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
