package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map forms beyond {@code map}/{@code imap}: {@code mapAsync} (Python's {@code map_async}) and its
 * cancellation, {@code next(timeout)} on lazy results, {@code starmap} over three iterables and over
 * argument lists, and {@code supplyAsync}/{@code runAsync}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolMapFormsTest {

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

    @Test
    void mapAsyncCompletesWithEveryResultInOrderAndRunsItsCallbacks() throws Exception {
        List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        AtomicReference<List<Integer>> seenByCallback = new AtomicReference<>();
        CompletableFuture<List<Integer>> squares = pool.mapAsync(x -> x * x, items);
        CompletableFuture<Void> callback = squares.thenAccept(seenByCallback::set);
        List<Integer> expected = items.stream().map(x -> x * x).toList();
        assertEquals(expected, squares.get(BOUND_SECONDS, TimeUnit.SECONDS));
        callback.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(expected, seenByCallback.get());
    }

    @Test
    void mapAsyncFailsWithTheFirstFailingItem() {
        CompletableFuture<List<Integer>> results = pool.mapAsync(x -> 10 / (x - 3), List.of(1, 2, 3, 4), 1);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> results.get(BOUND_SECONDS, TimeUnit.SECONDS));
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, failed.getCause());
        assertTrue(remote.getMessage().contains("ArithmeticException"), remote.getMessage());
    }

    @Test
    void mapAsyncRefusesAFunctionThatIsNotSerializableAtOnce() {
        Object notSerializable = new Object();
        assertThrows(TaskNotSerializableException.class,
                () -> pool.mapAsync((Integer x) -> x + notSerializable.hashCode(), List.of(1)));
    }

    @Test
    void cancellingMapAsyncStopsTheMap() {
        FileGate gate = FileGate.in(markers);
        int count = 2000;
        ProcessPool one = ProcessPool.builder().workers(1).build();
        try {
            CompletableFuture<List<Integer>> results = one.mapAsync(x -> {
                gate.mark("ran-" + x);
                if (x == 0) {
                    gate.await("cancelled"); // the first item holds the worker until the map was cancelled
                }
                return x;
            }, IntStream.range(0, count).boxed().toList(), 1);
            gate.await("ran-0");
            assertTrue(results.cancel(true));
            gate.mark("cancelled");
            assertTimeoutPreemptively(FileGate.BOUND, one::close, "close() waited for the cancelled map");
            assertTrue(results.isCancelled());
            long ran = gate.count("ran-");
            assertTrue(ran < count, "every item ran after the map was cancelled: " + ran);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void nextWithATimeoutThrowsTimeoutExceptionAndTheResultsGoOnAfterwards() throws Exception {
        FileGate gate = FileGate.in(markers);
        try (PoolResults<Integer> results = pool.imap(x -> {
            if (x == 1) {
                gate.await("next-release");
            }
            return x * 10;
        }, List.of(0, 1, 2), 1)) {
            assertEquals(0, results.next(BOUND_SECONDS, TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> results.next(50, TimeUnit.MILLISECONDS), "item 1 is held in its worker");
            assertThrows(TimeoutException.class, () -> results.next(0, TimeUnit.MILLISECONDS), "still held");
            gate.mark("next-release");
            assertEquals(10, results.next(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(20, results.next());
            assertFalse(results.hasNext());
        }
    }

    @Test
    void nextWithATimeoutGivesTheRemoteFailureOfItsItem() throws Exception {
        try (PoolResults<Integer> results = pool.imap(x -> 6 / x, List.of(0, 3), 1)) {
            assertThrows(RemoteTaskException.class, () -> results.next(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(2, results.next(BOUND_SECONDS, TimeUnit.SECONDS));
            assertThrows(java.util.NoSuchElementException.class, () -> results.next(BOUND_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void starmapOfThreeTakesTheTriplesUpToTheShortest() {
        List<String> got = pool.starmap((s, from, to) -> s.substring(from, to),
                List.of("ringfork", "process", "pool", "unused"), List.of(0, 1, 2, 0), List.of(4, 3));
        assertEquals(List.of("ring", "ro"), got);
    }

    @Test
    void starmapOfArgumentListsAppliesTheFunctionToEachList() {
        List<Double> powers = pool.starmap(args -> Math.pow((Double) args.get(0), (Double) args.get(1)),
                List.of(List.of(2.0, 5.0), List.of(3.0, 2.0), List.of(10.0, 0.0)));
        assertEquals(List.of(32.0, 9.0, 1.0), powers);
    }

    @Test
    void starmapOfTwoStillTakesThePairs() {
        assertEquals(List.of(3, 7), pool.starmap(Integer::sum, List.of(1, 3, 99), List.of(2, 4)));
    }

    @Test
    void supplyAsyncAndRunAsyncRunInAWorker() throws Exception {
        long pid = pool.supplyAsync(() -> ProcessHandle.current().pid()).get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertNotEquals(ProcessHandle.current().pid(), pid);
        assertTrue(pool.workerPids().contains(pid));
        FileGate gate = FileGate.in(markers);
        pool.runAsync(() -> gate.mark("run-async")).get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertTrue(pool.workerPids().contains(gate.pidIn("run-async")));
    }

    @Test
    void aCancelledSupplyAsyncSaysCancelled() {
        FileGate gate = FileGate.in(markers);
        CompletableFuture<String> held = pool.supplyAsync(() -> {
            gate.await("supply-release");
            return "late";
        });
        assertTrue(held.cancel(true));
        assertThrows(CancellationException.class, held::join);
        gate.mark("supply-release");
    }
}
