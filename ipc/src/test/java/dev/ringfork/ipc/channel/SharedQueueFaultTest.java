package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state an outside test found spinning: an MPMC queue (4 KiB ring, 120-byte elements, 32 to a lap)
 * whose taker is SIGKILLed while its decoder reads an element in place; exactly one lap is then put and
 * a surviving taker drains it, so the head comes back round to the dead taker's element. Its
 * {@code poll(100 ms)} must return in time without burning a core, and the dead taker's element must be
 * delivered again, not lost. The same with the taker alive and slow in its decoder.
 */
class SharedQueueFaultTest {

    static final Duration STEP = Duration.ofSeconds(60);
    static final int CAPACITY = 4096;
    static final int ELEMENT = 120;

    @TempDir
    Path temp;

    private SharedRegion region() {
        return SharedRegion.create("q", RegionOptions.defaults().withDirectory(temp));
    }

    static QueueOptions options() {
        return QueueOptions.defaults().withCapacity(CAPACITY);
    }

    static byte[] element(int seq) {
        byte[] bytes = new byte[ELEMENT];
        java.util.Arrays.fill(bytes, (byte) seq);
        bytes[0] = (byte) (seq >>> 8);
        bytes[1] = (byte) seq;
        return bytes;
    }

    static int seq(byte[] element) {
        assertEquals(ELEMENT, element.length);
        return ((element[0] & 0xFF) << 8) | (element[1] & 0xFF);
    }

    /** poll(100 ms) on its own thread: its result, and the CPU it used against the wall time it took. */
    record Poll(byte[] element, long wallNanos, long cpuNanos) {
    }

    static Poll boundedPoll(SharedQueue<byte[]> queue, long millis) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CompletableFuture<Poll> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().start(() -> {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try {
                byte[] element = queue.poll(millis, TimeUnit.MILLISECONDS);
                result.complete(new Poll(element, System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpu));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(millis + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            long cpu = threads.getThreadCpuTime(thread.threadId());
            thread.interrupt();
            throw new AssertionError("poll(" + millis + " ms) had not returned after " + (millis + 2000) + " ms, using "
                    + TimeUnit.NANOSECONDS.toMillis(cpu) + " ms of CPU");
        }
    }

    static void assertAsleep(Poll poll) {
        assertTrue(poll.cpuNanos() <= Math.max(poll.wallNanos() / 2, TimeUnit.MILLISECONDS.toNanos(20)), "the poll burnt " + TimeUnit.NANOSECONDS.toMillis(poll.cpuNanos())
                + " ms of CPU in " + TimeUnit.NANOSECONDS.toMillis(poll.wallNanos()) + " ms");
    }

    /** Puts element 0 and lets the child take it and stop in its decoder. */
    private static void setUp(SharedQueue<byte[]> queue, ChildJvm taker) throws Exception {
        queue.put(element(0));
        taker.awaitLine("DECODING", STEP);
    }

    @Test
    void pollReturnsByItsDeadlineAndTheDeadTakersElementComesBack() throws Exception {
        try (SharedRegion region = region();
             ChildJvm taker = ChildJvm.start(SlowTaker.class, temp.toString())) {
            SharedQueue<byte[]> queue = SharedQueue.open(region, "q", Codec.bytes(), options());
            setUp(queue, taker);
            taker.kill();
            int next = 1;
            while (queue.offer(element(next))) {
                next++;
            }
            assertEquals(CAPACITY / (ELEMENT + 8), next, "exactly one lap");
            List<Integer> got = new ArrayList<>();
            for (int i = 1; i < next; i++) {
                byte[] element = queue.poll();
                assertTrue(element != null, "element " + i + " is there");
                got.add(seq(element));
            }
            Poll poll = boundedPoll(queue, 100);
            assertAsleep(poll);
            if (poll.element() != null) {
                got.add(seq(poll.element()));
            }
            long deadline = System.nanoTime() + STEP.toNanos();
            while (!got.contains(0) && System.nanoTime() - deadline < 0) {
                Poll again = boundedPoll(queue, 100);
                if (again.element() != null) {
                    got.add(seq(again.element()));
                }
            }
            assertTrue(got.contains(0), "the dead taker's element is delivered again: " + got);
            assertEquals(next, got.size(), "every element once: " + got);
            assertEquals(0, queue.lostElements());
        }
    }

    @Test
    void pollSleepsWhileALiveTakerIsSlowInItsDecoder() throws Exception {
        try (SharedRegion region = region();
             ChildJvm taker = ChildJvm.start(SlowTaker.class, temp.toString())) {
            SharedQueue<byte[]> queue = SharedQueue.open(region, "q", Codec.bytes(), options());
            setUp(queue, taker);
            int next = 1;
            while (queue.offer(element(next))) {
                next++;
            }
            for (int i = 1; i < next; i++) {
                assertTrue(queue.poll() != null);
            }
            for (int i = 0; i < 3; i++) {
                Poll poll = boundedPoll(queue, 100);
                assertNull(poll.element(), "the only element left is the slow taker's");
                assertAsleep(poll);
            }
            assertEquals(0, queue.lostElements());
        }
    }

    /** Child: takes from the queue with a decoder that prints "DECODING" and never returns. */
    public static final class SlowTaker {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(STEP);
            SharedRegion region = SharedRegion.open("q", RegionOptions.defaults().withDirectory(Path.of(args[0])));
            Codec<byte[]> stuck = Codec.of("stuck", byte[].class, bytes -> bytes, bytes -> {
                System.out.println("DECODING");
                System.out.flush();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return bytes;
            });
            SharedQueue.open(region, "q", stuck, options()).take();
        }
    }
}
