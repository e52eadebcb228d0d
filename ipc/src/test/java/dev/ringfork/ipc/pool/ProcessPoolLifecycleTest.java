package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Closing a pool while results are open: an abandoned result set never blocks {@code close()}, a reader
 * still at work gets everything, and a result set read after the pool ended says so instead of hanging.
 * Also: the worker JVMs' pids are there as soon as {@code build()} returns.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolLifecycleTest {

    /** Generous bound on anything that should take a few seconds: a regression fails here instead of hanging. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void closeReturnsAfterAStreamLimitLeftTheResultsUnclosed() {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            List<Integer> firstThree = pool.imap(x -> 2 * x, IntStream.range(0, 100_000).boxed().toList())
                    .stream().limit(3).toList(); // never closes the results
            assertEquals(List.of(0, 2, 4), firstThree);
            assertTimeoutPreemptively(BOUND, pool::close, "close() waited for results nobody reads");
            assertTrue(pool.isTerminated());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void abandonedResultsAreClosedByTheCleanerOnceCollected() {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            AtomicBoolean sourceClosed = new AtomicBoolean();
            assertEquals(1, readOneAndDrop(pool, sourceClosed));
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!sourceClosed.get()) {
                if (System.nanoTime() > deadline) {
                    fail("the unreachable results were not closed (their source is still open) within " + BOUND);
                }
                System.gc(); // what we wait for is the collection of the unreachable results
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts a map over a stream, reads one result, and drops the results without closing them. */
    private static int readOneAndDrop(ProcessPool pool, AtomicBoolean sourceClosed) {
        Stream<Integer> source = Stream.iterate(0, x -> x + 1).onClose(() -> sourceClosed.set(true));
        return pool.imap(x -> x + 1, source).next();
    }

    @Test
    void resultsReadAfterThePoolClosedGiveWhatHadArrivedThenSaySo() {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            PoolResults<Integer> results = pool.imap(x -> x, IntStream.range(0, 1_000_000).boxed().toList(), 100);
            for (int i = 0; i < 5; i++) {
                assertEquals(i, results.next());
            }
            // In the reader's own thread: while it waits in close() it cannot read, so its map is cancelled
            // (a reader in another live thread would be waited for). The class's @Timeout bounds a hang.
            assertTimeout(BOUND, pool::close, "close() waited for results nobody reads");
            List<Integer> rest = new ArrayList<>();
            RuntimeException end = assertTimeoutPreemptively(BOUND, () -> {
                try {
                    while (results.hasNext()) {
                        rest.add(results.next());
                    }
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }, "reading the results after the pool closed hung");
            CancellationException cancelled = assertInstanceOf(CancellationException.class, end,
                    "the results ended early without saying so (" + rest.size() + " more read)");
            assertTrue(cancelled.getMessage().contains("closed before"), cancelled.getMessage());
            assertTrue(rest.size() >= 95, "the rest of the chunk being read was handed out: " + rest.size());
            assertEquals(IntStream.range(5, 5 + rest.size()).boxed().toList(), rest, "what had arrived, in order");
            results.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderStillAtWorkWhileCloseWaitsGetsEveryResult() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(2).build();
        try {
            CountDownLatch started = new CountDownLatch(1);
            // One chunk of 100 results, read at 40 ms each: 4 s, twice the grace period of an idle reader.
            CompletableFuture<List<Integer>> read = CompletableFuture.supplyAsync(() -> {
                List<Integer> got = new ArrayList<>();
                try (PoolResults<Integer> results = pool.imap(x -> x * 3, IntStream.range(0, 100).boxed().toList(), 100)) {
                    while (results.hasNext()) {
                        got.add(results.next());
                        started.countDown();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(40)); // the reader's own slow work
                    }
                }
                return got;
            });
            assertTrue(started.await(BOUND.toSeconds(), TimeUnit.SECONDS), "no result within " + BOUND);
            assertTimeoutPreemptively(BOUND, pool::close, "close() did not return once the reader finished");
            assertEquals(IntStream.range(0, 100).map(x -> x * 3).boxed().toList(), read.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderLongerThanTheGracePeriodOnOneItemWhileCloseWaitsGetsEveryResult() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            int count = 20_000; // chunks of 1: far more than the map cuts ahead of its reader
            CountDownLatch firstRead = new CountDownLatch(1);
            CompletableFuture<List<Integer>> read = CompletableFuture.supplyAsync(() -> {
                List<Integer> got = new ArrayList<>();
                try (PoolResults<Integer> results = pool.imap(x -> x + 1, IntStream.range(0, count).boxed().toList(), 1)) {
                    got.add(results.next());
                    firstRead.countDown();
                    // The reader's own slow work on one item: 3 s, longer than the 2 s grace period of a quiet reader.
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
                    while (results.hasNext()) {
                        got.add(results.next());
                    }
                }
                return got;
            });
            assertTrue(firstRead.await(BOUND.toSeconds(), TimeUnit.SECONDS), "no result within " + BOUND);
            assertTimeoutPreemptively(BOUND, pool::close, "close() did not return once the reader finished");
            List<Integer> got;
            try {
                got = read.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the reader, still holding its results, was cut off: " + e.getCause(), e.getCause());
            }
            assertEquals(IntStream.range(1, count + 1).boxed().toList(), got);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void workerPidsListsEveryWorkerJvmAsSoonAsBuildReturns() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            List<Long> pids = pool.workerPids();
            assertEquals(2, pids.size(), "worker pids right after build(): " + pids);
            assertEquals(2, new HashSet<>(pids).size(), "distinct: " + pids);
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker pid " + pid + " runs");
            }
        }
    }
}
