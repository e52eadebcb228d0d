package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shutdown(true)} (Python's {@code shutdown(cancel_futures=True)}): work not yet sent to a worker
 * is cancelled, work a worker holds runs to its end; {@code shutdownNow()} cancels the pending work the
 * same way and stops the running work too. One worker, whose first task is held while the pool shuts down.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolShutdownTest {

    private static final long BOUND_SECONDS = FileGate.BOUND.toSeconds();
    private static final int TASKS = 12; // a worker holds at most 4 calls at once: most stay pending
    @TempDir
    Path markers;

    /** Submits {@link #TASKS} calls to a one-worker pool; the first is running and held when this returns. */
    private static List<CompletableFuture<Integer>> submitWithTheFirstHeld(ProcessPool pool, FileGate gate) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            int x = i;
            futures.add(pool.submit(() -> {
                gate.mark("ran-" + x);
                if (x == 0) {
                    gate.await("release");
                }
                return x;
            }));
        }
        gate.await("ran-0");
        return futures;
    }

    @Test
    void shutdownCancellingPendingWorkLetsTheRunningTaskFinishAndCancelsWhatWasNotSent() throws Exception {
        FileGate gate = FileGate.in(markers);
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            List<CompletableFuture<Integer>> futures = submitWithTheFirstHeld(pool, gate);
            pool.shutdown(true);
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
            gate.mark("release");
            assertTrue(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS), "the pool did not terminate");
            assertEquals(0, futures.getFirst().get(), "the running task ran to its end");
            int cancelled = 0;
            for (int i = 0; i < TASKS; i++) {
                CompletableFuture<Integer> future = futures.get(i);
                assertTrue(future.isDone());
                if (future.isCancelled()) {
                    cancelled++;
                    assertFalse(gate.isMarked("ran-" + i), "task " + i + " was cancelled, yet it ran");
                } else {
                    assertEquals(i, future.get(), "task " + i);
                    assertEquals(0, cancelled, "task " + i + " ran, yet one submitted before it was cancelled");
                }
            }
            assertTrue(cancelled >= TASKS - 4, "the tasks not sent to the worker were cancelled: only " + cancelled);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shutdownWithoutCancellingRunsEverything() throws Exception {
        FileGate gate = FileGate.in(markers);
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            List<CompletableFuture<Integer>> futures = submitWithTheFirstHeld(pool, gate);
            pool.shutdown(false);
            gate.mark("release");
            assertTrue(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS), "the pool did not terminate");
            assertEquals(IntStream.range(0, TASKS).boxed().toList(), futures.stream().map(CompletableFuture::join).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shutdownNowCancelsThePendingWorkLikeShutdownTrueAndTheRunningTaskToo() throws Exception {
        FileGate gate = FileGate.in(markers);
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            List<CompletableFuture<Integer>> futures = submitWithTheFirstHeld(pool, gate);
            assertEquals(List.of(), pool.shutdownNow());
            assertTrue(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS), "the pool did not terminate");
            for (CompletableFuture<Integer> future : futures) {
                assertTrue(future.isCancelled(), "every task, the running one too, is cancelled: " + future);
            }
            for (int i = 4; i < TASKS; i++) {
                assertFalse(gate.isMarked("ran-" + i), "task " + i + " was never sent, yet it ran");
            }
        } finally {
            gate.mark("release");
        }
    }

    @Test
    void aMapCutShortByShutdownTrueGivesWhatRanThenSaysTheRestWasCancelled() throws Exception {
        FileGate gate = FileGate.in(markers);
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            PoolResults<Integer> results = pool.imap(x -> {
                if (x == 0) {
                    gate.mark("map-started");
                    gate.await("map-release");
                }
                return x;
            }, IntStream.iterate(0, x -> x + 1).boxed().iterator(), 1); // infinite: only shutdown ends it
            CompletableFuture<List<Object>> read = CompletableFuture.supplyAsync(() -> {
                List<Object> got = new ArrayList<>();
                try (results) {
                    while (results.hasNext()) {
                        try {
                            got.add(results.next());
                        } catch (CancellationException e) {
                            got.add(e);
                        }
                    }
                } catch (CancellationException e) {
                    got.add(e); // the end: the source was not read further
                }
                return got;
            });
            gate.await("map-started");
            pool.shutdown(true);
            gate.mark("map-release");
            List<Object> got = read.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, got.getFirst(), "the item running when the pool shut down ran to its end");
            CancellationException end = assertInstanceOf(CancellationException.class, got.getLast(), "ends saying so: " + got);
            assertTrue(end.getMessage().contains("shutdown(true)"), end.getMessage());
            int firstCancelled = 0;
            while (got.get(firstCancelled) instanceof Integer value) {
                assertEquals(firstCancelled, value, "results in order");
                firstCancelled++;
            }
            for (Object rest : got.subList(firstCancelled, got.size())) {
                assertInstanceOf(CancellationException.class, rest, "after the first item cancelled, none ran: " + got);
            }
            assertTrue(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS), "the pool did not terminate");
        } finally {
            pool.shutdownNow();
        }
    }
}
