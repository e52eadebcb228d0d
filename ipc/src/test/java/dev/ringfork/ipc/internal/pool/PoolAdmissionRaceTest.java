package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.ProcessPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code submit} racing {@code shutdown()}: every submit either is rejected with
 * {@link RejectedExecutionException} or returns a future that completes; none stays incomplete.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolAdmissionRaceTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @AfterEach
    void clearHook() {
        PoolEngine.admissionHook = null;
    }

    @Test
    void aSubmitOvertakenByShutdownIsRejectedOrCompletes() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        try {
            long worker = pool.submit(() -> ProcessHandle.current().pid()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            // Widens the window: between submit's start and its admission the pool shuts down, and its dispatcher,
            // finding nothing to do, stops its worker (the submit comes in while it cleans up, or after).
            PoolEngine.admissionHook = () -> {
                PoolEngine.admissionHook = null;
                pool.shutdown();
                try {
                    ProcessHandle.of(worker).ifPresent(handle -> handle.onExit().orTimeout(BOUND.toSeconds(), TimeUnit.SECONDS).join());
                } catch (CompletionException e) {
                    throw new AssertionError("the idle pool's worker did not exit after shutdown()", e);
                }
            };
            CompletableFuture<Integer> future;
            try {
                future = pool.submit(() -> 42);
            } catch (RejectedExecutionException rejected) {
                return; // the right answer for a submit that lost the race
            }
            try {
                future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException completedExceptionally) {
                // also an ending
            } catch (TimeoutException e) {
                fail("submit returned a future that never completes (the pool stopped without it): " + future);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tasksSubmittedWhileAnotherThreadShutsThePoolDownAllEnd() throws Exception {
        for (int round = 0; round < 3; round++) {
            ProcessPool pool = ProcessPool.builder().workers(1).build();
            try {
                List<CompletableFuture<Integer>> accepted = new ArrayList<>();
                CountDownLatch some = new CountDownLatch(20);
                CompletableFuture<Integer> submitter = CompletableFuture.supplyAsync(() -> {
                    int rejected = 0;
                    for (int i = 0; i < 10_000 && rejected == 0; i++) {
                        try {
                            int x = i;
                            accepted.add(pool.submit(() -> x));
                            some.countDown();
                        } catch (RejectedExecutionException e) {
                            rejected++;
                        }
                    }
                    return rejected;
                });
                assertTrue(some.await(BOUND.toSeconds(), TimeUnit.SECONDS), "no submit accepted");
                pool.shutdown();
                submitter.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                for (CompletableFuture<Integer> future : accepted) {
                    try {
                        future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        // completed exceptionally: an ending
                    } catch (TimeoutException e) {
                        fail("round " + round + ": an accepted task's future never completed: " + future);
                    }
                }
                assertTrue(pool.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS), "the pool terminated");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aTerminatedPoolRejectsWorkAndShutsDownAgainQuietly() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).build();
        pool.close();
        assertTrue(pool.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> pool.map(x -> x, java.util.List.of(1)));
        pool.shutdown();
        pool.shutdownNow();
        pool.close();
        assertTrue(pool.awaitTermination(0, TimeUnit.SECONDS));
    }
}
