package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Futures#asCompleted} and {@link Futures#wait}: over the pool's futures (completed by worker JVMs
 * in an order the test controls) and over futures of other kinds, which are polled.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FuturesTest {

    private static final long BOUND_SECONDS = FileGate.BOUND.toSeconds();
    private static ProcessPool pool;
    @TempDir
    static Path markers;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.builder().workers(2).build();
        FileGate.awaitReady(pool);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    /**
     * A task running in one worker, held there until the test marks {@code release}: a task submitted after
     * this returns goes to the other worker, which holds nothing.
     */
    private static CompletableFuture<String> held(FileGate gate, String release) {
        CompletableFuture<String> held = pool.submit(() -> {
            gate.mark(release + "-started");
            gate.await(release);
            return release;
        });
        gate.await(release + "-started");
        return held;
    }

    @Test
    void asCompletedHandsOutThePoolsFuturesInTheOrderTheyComplete() {
        FileGate gate = FileGate.in(markers);
        CompletableFuture<String> slow = held(gate, "slow");
        CompletableFuture<String> quick = pool.submit(() -> "quick");
        List<String> order = new ArrayList<>();
        for (CompletableFuture<String> done : Futures.asCompleted(List.of(slow, quick))) {
            order.add(done.join());
            gate.mark("slow"); // only once the quick one came out
        }
        assertEquals(List.of("quick", "slow"), order);
    }

    @Test
    void asCompletedPollsFuturesThatAreNotCompletableFutures() {
        FutureTask<String> first = new FutureTask<>(() -> "first");
        FutureTask<String> second = new FutureTask<>(() -> "second");
        CompletableFuture<String> done = CompletableFuture.completedFuture("done");
        Iterator<Future<String>> order = Futures.<Future<String>>asCompleted(List.of(first, second, done)).iterator();
        assertEquals(done, order.next(), "what is done already comes first");
        Thread.ofPlatform().start(second);
        assertEquals(second, order.next());
        Thread.ofPlatform().start(first);
        assertEquals(first, order.next());
        assertFalse(order.hasNext());
    }

    @Test
    void asCompletedWithATimeoutThrowsOnceTheTimeoutPassed() {
        FileGate gate = FileGate.in(markers);
        CompletableFuture<String> never = held(gate, "timeout-release");
        CompletableFuture<String> now = CompletableFuture.completedFuture("now");
        Iterator<CompletableFuture<String>> order = Futures.asCompleted(List.of(never, now), 100, TimeUnit.MILLISECONDS).iterator();
        assertEquals(now, order.next());
        CompletionException timedOut = assertThrows(CompletionException.class, order::next);
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        gate.mark("timeout-release");
    }

    @Test
    void aTimeoutTooLongForALongMeansNoTimeout() throws Exception {
        // Long.MAX_VALUE days is no deadline: neither call may time out at once, nor overflow into the past.
        CompletableFuture<String> later = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> later.complete("done"));
        Iterator<CompletableFuture<String>> order = Futures.asCompleted(List.of(later), Long.MAX_VALUE, TimeUnit.DAYS).iterator();
        assertEquals("done", order.next().join());
        CompletableFuture<String> other = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> other.complete("also"));
        var all = Futures.wait(List.of(other), Long.MAX_VALUE, TimeUnit.DAYS, Futures.ReturnWhen.ALL_COMPLETED);
        assertEquals(Set.of(other), all.done());
    }

    @Test
    void waitForTheFirstCompletedReturnsTheOneDone() throws Exception {
        FileGate gate = FileGate.in(markers);
        CompletableFuture<String> slow = held(gate, "first-completed");
        CompletableFuture<String> quick = pool.submit(() -> "quick");
        Futures.DoneAndNotDone<CompletableFuture<String>> result =
                Futures.wait(List.of(slow, quick), BOUND_SECONDS, TimeUnit.SECONDS, Futures.ReturnWhen.FIRST_COMPLETED);
        assertEquals(Set.of(quick), result.done());
        assertEquals(Set.of(slow), result.notDone());
        gate.mark("first-completed");
    }

    @Test
    void waitForTheFirstExceptionReturnsOnTheFailureWhileOthersRun() throws Exception {
        FileGate gate = FileGate.in(markers);
        CompletableFuture<String> slow = held(gate, "first-exception");
        CompletableFuture<Integer> failing = pool.submit(() -> Integer.parseInt("not a number"));
        Futures.DoneAndNotDone<CompletableFuture<?>> result = Futures.wait(List.of(slow, failing), BOUND_SECONDS,
                TimeUnit.SECONDS, Futures.ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.of(failing), result.done());
        assertEquals(Set.of(slow), result.notDone());
        gate.mark("first-exception");
    }

    @Test
    void waitForAllCompletedWithoutFailuresWaitsForAll() throws Exception {
        List<CompletableFuture<Integer>> squares = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int x = i;
            squares.add(pool.submit(() -> x * x));
        }
        Futures.DoneAndNotDone<CompletableFuture<Integer>> result =
                Futures.wait(squares, BOUND_SECONDS, TimeUnit.SECONDS, Futures.ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.copyOf(squares), result.done());
        assertTrue(result.notDone().isEmpty());
    }

    @Test
    void waitThatTimesOutSaysWhatIsNotDone() throws Exception {
        FileGate gate = FileGate.in(markers);
        CompletableFuture<String> slow = held(gate, "all-timeout");
        CompletableFuture<String> quick = pool.submit(() -> "quick");
        quick.get(BOUND_SECONDS, TimeUnit.SECONDS);
        Futures.DoneAndNotDone<CompletableFuture<String>> result =
                Futures.wait(List.of(slow, quick), 100, TimeUnit.MILLISECONDS, Futures.ReturnWhen.ALL_COMPLETED);
        assertEquals(Set.of(quick), result.done());
        assertEquals(Set.of(slow), result.notDone());
        gate.mark("all-timeout");
    }
}
