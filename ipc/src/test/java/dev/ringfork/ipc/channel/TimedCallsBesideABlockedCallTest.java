package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.testing.Await;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A thread that waits without a timeout in a call on a pipe end or an SPSC queue holds that side's turn;
 * another thread's call with a timeout (or none, like {@code poll()}) on the same side still returns by
 * its deadline, with nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimedCallsBesideABlockedCallTest {

    /** Generous bound on calls that wait 10 ms or not at all. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final long SHORT_MILLIS = 10;

    @TempDir
    Path temp;
    SharedRegion region;

    @BeforeEach
    void createRegion() {
        region = SharedRegion.create("timed", RegionOptions.defaults().withDirectory(temp).withSize(4 << 20));
    }

    @AfterEach
    void closeRegion() {
        region.close();
    }

    @Test
    void timedReceivesReturnWhileAnotherThreadWaitsInRecv() throws Exception {
        Pipe<String> pipe = Pipe.open(region, "recv", Codec.string());
        Connection<String> sender = pipe.first();
        Connection<String> receiver = pipe.second();
        CompletableFuture<String> blocked = Await.inThread(receiver::recv);
        awaitSleeper(ringOf("recv" + Pipe.A_TO_B, Pipe.DEFAULT_CAPACITY), Ring::sleepingConsumers);

        assertFalse(within("poll()", () -> receiver.poll()));
        assertFalse(within("poll(10 ms)", () -> receiver.poll(SHORT_MILLIS, TimeUnit.MILLISECONDS)));
        assertNull(within("recv(10 ms)", () -> receiver.recv(SHORT_MILLIS, TimeUnit.MILLISECONDS)));
        assertNull(within("recvBytes(10 ms)", () -> receiver.recvBytes(SHORT_MILLIS, TimeUnit.MILLISECONDS)));
        assertEquals(0, within("recvBytes(handler, 10 ms)",
                () -> receiver.recvBytes(bytes -> { }, 1, SHORT_MILLIS, TimeUnit.MILLISECONDS)));

        sender.send("for the waiting thread");
        assertEquals("for the waiting thread", blocked.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void timedSendsReturnWhileAnotherThreadWaitsForRoom() throws Exception {
        RingOptions small = RingOptions.defaults().withCapacity(4096);
        Pipe<Long> pipe = Pipe.open(region, "send", Codec.int64(), small);
        Connection<Long> sender = pipe.first();
        Connection<Long> receiver = pipe.second();
        long sent = 0;
        while (sender.send(sent, 0, TimeUnit.MILLISECONDS)) {
            sent++;
        }
        CompletableFuture<Boolean> blocked = Await.inThread(() -> {
            sender.send(-1L);
            return true;
        });
        awaitSleeper(ringOf("send" + Pipe.A_TO_B, 4096), Ring::sleepingProducers);

        assertFalse(within("send(value, 10 ms)", () -> sender.send(-2L, SHORT_MILLIS, TimeUnit.MILLISECONDS)));
        assertFalse(within("sendBytes(bytes, 10 ms)", () -> sender.sendBytes(new byte[8], SHORT_MILLIS, TimeUnit.MILLISECONDS)));

        for (long i = 0; i < sent; i++) {
            assertEquals(i, receiver.recv(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(true, blocked.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(-1L, receiver.recv(BOUND.toSeconds(), TimeUnit.SECONDS), "the timed sends sent nothing");
    }

    @Test
    void timedTakesOfAnSpscQueueReturnWhileAnotherThreadWaitsInTake() throws Exception {
        QueueOptions options = QueueOptions.defaults().withSingleProducerSingleConsumer(true).withCapacity(4096);
        SharedQueue<String> queue = SharedQueue.open(region, "take", Codec.string(), options);
        CompletableFuture<String> blocked = Await.inThread(queue::take);
        awaitSleeper(SpscRing.open(region, "take", options.ringOptions()), Ring::sleepingConsumers);

        assertNull(within("poll()", () -> queue.poll()));
        assertNull(within("poll(10 ms)", () -> queue.poll(SHORT_MILLIS, TimeUnit.MILLISECONDS)));
        assertEquals(0, within("drain(handler, 10 ms)", () -> queue.drain(e -> { }, 1, SHORT_MILLIS, TimeUnit.MILLISECONDS)));
        assertEquals(0, within("drainTo(list)", () -> queue.drainTo(new ArrayList<>())));

        queue.put("for the waiting thread");
        assertEquals("for the waiting thread", blocked.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void timedPutsOfAnSpscQueueReturnWhileAnotherThreadWaitsForRoom() throws Exception {
        QueueOptions options = QueueOptions.defaults().withSingleProducerSingleConsumer(true).withCapacity(4096);
        SharedQueue<Long> queue = SharedQueue.open(region, "put", Codec.int64(), options);
        long put = 0;
        while (queue.offer(put)) {
            put++;
        }
        CompletableFuture<Boolean> blocked = Await.inThread(() -> {
            queue.put(-1L);
            return true;
        });
        awaitSleeper(SpscRing.open(region, "put", options.ringOptions()), Ring::sleepingProducers);

        assertFalse(within("offer(e)", () -> queue.offer(-2L)));
        assertFalse(within("offer(e, 10 ms)", () -> queue.offer(-2L, SHORT_MILLIS, TimeUnit.MILLISECONDS)));

        for (long i = 0; i < put; i++) {
            assertEquals(i, queue.poll(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(true, blocked.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(-1L, queue.poll(BOUND.toSeconds(), TimeUnit.SECONDS), "the timed puts put nothing");
    }

    private SpscRing ringOf(String name, int capacity) {
        return SpscRing.open(region, name, RingOptions.defaults().withCapacity(capacity));
    }

    /** Waits (bounded) until a thread sleeps in the ring: it is inside its call, holding that side's turn. */
    private static void awaitSleeper(Ring ring, ToIntFunction<Ring> sleepers) {
        Await.until(() -> sleepers.applyAsInt(ring) != 0, BOUND, "no thread went to sleep in ring '" + ring.name() + "'");
    }

    /** What {@code call} returns, on another thread; fails if it is still blocked after {@link #BOUND}. */
    private static <T> T within(String what, Callable<T> call) throws InterruptedException {
        try {
            return Await.inThread(call).get(BOUND.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was still blocked " + BOUND + " later, behind another thread's call without a timeout");
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        }
    }
}
