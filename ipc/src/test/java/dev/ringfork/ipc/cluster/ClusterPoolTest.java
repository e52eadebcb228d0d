package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.RemoteTaskException;
import dev.ringfork.ipc.pool.TaskNotSerializableException;
import dev.ringfork.ipc.pool.WorkerDiedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.ringfork.ipc.internal.cluster.HostStats;

import java.io.Serializable;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ClusterPool on three host agents (one worker JVM each), shared by the tests: maps, tasks, failures, initializer. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterPoolTest {

    private static ClusterMembers members;
    private static Cluster cluster;
    private static ClusterPool pool;

    /** A result and the pid of the host agent whose worker computed it (the worker's parent). */
    record Computed(long value, long agentPid) implements Serializable {
    }

    @BeforeAll
    static void start() throws Exception {
        members = ClusterMembers.start(3, 1);
        cluster = members.connect();
        pool = ClusterPool.open(cluster);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        members.close();
    }

    static long agentPid() {
        return ProcessHandle.current().parent().orElseThrow().pid();
    }

    /** 0, 1, 2, ... up to {@code count}, counting how far it was pulled. */
    static final class Counting implements Iterator<Integer> {
        final AtomicLong pulled = new AtomicLong();
        private final int count;

        Counting(int count) {
            this.count = count;
        }

        @Override
        public boolean hasNext() {
            return pulled.get() < count;
        }

        @Override
        public Integer next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return (int) pulled.getAndIncrement();
        }
    }

    @Test
    void imapOfALazySourceGivesTheSequentialAnswersInOrderWithoutPullingFarAhead() {
        int count = 200_000;
        int chunk = 500;
        SerializableFunction<Integer, Computed> square = x -> new Computed((long) x * x + 7, agentPid());
        Counting source = new Counting(count);
        // At most total room x 2 chunks outstanding (3 hosts x 1 worker x 2 x 2 = 12), one more being read, one cut.
        long bound = 14L * chunk;
        Set<Long> agents = new HashSet<>();
        long maxAhead = 0;
        try (PoolResults<Computed> results = pool.imap(square, source, chunk)) {
            for (int i = 0; i < count; i++) {
                Computed c = results.next();
                assertEquals((long) i * i + 7, c.value(), "result " + i);
                agents.add(c.agentPid());
                maxAhead = Math.max(maxAhead, source.pulled.get() - i);
            }
            assertFalse(results.hasNext());
        }
        assertTrue(maxAhead <= bound, "the source was pulled " + maxAhead + " items ahead of the reader, bound " + bound);
        assertEquals(members.agents().stream().map(ClusterMembers.Agent::pid).collect(java.util.stream.Collectors.toSet()), agents,
                "every host did work");
    }

    @Test
    void mapWithAutomaticChunksAndImapUnorderedGiveEveryResultOnce() {
        List<Integer> items = IntStream.range(0, 20_000).boxed().toList();
        assertEquals(items.stream().map(x -> x * 3).toList(), pool.map(x -> x * 3, items));
        List<Integer> unordered;
        try (PoolResults<Integer> results = pool.imapUnordered(x -> x * 3, items.iterator(), 100)) {
            unordered = results.stream().sorted().toList();
        }
        assertEquals(items.stream().map(x -> x * 3).toList(), unordered);
    }

    @Test
    void tasksReturnTheirValueAndVoidTasksComplete() throws Exception {
        assertEquals(42, pool.submit(() -> 6 * 7).get(60, TimeUnit.SECONDS));
        assertEquals("abc", pool.supplyAsync(() -> "a" + "bc").get(60, TimeUnit.SECONDS));
        assertNull(pool.submit(() -> System.setProperty("rf.touched", "yes")).get(60, TimeUnit.SECONDS));
        long host = pool.submit(ClusterPoolTest::agentPid).get(60, TimeUnit.SECONDS);
        assertTrue(members.agents().stream().anyMatch(a -> a.pid() == host), "ran under an agent: " + host);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> pool.submit(() -> { throw new IllegalStateException("no luck"); }).get(60, TimeUnit.SECONDS));
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e.getCause());
        assertTrue(remote.getMessage().contains("no luck"), remote.getMessage());
        assertEquals(3, pool.workers());
    }

    @Test
    void aFunctionThatThrowsFailsThatItemOnly() {
        try (PoolResults<Integer> results = pool.imap(x -> {
            if (x == 57) {
                throw new IllegalArgumentException("bad item " + x);
            }
            return x + 1;
        }, IntStream.range(0, 100).boxed().toList(), 10)) {
            for (int i = 0; i < 100; i++) {
                if (i == 57) {
                    RemoteTaskException e = assertThrows(RemoteTaskException.class, results::next);
                    assertTrue(e.getMessage().contains("bad item 57"), e.getMessage());
                } else {
                    assertEquals(i + 1, results.next());
                }
            }
            assertFalse(results.hasNext());
        }
    }

    @Test
    void theInitializerRunsInEveryHostsWorkers() {
        try (ClusterPool initialized = ClusterPool.builder(cluster).initializer(() -> System.setProperty("rf.init", "ready"))
                .build()) {
            List<String> seen = initialized.map(x -> System.getProperty("rf.init") + "@" + agentPid(),
                    IntStream.range(0, 300).boxed().toList(), 1);
            assertEquals(300, seen.size());
            assertTrue(seen.stream().allMatch(s -> s.startsWith("ready@")), () -> seen.toString());
            assertEquals(3, seen.stream().distinct().count(), () -> "every host: " + new HashSet<>(seen));
        }
    }

    @Test
    void aFunctionThatDoesNotSerializeFailsBeforeAnythingIsSent() {
        Object notSerializable = new Object();
        Counting source = new Counting(10);
        assertThrows(TaskNotSerializableException.class, () -> pool.imap(x -> x + notSerializable.hashCode(), source, 1));
        assertEquals(0, source.pulled.get());
    }

    @Test
    void nextWithATimeoutGivesUpInTimeAndLosesNothing() throws Exception {
        try (PoolResults<Integer> results = pool.imap(x -> {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000_000L);
            return x;
        }, List.of(5), 1)) {
            assertThrows(TimeoutException.class, () -> results.next(100, TimeUnit.MILLISECONDS));
            assertEquals(5, results.next(60, TimeUnit.SECONDS));
            assertFalse(results.hasNext());
        }
    }

    @Test
    void aResultThatDoesNotSerializeFailsThatItemOnly() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(Object::new).get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("NotSerializableException"), e.getCause().getMessage());
        try (PoolResults<Object> results = pool.imap(x -> x == 1 ? new Object() : x, List.of(0, 1, 2), 3)) {
            assertEquals(0, results.next());
            assertThrows(RemoteTaskException.class, results::next);
            assertEquals(2, results.next());
        }
    }

    @Test
    void resultsDroppedWithoutClosingDoNotHoldThePoolsCloseUp() {
        ClusterPool another = ClusterPool.open(cluster);
        assertEquals(0, another.imap(x -> x, new Counting(Integer.MAX_VALUE), 10).next());
        assertTimeoutPreemptively(Duration.ofSeconds(120), another::close);
        assertTrue(another.isTerminated());
    }

    @Test
    void everyHostPublishesItsStats() throws Exception {
        pool.map(x -> x, IntStream.range(0, 300).boxed().toList(), 1);
        Set<Long> pids = members.agents().stream().map(ClusterMembers.Agent::pid).collect(Collectors.toSet());
        IMap<String, HostStats> stats = cluster.hazelcast().getMap(HostStats.MAP);
        CompletableFuture<Void> allWorked = new CompletableFuture<>();
        Runnable check = () -> {
            if (stats.values().stream().filter(s -> s.chunksDone() > 0).map(HostStats::pid).collect(Collectors.toSet()).containsAll(pids)) {
                allWorked.complete(null);
            }
        };
        UUID listener = stats.addEntryListener((EntryUpdatedListener<String, HostStats>) event -> check.run(), false);
        try {
            check.run();
            allWorked.get(60, TimeUnit.SECONDS);
        } finally {
            stats.removeEntryListener(listener);
        }
        assertTrue(stats.values().stream().allMatch(s -> s.workers() == 1 && s.pools() >= 1), () -> stats.values().toString());
    }

    @Test
    void twoMapsOfOnePoolShareTheHostsAndAPausedReaderHoldsNoneOfTheirRoom() {
        List<Integer> items = IntStream.range(0, 5_000).boxed().toList();
        try (PoolResults<Integer> paused = pool.imap(x -> x * 2, items, 50);
             PoolResults<Integer> read = pool.imap(x -> x + 1, items, 50)) {
            assertEquals(0, paused.next()); // it has sent chunks; now its reader pauses
            assertEquals(items.stream().map(x -> x + 1).toList(), read.stream().toList());
            for (int i = 1; i < items.size(); i++) {
                assertEquals(i * 2, paused.next());
            }
            assertFalse(paused.hasNext());
        }
    }

    @Test
    void aWorkerThatDiesOnAHostFailsItsItemsWithWorkerDiedException() {
        try (ClusterPool noRetries = ClusterPool.builder(cluster).retries(0).build();
             PoolResults<Integer> results = noRetries.imap(x -> {
                 if (x == 3) {
                     Runtime.getRuntime().halt(3);
                 }
                 return x;
             }, List.of(0, 1, 2, 3, 4, 5), 1)) {
            // The dying worker may hold another chunk of its host's room (2 chunks with one worker) besides item 3's: with
            // no retries that one fails with it. Every other item comes back, from the hosts and the replaced worker.
            int returned = 0;
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    WorkerDiedException e = assertThrows(WorkerDiedException.class, results::next);
                    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
                } else {
                    try {
                        assertEquals(i, results.next());
                        returned++;
                    } catch (WorkerDiedException e) {
                        assertTrue(e.getMessage().contains("exit code 3"), "failed only with the worker that halted: " + e.getMessage());
                    }
                }
            }
            assertTrue(returned >= 4, "at most one other item shared the dead worker: " + returned + " of 5 returned");
        }
    }

    @Test
    void shutdownCancellingPendingWorkEndsAMapAfterWhatWasSentAndSaysSo() {
        ClusterPool another = ClusterPool.open(cluster);
        Counting source = new Counting(Integer.MAX_VALUE);
        try (PoolResults<Integer> results = another.imap(x -> x, source, 10)) {
            assertEquals(0, results.next());
            another.shutdown(true);
            long read = 1;
            while (true) {
                try {
                    assertEquals(read, (long) results.next());
                    read++;
                } catch (java.util.concurrent.CancellationException e) {
                    assertTrue(e.getMessage().contains("items were taken from the source and run"), e.getMessage());
                    break;
                }
            }
            assertEquals(source.pulled.get(), read, "every item taken was run and read, in order");
            assertFalse(results.hasNext());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), another::close);
    }
}
