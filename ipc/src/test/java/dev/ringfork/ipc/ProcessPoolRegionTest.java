package dev.ringfork.ipc;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.RegionLayout;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's shared memory: names that survive a crashed predecessor. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolRegionTest {

    private static final RegionOptions DEFAULTS = RegionOptions.defaults();

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
