package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.sync.DoorbellSet;
import dev.ringfork.core.testing.Await;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Channels.waitAny in one process: what counts as ready, the timeout, wake-ups, interrupts, bad arguments. */
class ChannelsTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path temp;
    SharedRegion region;

    @BeforeEach
    void createRegion() {
        region = SharedRegion.create("wait", RegionOptions.defaults().withDirectory(temp).withSize(4 << 20));
    }

    @AfterEach
    void closeRegion() {
        region.close();
    }

    private Pipe<String> pipe(String name) {
        return Pipe.simplex(region, name, Codec.string(), RingOptions.defaults().withCapacity(4096));
    }

    @Test
    void usesFutexWaitvOnALinuxKernelThatHasIt() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"));
        String[] release = System.getProperty("os.version", "0.0").split("[.-]");
        int major = Integer.parseInt(release[0]);
        int minor = Integer.parseInt(release[1]);
        assumeTrue(major > 5 || (major == 5 && minor >= 16), "futex_waitv came with Linux 5.16");
        assertTrue(DoorbellSet.usesFutexWaitv(), "futex_waitv should be used on Linux " + System.getProperty("os.version"));
    }

    @Test
    void nothingReadyReturnsAnEmptyListAtTheTimeout() throws Exception {
        Pipe<String> a = pipe("a");
        SharedQueue<String> q = SharedQueue.open(region, "q", Codec.string());
        a.writer();
        List<Object> ready = Channels.waitAny(List.of(a.reader(), q), 150, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), ready);
        assertEquals(List.of(), Channels.waitAny(List.of(a.reader(), q), 0, TimeUnit.SECONDS), "a zero timeout only looks");
    }

    @Test
    void aWaitWithNothingReadySleepsInsteadOfSpinning() throws Exception {
        Pipe<String> a = pipe("a");
        SharedQueue<String> q = SharedQueue.open(region, "q", Codec.string());
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        assertEquals(List.of(), Channels.waitAny(List.of(a.reader(), q), 1, TimeUnit.SECONDS));
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpuBefore);
        assertTrue(cpuMillis < 300, "a 1 s wait used " + cpuMillis + " ms of CPU: it spun instead of sleeping");
    }

    @Test
    void returnsEveryReadyChannelInTheOrderGiven() throws Exception {
        Pipe<String> a = pipe("a");
        Pipe<String> b = pipe("b");
        SharedQueue<String> q = SharedQueue.open(region, "q", Codec.string());
        JoinableQueue<String> j = JoinableQueue.open(region, "j", Codec.string());
        b.writer().send("to b");
        q.put("to q");
        j.put("to j");
        List<Object> ready = Channels.waitAny(List.of(a.reader(), b.reader(), q, j), WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(b.reader(), q, j), ready);
        assertEquals("to b", b.reader().recv(0, TimeUnit.SECONDS), "the message waiting is kept for recv");
        assertEquals("to q", q.poll());
        assertEquals("to j", j.poll());
        assertEquals(List.of(), Channels.waitAny(List.of(a.reader(), b.reader(), q, j), 0, TimeUnit.SECONDS));
    }

    @Test
    void aSendFromAnotherThreadWakesTheWaiter() throws Exception {
        Pipe<String> a = pipe("a");
        Pipe<String> b = pipe("b");
        Connection<String> writer = b.writer();
        for (int round = 0; round < 20; round++) {
            CompletableFuture<List<Connection<String>>> wait = Await.inThread(
                    () -> Channels.waitAny(List.of(a.reader(), b.reader()), WAIT_SECONDS, TimeUnit.SECONDS));
            writer.send("round " + round);
            List<Connection<String>> ready = wait.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, ready.size(), "round " + round);
            assertSame(b.reader(), ready.get(0));
            assertEquals("round " + round, b.reader().recv(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void aQueueIsReadyExactlyWhileAnElementWaitsAlsoAcrossTheRingsWrap() throws Exception {
        SharedQueue<String> q = SharedQueue.open(region, "small", Codec.string(), QueueOptions.defaults().withCapacity(1024));
        for (int round = 0; round < 300; round++) { // 1 KiB ring, records of 16 to 72 bytes: many wraps and paddings
            String element = round + ":" + "w".repeat(round % 60);
            q.put(element);
            assertEquals(List.of(q), Channels.waitAny(List.of(q), WAIT_SECONDS, TimeUnit.SECONDS), "round " + round);
            assertEquals(element, q.poll());
            assertEquals(List.of(), Channels.waitAny(List.of(q), 0, TimeUnit.SECONDS), "taken: not ready, round " + round);
        }
    }

    @Test
    void aPutOnAQueueWakesTheWaiter() throws Exception {
        SharedQueue<String> q = SharedQueue.open(region, "q", Codec.string());
        Pipe<String> a = pipe("a");
        CompletableFuture<List<Object>> wait = Await.inThread(
                () -> Channels.waitAny(List.of(a.reader(), q), WAIT_SECONDS, TimeUnit.SECONDS));
        q.put("x");
        assertEquals(List.of(q), wait.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aClosedStreamIsReadyAndItsReceiveEnds() throws Exception {
        Pipe<String> a = pipe("a");
        SharedQueue<String> q = SharedQueue.open(region, "q", Codec.string());
        CompletableFuture<List<Object>> wait = Await.inThread(
                () -> Channels.waitAny(List.of(a.reader(), q), WAIT_SECONDS, TimeUnit.SECONDS));
        a.writer().close();
        assertEquals(List.of(a.reader()), wait.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThrows(EndOfStreamException.class, () -> a.reader().recv(0, TimeUnit.SECONDS));
        q.close();
        List<Object> ready = Channels.waitAny(List.of(q), WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(q), ready);
        assertThrows(EndOfStreamException.class, q::take);
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        Pipe<String> a = pipe("a");
        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        CompletableFuture<List<Connection<String>>> wait = Await.inThread(() -> {
            waiter.complete(Thread.currentThread());
            return Channels.waitAny(List.of(a.reader()), WAIT_SECONDS, TimeUnit.SECONDS);
        });
        waiter.get(WAIT_SECONDS, TimeUnit.SECONDS).interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> wait.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InterruptedException, "cause: " + e.getCause());
    }

    @Test
    void refusesWhatCannotBeReadFrom() throws Exception {
        Pipe<String> a = pipe("a");
        assertThrows(IllegalArgumentException.class, () -> Channels.waitAny(List.of(a.writer()), 0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> Channels.waitAny(List.of("not a channel"), 0, TimeUnit.SECONDS));
        assertFalse(a.reader().isClosed());
        a.reader().close();
        assertThrows(IllegalStateException.class, () -> Channels.waitAny(List.of(a.reader()), 0, TimeUnit.SECONDS));
        assertEquals(List.of(), Channels.waitAny(List.of(), WAIT_SECONDS, TimeUnit.SECONDS), "nothing to wait on: at once");
    }
}
