package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Code written against {@link Pool}, not {@link ProcessPool}: the defaults of the interface (map, imap over
 * an iterator, starmap, submit of a void lambda) and the engine's own methods give the same results as
 * through the class. The pool is only ever used through a {@code Pool} variable here.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolInterfaceTest {

    private static final long BOUND_SECONDS = FileGate.BOUND.toSeconds();
    private static Pool pool;
    @TempDir
    static Path markers;

    @BeforeAll
    static void startPool() {
        ProcessPool processPool = ProcessPool.builder().workers(2).build();
        FileGate.awaitReady(processPool);
        pool = processPool;
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void theMapFamilyWorksThroughTheInterface() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        assertEquals(items.stream().map(x -> x * 2).toList(), pool.map(x -> x * 2, items));
        assertEquals(2, pool.workers());

        List<Integer> squares = new ArrayList<>();
        try (PoolResults<Integer> results = pool.imap(x -> x * x, items.iterator(), 7)) {
            results.forEachRemaining(squares::add);
        }
        assertEquals(items.stream().map(x -> x * x).toList(), squares);

        assertEquals(List.of("a1", "b2"), pool.starmap((String s, Integer n) -> s + n, List.of("a", "b", "c"), List.of(1, 2)));
    }

    @Test
    void tasksRunInAWorkerThroughTheInterface() throws Exception {
        CompletableFuture<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
        assertNotEquals(ProcessHandle.current().pid(), pid.get(BOUND_SECONDS, TimeUnit.SECONDS));

        FileGate gate = FileGate.in(markers);
        CompletableFuture<Void> marked = pool.submit(() -> gate.mark("void-through-pool"));
        assertNull(marked.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertNotEquals(ProcessHandle.current().pid(), gate.pidIn("void-through-pool"));

        assertEquals("supplied", pool.supplyAsync(() -> "supplied").get(BOUND_SECONDS, TimeUnit.SECONDS));

        List<SerializableCallable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
        List<Future<Integer>> all = pool.invokeAll(tasks, BOUND_SECONDS, TimeUnit.SECONDS);
        List<Integer> values = new ArrayList<>();
        for (Future<Integer> f : all) {
            values.add(f.get(BOUND_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(List.of(1, 2, 3), values);
    }
}
