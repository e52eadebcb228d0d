package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SharedQueue in one process: the BlockingQueue contract, close, per-thread takers, attach by name. */
class SharedQueueTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path temp;
    SharedRegion region;

    @BeforeEach
    void createRegion() {
        region = SharedRegion.create("queues", RegionOptions.defaults().withDirectory(temp).withSize(4 << 20));
    }

    @AfterEach
    void closeRegion() {
        region.close();
    }

    private SharedQueue<String> small(String name) {
        return SharedQueue.open(region, name, Codec.string(), QueueOptions.defaults().withCapacity(1024));
    }

    @Test
    void offerOnAFullQueueReturnsFalseAndSucceedsAgainOnceSpaceIsFreed() throws Exception {
        SharedQueue<String> queue = small("full");
        String element = "x".repeat(100);
        int accepted = 0;
        while (queue.offer(element)) {
            accepted++;
            assertTrue(accepted < 1024, "a 1 KiB ring cannot take that many 100-byte elements");
        }
        assertTrue(accepted >= 5, "accepted " + accepted);
        assertFalse(queue.offer(element, 10, TimeUnit.MILLISECONDS), "timed offer on a full queue gives up");
        assertThrows(IllegalStateException.class, () -> queue.add(element));
        assertEquals(accepted, queue.size());
        assertTrue(queue.remainingCapacity() <= 1, "about nothing left: " + queue.remainingCapacity());
        assertEquals(element, queue.poll());
        assertTrue(queue.offer(element));
    }

    @Test
    void putWaitsForRoomThatATakerMakes() throws Exception {
        SharedQueue<String> queue = small("put");
        while (queue.offer("fill-" + "y".repeat(60))) {
            // fill it
        }
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                queue.put("last");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, r -> Thread.ofPlatform().start(r));
        List<String> taken = new ArrayList<>();
        while (!taken.contains("last")) {
            String e = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(e != null, "the blocked put should land once there is room");
            taken.add(e);
        }
        put.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void pollWithTimeoutOnAnEmptyQueueReturnsNull() throws Exception {
        SharedQueue<String> queue = small("empty");
        assertNull(queue.poll());
        long start = System.nanoTime();
        assertNull(queue.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(WAIT_SECONDS), "returned within the deadline");
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.size());
        assertThrows(java.util.NoSuchElementException.class, queue::remove);
    }

    @Test
    void drainToMovesWhatIsThereInOrder() {
        SharedQueue<Integer> queue = SharedQueue.open(region, "drain", Codec.int32());
        for (int i = 0; i < 10; i++) {
            assertTrue(queue.add(i));
        }
        List<Integer> first = new ArrayList<>();
        assertEquals(3, queue.drainTo(first, 3));
        assertEquals(List.of(0, 1, 2), first);
        List<Integer> rest = new ArrayList<>();
        assertEquals(7, queue.drainTo(rest));
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9), rest);
        assertEquals(0, queue.drainTo(rest));
        assertEquals(0, queue.drainTo(rest, 0));
        assertThrows(IllegalArgumentException.class, () -> queue.drainTo(queue));
        queue.addAll(List.of(1, 2, 3));
        queue.clear();
        assertTrue(queue.isEmpty());
        assertNull(queue.poll());
    }

    @Test
    void aDrainWhoseHandlerThrowsCountsTheElementsTheQueueGaveUp() throws Exception {
        SharedQueue<Integer> queue = SharedQueue.open(region, "throwing", Codec.int32());
        for (int i = 0; i < 10; i++) {
            queue.put(i);
        }
        List<Integer> seen = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> queue.drain(e -> {
            seen.add(e);
            if (e == 3) {
                throw new IllegalStateException("handler failed at " + e);
            }
        }, 10, WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("handler failed at 3", thrown.getMessage());
        assertEquals(List.of(0, 1, 2, 3), seen, "up to and including the element that threw");
        assertEquals(6, queue.size(), "the four the handler saw are gone from the queue");
        List<Integer> rest = new ArrayList<>();
        assertEquals(6, queue.drainTo(rest));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), rest);
        assertEquals(0, queue.size());
    }

    @Test
    void drainRefusesAMaximumBelowOne() {
        SharedQueue<Integer> queue = SharedQueue.open(region, "max", Codec.int32());
        queue.add(1);
        for (int max : new int[] {0, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> queue.drain(x -> { }, max, 1, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("maxElements must be at least 1, was " + max), e.getMessage());
        }
        assertEquals(1, queue.poll(), "nothing was taken");
    }

    @Test
    void nullElementsAreRejected() {
        SharedQueue<String> queue = small("nulls");
        assertThrows(NullPointerException.class, () -> queue.put(null));
        assertThrows(NullPointerException.class, () -> queue.offer(null));
        assertThrows(NullPointerException.class, () -> queue.offer(null, 1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> queue.add(null));
        assertTrue(queue.isEmpty());
    }

    @Test
    void inspectionOperationsAreUnsupportedWithAClearMessage() {
        SharedQueue<String> queue = small("unsupported");
        queue.add("a");
        List<Supplier<Object>> calls = List.of(queue::peek, queue::element, queue::iterator, () -> queue.contains("a"),
                () -> queue.remove("a"), queue::toArray, () -> queue.toArray(new String[0]), queue::stream,
                () -> queue.removeIf(e -> true), () -> queue.containsAll(List.of("a")));
        for (Supplier<Object> call : calls) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call::get);
            assertTrue(e.getMessage().contains("does not support") && e.getMessage().contains("poll"), e.getMessage());
        }
        assertEquals("a", queue.poll(), "nothing was consumed by the unsupported calls");
    }

    @Test
    void closeLetsTakersDrainThenEndsTheStream() throws Exception {
        SharedQueue<String> queue = small("close");
        queue.put("a");
        queue.put("b");
        queue.close();
        assertTrue(queue.isClosed());
        assertThrows(RingClosedException.class, () -> queue.put("c"));
        assertThrows(RingClosedException.class, () -> queue.offer("c"));
        assertEquals("a", queue.take());
        assertEquals("b", queue.poll(1, TimeUnit.SECONDS));
        assertNull(queue.poll());
        assertNull(queue.poll(WAIT_SECONDS, TimeUnit.SECONDS), "end of stream: null at once, no wait");
        EndOfStreamException end = assertThrows(EndOfStreamException.class, queue::take);
        assertTrue(end.getMessage().contains("'close'"), end.getMessage());
        SharedQueue<String> other = SharedQueue.open(region, "close", Codec.string());
        assertTrue(other.isClosed(), "closing is seen by every handle");
        assertThrows(EndOfStreamException.class, other::take);
    }

    @Test
    void aSecondHandleAttachesByNameWithTheKindTheQueueWasCreatedWith() throws Exception {
        SharedQueue<Long> spsc = SharedQueue.open(region, "fast", Codec.int64(),
                QueueOptions.defaults().withSingleProducerSingleConsumer(true));
        SharedQueue<Long> attached = SharedQueue.open(region, "fast", Codec.int64());
        assertTrue(attached.isSingleProducerSingleConsumer());
        spsc.put(7L);
        assertEquals(7L, attached.take());
        assertThrows(IllegalStateException.class, () -> SharedQueue.open(region, "fast.queue", Codec.int64()),
                "a queue name whose header slot would clash");
    }

    @Test
    void anUndecodableElementIsReportedAndTheQueueGoesOn() throws Exception {
        SharedQueue<String> strings = small("mixed");
        SharedQueue<Integer> ints = SharedQueue.open(region, "mixed", Codec.int32());
        strings.put("abc");
        ints.put(5);
        CodecException e = assertThrows(CodecException.class, ints::take);
        assertTrue(e.getMessage().contains("int32") && e.getMessage().contains("3-byte message [61 62 63]"), e.getMessage());
        assertEquals(5, ints.take());
        strings.put("zz");
        strings.put("abcd");
        List<Integer> out = new ArrayList<>();
        assertThrows(CodecException.class, () -> ints.drainTo(out));
        assertEquals(List.of(0x64636261), out, "the decodable element is still drained");
    }

    @Test
    void spscFastPathKeepsOrderBetweenTwoThreads() throws Exception {
        SharedQueue<Long> queue = SharedQueue.open(region, "spsc", Codec.int64(),
                QueueOptions.defaults().withCapacity(4096).withSingleProducerSingleConsumer(true));
        int n = 100_000;
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (long i = 0; i < n; i++) {
                    queue.put(i);
                }
                queue.close();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, r -> Thread.ofPlatform().start(r));
        long expected = 0;
        for (Long v; (v = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS)) != null; ) {
            assertEquals(expected++, v);
        }
        assertEquals(n, expected);
        assertTrue(queue.isClosed(), "poll returned null at the end of the stream, not at a timeout");
        producer.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void manyThreadsPutAndTakeEachElementExactlyOnce() throws Exception {
        SharedQueue<String> queue = SharedQueue.open(region, "mpmc", Codec.string(),
                QueueOptions.defaults().withCapacity(16 << 10));
        int producers = 3;
        int consumers = 3;
        int perProducer = 20_000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<CompletableFuture<Void>> producing = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            producing.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < perProducer; i++) {
                        queue.put(id + ":" + i);
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, r -> Thread.ofPlatform().start(r)));
        }
        List<CompletableFuture<Void>> consuming = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            boolean drainer = c == 0;
            consuming.add(CompletableFuture.runAsync(() -> {
                try {
                    List<String> batch = new ArrayList<>();
                    for (;;) {
                        if (drainer && queue.drainTo(batch, 50) > 0) {
                            for (String e : batch) {
                                if (!seen.add(e)) {
                                    duplicates.incrementAndGet();
                                }
                            }
                            batch.clear();
                            continue;
                        }
                        if (!seen.add(queue.take())) {
                            duplicates.incrementAndGet();
                        }
                    }
                } catch (EndOfStreamException end) {
                    // done
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, r -> Thread.ofPlatform().start(r)));
        }
        CompletableFuture.allOf(producing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        queue.close();
        CompletableFuture.allOf(consuming.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEquals(0, duplicates.get());
        assertEquals(producers * perProducer, seen.size());
        assertEquals(0, queue.size());
        assertEquals(0, queue.lostElements());
    }

    @Test
    void consumerSlotsOfEndedThreadsAndDetachedHandlesAreReused() throws Exception {
        SharedQueue<Integer> queue = SharedQueue.open(region, "slots", Codec.int32(),
                QueueOptions.defaults().withConsumerSlots(2));
        for (int i = 0; i < 6; i++) {
            queue.put(i);
        }
        List<Integer> taken = new ArrayList<>();
        for (int t = 0; t < 6; t++) { // six threads in turn, each taking one: only two slots exist
            CompletableFuture<Integer> one = new CompletableFuture<>();
            Thread taker = Thread.ofPlatform().start(() -> {
                try {
                    one.complete(queue.take());
                } catch (Throwable e) {
                    one.completeExceptionally(e);
                }
            });
            taken.add(one.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(taker.join(Duration.ofSeconds(WAIT_SECONDS)), "the taker thread ended");
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5), taken);

        queue.put(10);
        assertEquals(10, queue.take()); // this thread holds a slot
        SharedQueue<Integer> other = SharedQueue.open(region, "slots", Codec.int32());
        other.put(11);
        assertEquals(11, other.take()); // and this handle the second
        SharedQueue<Integer> third = SharedQueue.open(region, "slots", Codec.int32());
        third.put(12);
        IllegalStateException full = assertThrows(IllegalStateException.class, third::poll);
        assertTrue(full.getMessage().contains("consumer slots"), full.getMessage());
        other.detach();
        assertThrows(IllegalStateException.class, other::poll, "a detached handle is unusable");
        assertEquals(12, third.take(), "the detached handle's slot was given back");
    }
}
