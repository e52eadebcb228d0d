package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer in another process waiting on an empty ring with the default adaptive strategy sleeps on the
 * futex: it costs (almost) no CPU, and one message wakes it.
 */
class RingIdleProcessTest {

    private static final Duration IDLE = Duration.ofMillis(1500);

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = RingKind.class, names = {"SPSC", "MPMC"})
    void idleConsumerSleepsWithoutBurningCpuAndWakesForOneMessage(RingKind kind) throws Exception {
        int capacity = 4096;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp));
             ChildJvm child = ChildJvm.start(RingChildren.IdleConsumer.class,
                     RingChildren.args(temp, kind, capacity, 1000))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(capacity, 1000));
            assertTrue(ring.options.waitStrategy() instanceof dev.ringfork.core.sync.WaitStrategy.Adaptive, "the default");
            child.awaitLine("WAITING", STEP);
            long deadline = System.nanoTime() + STEP.toNanos();
            while (ring.sleepingConsumers() == 0 && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            assertEquals(1, ring.sleepingConsumers(), "the child sleeps on the data doorbell");

            ProcessHandle handle = ProcessHandle.of(child.pid()).orElseThrow();
            Duration cpuBefore = handle.info().totalCpuDuration().orElseThrow();
            long start = System.nanoTime();
            // Idle for IDLE: the child must neither exit nor read anything meanwhile.
            assertThrows(TimeoutException.class, () -> handle.onExit().get(IDLE.toMillis(), TimeUnit.MILLISECONDS));
            Duration cpuAfter = handle.info().totalCpuDuration().orElseThrow();
            long wallNanos = System.nanoTime() - start;
            double share = (double) cpuAfter.minus(cpuBefore).toNanos() / wallNanos;
            assertTrue(wallNanos >= IDLE.toNanos());
            assertTrue(share < 0.05, "idle consumer used " + cpuAfter.minus(cpuBefore).toMillis() + " ms of CPU in "
                    + TimeUnit.NANOSECONDS.toMillis(wallNanos) + " ms (" + Math.round(share * 100) + "% of a core)");
            assertEquals(1, ring.sleepingConsumers(), "still asleep");

            assertTrue(ring.producer().offer(TYPE, Payload.of(3, 42)));
            assertEquals("GOT 3 42", child.awaitLine("GOT", STEP));
            assertEquals("READ 1", child.awaitLine("READ", STEP));
            child.awaitSuccess(STEP);
            assertEquals(0, ring.sleepingConsumers());
        }
    }
}
