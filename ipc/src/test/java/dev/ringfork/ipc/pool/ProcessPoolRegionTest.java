package dev.ringfork.ipc.pool;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.RegionLayout;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's shared memory: names that survive a crashed predecessor, and mappings workers let go of. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolRegionTest {

    private static final RegionOptions DEFAULTS = RegionOptions.defaults();

    @Test
    void workersUnmapSharedSegmentsOnceTheJobsThatReadThemEnded() throws Exception {
        List<SharedSegment> segments = new ArrayList<>();
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            for (int k = 1; k <= 3; k++) {
                SharedSegment segment = SharedSegment.allocate(8L * 1024);
                segments.add(segment);
                for (int i = 0; i < 1024; i++) {
                    segment.segment().setAtIndex(ValueLayout.JAVA_LONG, i, (long) k * i);
                }
                List<Long> sums = pool.map(part -> LongStream.range(0, part.length() / 8)
                        .map(i -> part.readOnly().getAtIndex(ValueLayout.JAVA_LONG, i)).sum(), segment.split(2), 1);
                assertEquals(k * (1023L * 1024 / 2), sums.stream().mapToLong(Long::longValue).sum(), "segment " + k);
            }
            // A call after the maps: the worker reads its task ring in order, so the maps' ends reached it first.
            long pid = pool.submit(() -> ProcessHandle.current().pid()).get(60, TimeUnit.SECONDS);
            List<String> maps = Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"));
            List<String> held = maps.stream()
                    .filter(line -> segments.stream().anyMatch(s -> line.contains(s.ref().region()))).toList();
            assertEquals(List.of(), held, "worker pid " + pid + " still maps segments whose jobs ended");
        } finally {
            segments.forEach(SharedSegment::close);
        }
    }

    @Test
    void aSegmentStaysMappedForAJobStillUsingItWhenOtherJobsThatUsedItEnd() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).build();
             SharedSegment segment = SharedSegment.allocate(8L * 64)) {
            for (int i = 0; i < 64; i++) {
                segment.segment().setAtIndex(ValueLayout.JAVA_LONG, i, 10L * i);
            }
            SharedSegment.Ref ref = segment.ref();
            // The map's function keeps the view it took for its first item (one function object per job and worker).
            MemorySegment[] kept = new MemorySegment[1];
            try (PoolResults<Long> results = pool.imap(i -> {
                if (kept[0] == null) {
                    kept[0] = ref.readOnly();
                }
                return kept[0].getAtIndex(ValueLayout.JAVA_LONG, i);
            }, IntStream.range(0, 64).boxed().toList(), 1)) {
                for (int i = 0; i < 64; i++) {
                    assertEquals(10L * i, results.next(), "item " + i);
                    // A call that maps the same segment and ends, between the map's chunks.
                    int at = i;
                    assertEquals(10L * at, pool.submit(() -> ref.readOnly().getAtIndex(ValueLayout.JAVA_LONG, at))
                            .get(60, TimeUnit.SECONDS));
                }
            }
        }
    }

    @Test
    void aPoolStartsWhereACrashedJvmWithOurPidLeftItsRegionsBehind() throws IOException {
        String used;
        try (ProcessPool first = ProcessPool.builder().workers(1).build()) {
            used = regionName(first);
        }
        String next = successor(used);
        List<String> planted = List.of(next, next + "-w0g1");
        try {
            planted.forEach(ProcessPoolRegionTest::plantStale);
            try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
                assertEquals(next, regionName(pool), "the planted name is the one the pool took");
                assertEquals(List.of(2, 4, 6), pool.map(x -> 2 * x, List.of(1, 2, 3)));
            }
        } finally {
            planted.forEach(name -> SharedRegion.unlink(name, DEFAULTS));
        }
    }

    @Test
    void aSharedSegmentIsAllocatedWhereACrashedJvmWithOurPidLeftOneBehind() {
        String next;
        try (SharedSegment first = SharedSegment.allocate(64)) {
            next = successor(first.ref().region());
        }
        try {
            plantStale(next);
            try (SharedSegment segment = SharedSegment.allocate(64)) {
                assertEquals(next, segment.ref().region(), "the planted name is the one the segment took");
                segment.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
                assertEquals(42L, segment.ref().readOnly().get(ValueLayout.JAVA_LONG, 0));
            }
        } finally {
            SharedRegion.unlink(next, DEFAULTS);
        }
    }

    /** The pool's region name, from its {@code toString()}: {@code ProcessPool <name> (...)}. */
    private static String regionName(ProcessPool pool) {
        return pool.toString().split(" ")[1];
    }

    /** {@code <prefix>-<n>} becomes {@code <prefix>-<n + 1>}: the name this JVM uses next. */
    private static String successor(String name) {
        int dash = name.lastIndexOf('-');
        return name.substring(0, dash + 1) + (Long.parseLong(name.substring(dash + 1)) + 1);
    }

    /**
     * A region file as a crashed JVM with our pid would have left it: a valid region whose creator is
     * this pid with another start time, which is gone.
     */
    private static void plantStale(String name) {
        try (SharedRegion region = SharedRegion.create(name, DEFAULTS)) {
            assertTrue(region.isCreatorAlive());
        }
        Path file = DEFAULTS.directory().resolve(name);
        ByteBuffer start = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());
        start.putLong(0, ProcessIdentity.current().startTime() + 1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(start, RegionLayout.CREATOR_START_OFFSET);
        } catch (IOException e) {
            throw new AssertionError("cannot plant " + file, e);
        }
        try (SharedRegion region = SharedRegion.open(name, DEFAULTS)) {
            assertFalse(region.isCreatorAlive(), "the planted region's creator counts as dead");
        }
    }
}
