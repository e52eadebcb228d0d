package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blocking read returns by its deadline and sleeps instead of spinning, however the ring looks: here
 * with the head on a record that another consumer (dead, or alive and slow) still holds in place, the
 * state an outside test found spinning for ever at 100% CPU.
 */
class RingWaitBoundsTest {

    /** Fixed-size records that divide the capacity: 120 bytes + 8 of header, 32 to a lap. */
    static final int CAPACITY = 4096;
    static final int MESSAGE = 120;
    static final long STALL_MILLIS = 200;
    /** A timed call may overrun its timeout by this much (scheduling on a small, busy VM). */
    static final Duration SLACK = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    /** What a bounded call did: its result, wall time and the CPU time of the thread that made it. */
    record Timed<T>(T value, long wallNanos, long cpuNanos) {
        /** True if the call slept rather than spun: at most half its time on the CPU (or 20 ms, for quick calls). */
        boolean slept() {
            return cpuNanos <= Math.max(wallNanos / 2, TimeUnit.MILLISECONDS.toNanos(20));
        }

        String describe() {
            return TimeUnit.NANOSECONDS.toMillis(cpuNanos) + " ms of CPU in " + TimeUnit.NANOSECONDS.toMillis(wallNanos) + " ms";
        }
    }

    interface Call<T> {
        T call() throws Exception;
    }

    /** Runs {@code call} on its own thread; fails if it does not return within {@code limit}. */
    static <T> Timed<T> bounded(Duration limit, String what, Call<T> call) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CompletableFuture<Timed<T>> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("bounded-call").start(() -> {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try {
                T value = call.call();
                result.complete(new Timed<>(value, System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpu));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            long cpu = threads.getThreadCpuTime(thread.threadId());
            StringBuilder trace = new StringBuilder();
            for (StackTraceElement element : thread.getStackTrace()) {
                trace.append("\n    at ").append(element);
            }
            thread.interrupt();
            throw new AssertionError(what + " did not return within " + limit + " (its thread used "
                    + TimeUnit.NANOSECONDS.toMillis(cpu) + " ms of CPU), stuck in:" + trace);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    /** Fills the ring with fixed-size messages from seq {@code from} until it is full; returns the next seq. */
    static int fill(RingProducer producer, int from) {
        int seq = from;
        while (producer.offer(TYPE, Payload.ofLength(0, seq, MESSAGE))) {
            seq++;
        }
        return seq;
    }

    static MessageHandler collect(List<Long> into) {
        return (type, message) -> into.add(Payload.verifyContent(message));
    }

    /**
     * A consumer takes the first message and is killed while it reads it in place; exactly one lap is
     * then put and a survivor drains it, so the head comes back round to the dead consumer's record. A
     * read with a 100 ms timeout returns in time without spinning, and the dead consumer's message is
     * delivered again (nothing lost, nothing counted lost).
     */
    @Test
    void readReturnsByItsDeadlineWhenTheHeadReachesARecordOfADeadConsumer() throws Exception {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, STALL_MILLIS));
            RingProducer producer = ring.producer();
            assertTrue(producer.offer(TYPE, Payload.ofLength(0, 0, MESSAGE)));
            try (ChildJvm taker = ChildJvm.start(RingFaultChildren.TakeOneAndHold.class,
                    RingChildren.args(temp, RingKind.MPMC, CAPACITY, STALL_MILLIS))) {
                assertEquals("TOOK 0 0", taker.awaitLine("TOOK", STEP));
                taker.kill();
            }
            int next = fill(producer, 1);
            assertEquals(CAPACITY / (MESSAGE + 8), next, "exactly one lap, up to the dead consumer's record");
            List<Long> got = new ArrayList<>();
            try (RingConsumer survivor = ring.consumer()) {
                while (got.size() < next - 1) {
                    assertTrue(survivor.read(collect(got), 64) > 0, "the lap is there to read");
                }
                Timed<Integer> poll = bounded(SLACK.plusMillis(100), "read(100 ms) with the head on a dead consumer's record",
                        () -> survivor.read(collect(got), 1, 100, TimeUnit.MILLISECONDS));
                assertTrue(poll.slept(), "the timed read burnt " + poll.describe());
                // The dead consumer's message comes back: a later read gets it.
                Timed<Integer> again = bounded(STEP, "read until the dead consumer's message is delivered again", () -> {
                    while (!got.contains(0L)) {
                        if (survivor.read(collect(got), 1, 100, TimeUnit.MILLISECONDS) < 0) {
                            return -1;
                        }
                    }
                    return 1;
                });
                assertEquals(1, again.value());
            }
            assertEquals(next, got.size(), "every message once: " + got);
            assertEquals(0, ring.lostMessages(), "nothing lost");
        }
    }

    /**
     * The same ring state with the other consumer alive and slow (holding the record in its handler): a
     * timed read waits out its timeout asleep, not spinning, and the slow consumer's message stays intact.
     */
    @Test
    void readSleepsWhileALiveConsumerHoldsTheRecordUnderTheHead() throws Exception {
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(RingKind.MPMC, region, RING, RingTesting.options(CAPACITY, STALL_MILLIS));
            RingProducer producer = ring.producer();
            assertTrue(producer.offer(TYPE, Payload.ofLength(0, 0, MESSAGE)));
            try (ChildJvm slow = ChildJvm.start(RingFaultChildren.TakeOneAndHold.class,
                    RingChildren.args(temp, RingKind.MPMC, CAPACITY, STALL_MILLIS))) {
                assertEquals("TOOK 0 0", slow.awaitLine("TOOK", STEP));
                int next = fill(producer, 1);
                List<Long> got = new ArrayList<>();
                try (RingConsumer other = ring.consumer()) {
                    while (got.size() < next - 1) {
                        assertTrue(other.read(collect(got), 64) > 0);
                    }
                    for (int i = 0; i < 3; i++) {
                        Timed<Integer> poll = bounded(SLACK.plusMillis(300), "read(300 ms) while a live consumer holds the head record",
                                () -> other.read(collect(got), 1, 300, TimeUnit.MILLISECONDS));
                        assertEquals(0, poll.value(), "nothing to read: the only message left is held");
                        assertTrue(poll.wallNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "waits its whole timeout");
                        assertTrue(poll.slept(), "the timed read burnt " + poll.describe());
                    }
                    region.event("release").set();
                    assertEquals("INTACT 0 0", slow.awaitLine("INTACT", STEP), slow.output());
                    assertEquals("READ 1", slow.awaitLine("READ", STEP));
                }
                assertEquals(0, ring.lostMessages());
            }
        }
    }
}
