package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Several child JVMs update one SharedInt: every increment must land exactly once. */
class CounterProcessTest {

    private static final int INCREMENTS = 1_000_000;
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {2, 4})
    void lockProtectedIncrementsAreExact(int processes) {
        runChildren(processes, "lock", INCREMENTS, List.of());
    }

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {2, 4})
    void getAndAddWithoutALockIsExact(int processes) {
        runChildren(processes, "add", INCREMENTS, List.of());
    }

    @Test
    void lockWorksOnThePollingFallbackToo() {
        runChildren(2, "lock", 200_000, List.of("-Dringfork.futex=polling"));
    }

    private void runChildren(int processes, String mode, int increments, List<String> jvmOptions) {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("counter", options)) {
            SharedInt counter = region.sharedInt("counter");
            SharedInt started = region.sharedInt("started");
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < processes; i++) {
                    children.add(ChildJvm.start(Incrementer.class, jvmOptions, temp.toString(), mode,
                            Integer.toString(increments), Integer.toString(processes)));
                }
                for (ChildJvm child : children) {
                    child.awaitSuccess(DEADLINE);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertEquals(processes, started.get());
            assertEquals((long) processes * increments, counter.get(), "every increment landed exactly once");
            assertFalse(region.lock("lock").isLocked());
            assertEquals(0, region.lock("lock").ownerDeaths());
        }
    }

    /** Child: waits until all siblings are up (so they really overlap), then increments. */
    public static final class Incrementer {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            String mode = args[1];
            int increments = Integer.parseInt(args[2]);
            int processes = Integer.parseInt(args[3]);
            try (SharedRegion region = SharedRegion.open("counter", ChildSupport.options(args[0]))) {
                SharedInt counter = region.sharedInt("counter");
                SharedLock lock = region.lock("lock");
                SharedEvent go = region.event("go");
                if (region.sharedInt("started").incrementAndGet() == processes) {
                    go.set();
                }
                if (!go.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("siblings did not start");
                }
                for (int i = 0; i < increments; i++) {
                    if (mode.equals("lock")) {
                        lock.lock();
                        try {
                            counter.setPlain(counter.getPlain() + 1); // racy without the lock
                        } finally {
                            lock.unlock();
                        }
                    } else {
                        counter.getAndAdd(1);
                    }
                }
            }
        }
    }
}
