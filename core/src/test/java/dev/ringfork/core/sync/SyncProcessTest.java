package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SharedEvent and SharedSemaphore across child JVMs. */
class SyncProcessTest {

    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @Test
    void eventSetInOneProcessReleasesWaitersInOthers() throws Exception {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("sync", options)) {
            SharedEvent event = region.event("go");
            assertFalse(event.await(10, TimeUnit.MILLISECONDS), "clear: times out");
            List<ChildJvm> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    waiters.add(ChildJvm.start(AwaitEvent.class, temp.toString()));
                }
                for (ChildJvm waiter : waiters) {
                    waiter.awaitLine("WAITING", STEP);
                }
                region.sharedInt("payload").set(42);
                event.set();
                for (ChildJvm waiter : waiters) {
                    assertEquals("SEEN 42", waiter.awaitLine("SEEN", STEP), "the waiter sees what was written before set()");
                    waiter.awaitSuccess(STEP);
                }
            } finally {
                waiters.forEach(ChildJvm::close);
            }
            assertTrue(event.isSet());
            event.clear();
            assertFalse(event.isSet());
        }
    }

    @Test
    void semaphoreBoundsConcurrencyAcrossProcesses() {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        int processes = 3;
        int rounds = 20_000;
        try (SharedRegion region = SharedRegion.create("sync", options)) {
            SharedSemaphore permits = region.semaphore("permits", 2);
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < processes; i++) {
                    children.add(ChildJvm.start(UseSemaphore.class, temp.toString(), Integer.toString(rounds)));
                }
                for (ChildJvm child : children) {
                    child.awaitSuccess(STEP);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertEquals(2, permits.availablePermits(), "every permit came back");
            assertEquals(processes * rounds, region.sharedInt("entries").get());
            int peak = region.sharedInt("peak").get();
            assertTrue(peak >= 1 && peak <= 2, "never more than 2 inside at once, saw " + peak);
        }
    }

    /** Child: waits for the event, then prints the payload. */
    public static final class AwaitEvent {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            try (SharedRegion region = SharedRegion.open("sync", ChildSupport.options(args[0]))) {
                SharedEvent event = region.event("go");
                System.out.println("WAITING");
                System.out.flush();
                if (event.await(120, TimeUnit.SECONDS)) {
                    System.out.println("SEEN " + region.sharedInt("payload").get());
                } else {
                    System.out.println("TIMED OUT");
                }
            }
        }
    }

    /** Child: enters the semaphore-guarded section many times, recording the peak occupancy. */
    public static final class UseSemaphore {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            int rounds = Integer.parseInt(args[1]);
            try (SharedRegion region = SharedRegion.open("sync", ChildSupport.options(args[0]))) {
                SharedSemaphore permits = region.semaphore("permits", 2);
                SharedInt inside = region.sharedInt("inside");
                SharedInt peak = region.sharedInt("peak");
                SharedInt entries = region.sharedInt("entries");
                for (int i = 0; i < rounds; i++) {
                    permits.acquire();
                    try {
                        int now = inside.incrementAndGet();
                        peak.accumulateAndGet(now, Math::max);
                        entries.incrementAndGet();
                        inside.decrementAndGet();
                    } finally {
                        permits.release();
                    }
                }
            }
        }
    }
}
