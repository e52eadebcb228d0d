package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool with real worker JVMs (two, shared by the tests of this class): results against a sequential run. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolTest {

    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.builder().workers(2).build();
    }

    @AfterAll
    static void closePool() {
        pool.close();
        assertTrue(pool.isTerminated());
    }

    @Test
    void mapMatchesASequentialRunFor100kItems() {
        List<Integer> items = IntStream.range(0, 100_000).boxed().toList();
        List<Long> expected = items.stream().map(x -> (long) x * x + 1).toList();
        assertEquals(expected, pool.map(x -> (long) x * x + 1, items));
        List<String> words = items.stream().map(i -> "w" + i + "é").toList();
        assertEquals(words.stream().map(String::length).toList(), pool.map(String::length, words, 100));
    }

    @Test
    void imapIsOrderedAndImapUnorderedHasEveryResultOnce() {
        List<Integer> expected = IntStream.range(0, 100_000).map(x -> 3 * x).boxed().toList();
        List<Integer> ordered = new ArrayList<>();
        try (PoolResults<Integer> results = pool.imap(x -> 3 * x, IntStream.range(0, 100_000).boxed().iterator())) {
            results.forEachRemaining(ordered::add);
        }
        assertEquals(expected, ordered);
        List<Integer> unordered;
        try (PoolResults<Integer> results = pool.imapUnordered(x -> 3 * x, IntStream.range(0, 100_000).boxed().toList(), 7)) {
            unordered = results.stream().toList();
        }
        assertEquals(expected.size(), unordered.size());
        assertEquals(new HashSet<>(expected), new HashSet<>(unordered), "every result once");
        assertEquals(List.of(2L, 4L), pool.imap(x -> x * 2, Stream.of(1L, 2L)).stream().toList());
    }

    @Test
    void starmapZipsTwoSourcesAndFunctionsCanBeGivenByClassName() {
        assertEquals(List.of(11, 22, 33), pool.starmap(Integer::sum, List.of(1, 2, 3, 4), List.of(10, 20, 30)));
        assertEquals(List.of(3, 0, 5), pool.map(ProcessPool.<String, Integer>byClassName(Length.class.getName()), List.of("abc", "", "hello")));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> ProcessPool.byClassName("no.such.Function"));
        assertTrue(typo.getMessage().contains("no.such.Function"), typo.getMessage());
    }

    /** A function for {@link ProcessPool#byClassName}: not serializable itself, made once per worker. */
    public static final class Length implements java.util.function.Function<String, Integer> {
        @Override
        public Integer apply(String s) {
            return s.length();
        }
    }

    @Test
    void anInfiniteGeneratorIsPulledOnlyABoundedWayAhead() {
        AtomicLong yielded = new AtomicLong();
        Generator<Long> naturals = Generator.of(sink -> {
            for (long i = 0; ; i++) {
                yielded.incrementAndGet();
                sink.yield(i);
            }
        });
        long sum = 0;
        long maxAhead = 0;
        try (PoolResults<Long> doubled = pool.imap(x -> 2 * x, naturals)) {
            for (long i = 0; i < 1_000_000; i++) {
                long value = doubled.next();
                assertEquals(2 * i, value);
                sum += value;
                maxAhead = Math.max(maxAhead, doubled.pulled() - i);
            }
        }
        assertEquals(999_999_000_000L, sum);
        // The window: twice what 2 workers may hold (16,384 items each), plus the chunk being read.
        assertTrue(maxAhead <= 2 * 2 * 16_384 + 4096, "pulled at most " + maxAhead + " items ahead of the consumer");
        assertTrue(yielded.get() <= 1_000_000 + maxAhead + 1024, "the generator ran ahead by " + (yielded.get() - 1_000_000));
    }

    @Test
    void closingTheResultsEarlyStopsPullingAndClosesTheSource() {
        AtomicLong pulled = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        Iterator<Integer> counting = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                pulled.incrementAndGet();
                return next++;
            }
        };
        Stream<Integer> source = Stream.iterate(0, x -> x + 1).peek(x -> pulled.incrementAndGet()).onClose(() -> closed.set(true));
        try (PoolResults<Integer> results = pool.imap(x -> x + 1, source)) {
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, results.next());
            }
        }
        assertTrue(closed.get(), "closing the results closed the stream");
        long after = pulled.get();
        assertTrue(after <= 2 * 2 * 16_384 + 4096, "pulled " + after);
        PoolResults<Integer> results = pool.imap(x -> x, counting, 10);
        assertEquals(0, results.next());
        results.close();
        long atClose = pulled.get();
        assertFalse(results.hasNext(), "nothing after close");
        assertEquals(atClose, pulled.get(), "nothing is pulled after close");
    }

    @Test
    void aFunctionThatThrowsGivesTheRemoteTraceForThatItemOnly() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        try (PoolResults<Integer> results = pool.imap(x -> 1000 / (x - 13), items, 8)) {
            for (int i = 0; i < 13; i++) {
                assertEquals(1000 / (i - 13), results.next());
            }
            RemoteTaskException failure = assertThrows(RemoteTaskException.class, results::next);
            assertEquals("java.lang.ArithmeticException", failure.remoteClassName());
            assertTrue(failure.getMessage().contains("/ by zero"), failure.getMessage());
            assertNotEquals(ProcessHandle.current().pid(), failure.workerPid());
            assertTrue(failure.workerPid() > 0);
            assertTrue(Stream.of(failure.getStackTrace()).anyMatch(f -> f.getClassName().contains("ProcessPoolTest")),
                    "the remote trace shows the lambda");
            assertEquals(1000 / (14 - 13), results.next(), "iteration goes on after a failed item");
        }
    }

    @Test
    void submitAndTheExecutorServiceMethodsRunInWorkers() throws Exception {
        long here = ProcessHandle.current().pid();
        long there = pool.submit(() -> ProcessHandle.current().pid()).get(60, TimeUnit.SECONDS);
        assertNotEquals(here, there);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pool.submit((SerializableCallable<Integer>) () -> Integer.parseInt("x")).get(60, TimeUnit.SECONDS));
        assertInstanceOf(RemoteTaskException.class, failed.getCause());
        List<Future<Integer>> all = pool.invokeAll(List.of((SerializableCallable<Integer>) () -> 1, () -> 2, () -> 3));
        int sum = 0;
        for (Future<Integer> f : all) {
            sum += f.get();
        }
        assertEquals(6, sum);
    }

    @Test
    void aTaskThatIsNotSerializableIsRefusedNamingWhatItCaptures() {
        Object lock = new Object();
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> pool.submit((SerializableCallable<Integer>) lock::hashCode));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        java.util.function.Function<Integer, Integer> plain = x -> x;
        TaskNotSerializableException f = assertThrows(TaskNotSerializableException.class,
                () -> pool.submit(() -> plain.apply(1)));
        assertTrue(f.getMessage().contains("Serializable"), f.getMessage());
    }

    @Test
    void tasksReadBulkDataThroughASharedSegmentWithoutSerializingIt() {
        int n = 1 << 20;
        try (SharedSegment data = SharedSegment.allocate(8L * n)) {
            MemorySegment longs = data.segment();
            long expected = 0;
            for (int i = 0; i < n; i++) {
                longs.setAtIndex(ValueLayout.JAVA_LONG, i, i * 7L);
                expected += i * 7L;
            }
            List<Long> sums = pool.map(part -> LongStream.range(0, part.length() / 8)
                    .map(i -> part.readOnly().getAtIndex(ValueLayout.JAVA_LONG, i)).sum(), data.split(4));
            assertEquals(expected, sums.stream().mapToLong(Long::longValue).sum());

            // Results written in place: each task squares its part into the output block.
            try (SharedSegment out = SharedSegment.allocate(8L * n)) {
                List<SharedSegment.Ref> in = data.split(4);
                List<SharedSegment.Ref> to = out.split(4);
                List<Integer> parts = IntStream.range(0, 4).boxed().toList();
                List<Long> written = pool.map(k -> {
                    MemorySegment src = in.get(k).readOnly();
                    MemorySegment dst = to.get(k).writable();
                    long count = src.byteSize() / 8;
                    for (long i = 0; i < count; i++) {
                        long v = src.getAtIndex(ValueLayout.JAVA_LONG, i);
                        dst.setAtIndex(ValueLayout.JAVA_LONG, i, v * v);
                    }
                    return count;
                }, parts, 1);
                assertEquals(n, written.stream().mapToLong(Long::longValue).sum());
                for (int i = 0; i < n; i += 4099) {
                    assertEquals(49L * i * i, out.segment().getAtIndex(ValueLayout.JAVA_LONG, i), "index " + i);
                }
                assertTrue(in.getFirst().readOnly().isReadOnly(), "tasks get read-only views of the input");
            }
        }
    }

    @Test
    void workersRetireAfterMaxTasksAndTheirReplacementsCarryOn() {
        // retries(0): a retiring worker's exit must never be taken for a death (its RETIRING is read first).
        try (ProcessPool retiring = ProcessPool.builder().workers(2).maxTasksPerWorker(5).retries(0).build()) {
            List<Long> pids = retiring.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 40).boxed().toList(), 1);
            assertEquals(40, pids.size());
            Set<Long> distinct = new HashSet<>(pids);
            assertTrue(distinct.size() >= 8, "40 chunks at 5 per worker need at least 8 workers, saw " + distinct);
        }
    }

    @Test
    void theInitializerRunsOnceInEachWorkerBeforeItsTasks() {
        try (ProcessPool initialised = ProcessPool.builder().workers(2)
                .initializer(() -> System.setProperty("ringfork.test.init", "done")).build()) {
            assertEquals(List.of("done", "done", "done"),
                    initialised.map(x -> System.getProperty("ringfork.test.init", "missing"), List.of(1, 2, 3), 1));
        }
    }
}
