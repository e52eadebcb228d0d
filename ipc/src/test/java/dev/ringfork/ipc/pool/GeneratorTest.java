package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(10)
class GeneratorTest {

    private static final long DEADLINE_MS = 5_000;

    /** Joins the body's thread, failing if it is still alive at the deadline. */
    private static void assertEnds(Thread thread) throws InterruptedException {
        assertNotNull(thread, "the body thread was never started");
        thread.join(DEADLINE_MS);
        assertFalse(thread.isAlive(), () -> thread.getName() + " is still running: " + Arrays.toString(thread.getStackTrace()));
    }

    /** Waits (polling, with a deadline) until {@code thread} is parked, i.e. blocked in yield. */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                fail(thread.getName() + " did not block in yield; it is " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void finiteBodyKeepsOrder() throws InterruptedException {
        try (Generator<Integer> numbers = Generator.of(sink -> {
            for (int i = 0; i < 10_000; i++) {
                sink.yield(i);
            }
        })) {
            List<Integer> seen = new ArrayList<>();
            numbers.forEachRemaining(seen::add);
            assertEquals(10_000, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i));
            }
            assertFalse(numbers.hasNext());
            assertThrows(NoSuchElementException.class, numbers::next);
            assertEnds(numbers.bodyThread());
        }
    }

    @Test
    void startsLazilyOnADaemonThreadWithItsName() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        try (Generator<String> one = Generator.of(sink -> {
            ran.set(true);
            sink.yield(Thread.currentThread().getName());
        })) {
            assertNull(one.bodyThread());
            assertFalse(ran.get());
            assertTrue(one.hasNext());
            Thread body = one.bodyThread();
            assertTrue(body.isDaemon());
            assertTrue(one.next().startsWith("ringfork-generator-"));
            assertFalse(one.hasNext());
            assertEnds(body);
        }
    }

    @Test
    void endlessBodyIsStoppedByCloseWithBoundedReadAhead() throws InterruptedException {
        AtomicLong produced = new AtomicLong();
        AtomicReference<Throwable> unwoundBy = new AtomicReference<>();
        Generator<Long> counter = Generator.of(sink -> {
            try {
                for (long i = 0; ; i++) {
                    sink.yield(i);
                    produced.incrementAndGet();
                }
            } catch (Throwable e) {
                unwoundBy.set(e);
                throw e;
            }
        });
        int consumed = 1_000_000;
        for (long i = 0; i < consumed; i++) {
            long value = counter.next();
            if (value != i) {
                assertEquals(i, value);
            }
        }
        counter.close();
        assertEnds(counter.bodyThread());
        assertTrue(produced.get() <= consumed + Generator.BUFFER,
                () -> "the body got ahead by " + (produced.get() - consumed) + " values");
        assertInstanceOf(Error.class, unwoundBy.get(), "yield after close throws the internal error");
        assertFalse(counter.hasNext());
        assertThrows(NoSuchElementException.class, counter::next);
    }

    @Test
    void bodyExceptionArrivesAfterTheValuesBeforeIt() throws InterruptedException {
        IOException boom = new IOException("boom");
        Generator<Integer> failing = Generator.of(sink -> {
            sink.yield(1);
            sink.yield(2);
            sink.yield(3);
            throw boom;
        });
        assertEquals(1, failing.next());
        assertEquals(2, failing.next());
        assertEquals(3, failing.next());
        GeneratorException failure = assertThrows(GeneratorException.class, failing::hasNext);
        assertSame(boom, failure.getCause());
        assertTrue(failure.getMessage().contains("boom"), failure.getMessage());
        assertSame(boom, assertThrows(GeneratorException.class, failing::next).getCause());
        assertEnds(failing.bodyThread());
        failing.close();
        assertFalse(failing.hasNext());
    }

    @Test
    void closeUnblocksABodyWaitingInYield() throws InterruptedException {
        CountDownLatch unwound = new CountDownLatch(1);
        Generator<Integer> blocked = Generator.of(sink -> {
            try {
                for (int i = 0; ; i++) {
                    sink.yield(i);
                }
            } finally {
                unwound.countDown();
            }
        });
        assertEquals(0, blocked.next());
        awaitParked(blocked.bodyThread());
        blocked.close();
        assertTrue(unwound.await(DEADLINE_MS, TimeUnit.MILLISECONDS), "the body did not unwind");
        assertEnds(blocked.bodyThread());
        assertFalse(blocked.hasNext());
    }

    @Test
    void hasNextIsIdempotent() {
        try (Generator<Integer> numbers = Generator.of(sink -> {
            for (int i = 0; i < 100; i++) {
                sink.yield(i);
            }
        })) {
            for (int i = 0; i < 100; i++) {
                for (int k = 0; k < 3; k++) {
                    assertTrue(numbers.hasNext());
                }
                assertEquals(i, numbers.next());
            }
            assertFalse(numbers.hasNext());
            assertFalse(numbers.hasNext());
        }
    }

    @Test
    void eachValueIsDeliveredWithoutWaitingForMore() {
        // The body waits for an acknowledgement of each value before it yields the next one: a hand-off that
        // held values back until a batch filled would deadlock here.
        BlockingQueue<Integer> acks = new ArrayBlockingQueue<>(1);
        try (Generator<Integer> pingPong = Generator.of(sink -> {
            for (int i = 0; i < 200; i++) {
                sink.yield(i);
                if (acks.poll(DEADLINE_MS, TimeUnit.MILLISECONDS) == null) {
                    throw new IllegalStateException("no acknowledgement of " + i);
                }
            }
        })) {
            for (int i = 0; i < 200; i++) {
                assertEquals(i, pingPong.next());
                acks.add(i);
            }
            assertFalse(pingPong.hasNext());
        }
    }

    @Test
    void streamIsLazyAndClosingItStopsTheBody() throws InterruptedException {
        Generator<Integer> numbers = Generator.of(sink -> {
            for (int i = 0; ; i++) {
                sink.yield(i);
            }
        });
        try (Stream<Integer> stream = numbers.stream()) {
            assertEquals(List.of(0, 2, 4, 6, 8), stream.filter(i -> i % 2 == 0).limit(5).toList());
        }
        assertEnds(numbers.bodyThread());
        assertFalse(numbers.hasNext());
    }

    @Test
    void closeBeforeStartRunsNothing() {
        AtomicBoolean ran = new AtomicBoolean();
        Generator<Integer> unused = Generator.of(sink -> ran.set(true));
        unused.close();
        unused.close();
        assertFalse(unused.hasNext());
        assertNull(unused.bodyThread());
        assertFalse(ran.get());
    }

    @Test
    void nullsAndAnEmptyBodyWork() {
        try (Generator<String> nulls = Generator.of(sink -> {
            sink.yield(null);
            sink.yield("x");
        })) {
            assertNull(nulls.next());
            assertEquals("x", nulls.next());
            assertFalse(nulls.hasNext());
        }
        try (Generator<String> empty = Generator.of(sink -> {
        })) {
            assertFalse(empty.hasNext());
            assertThrows(NoSuchElementException.class, empty::next);
        }
    }

    @Test
    void yieldFromAnotherThreadIsRefused() {
        try (Generator<Integer> wrong = Generator.of(sink -> {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread helper = Thread.ofPlatform().start(() -> {
                try {
                    sink.yield(1);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            helper.join();
            throw (Exception) failure.get();
        })) {
            GeneratorException e = assertThrows(GeneratorException.class, wrong::hasNext);
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("only the generator's body thread"), e.getCause().getMessage());
        }
    }

    @Test
    void anAbandonedGeneratorIsClosedWhenCollected() throws InterruptedException {
        Thread body = startAndAbandon();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (body.isAlive() && System.nanoTime() < deadline) {
            System.gc();
            body.join(50);
        }
        assertFalse(body.isAlive(), "the body of an unreachable generator is still running");
    }

    private static Thread startAndAbandon() {
        Generator<Integer> abandoned = Generator.of(sink -> {
            for (int i = 0; ; i++) {
                sink.yield(i);
            }
        });
        assertEquals(0, abandoned.next());
        return abandoned.bodyThread();
    }
}
