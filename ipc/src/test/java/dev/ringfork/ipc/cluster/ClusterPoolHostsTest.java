package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.pool.PoolResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hosts that come and go during a map: a SIGKILLed host's chunks run elsewhere (each result once, in order); a new host gets work. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterPoolHostsTest {

    private static ClusterMembers members;
    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        members = ClusterMembers.start(3, 1);
        cluster = members.connect();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        members.close();
    }

    /** x*x+7 after a little work (so chunks stay in flight a while), and the agent that computed it. */
    static ClusterPoolTest.Computed slowSquare(Integer x) {
        double sink = 0;
        for (int i = 0; i < 300; i++) {
            sink += Math.sqrt(i + x);
        }
        return new ClusterPoolTest.Computed((long) x * x + 7 + (sink < 0 ? 1 : 0), ClusterPoolTest.agentPid());
    }

    @Test
    void aKilledHostsChunksRunElsewhereAndEveryResultArrivesOnceInOrder() throws Exception {
        mapWhileAHostStops(ClusterMembers.Agent::kill);
    }

    @Test
    void aStoppedHostsChunksRunElsewhereAndEveryResultArrivesOnceInOrder() throws Exception {
        mapWhileAHostStops(agent -> {
            agent.process().destroy(); // SIGTERM: the agent stops its pools, then leaves the cluster
            assertTrue(agent.process().waitFor(60, TimeUnit.SECONDS), "the agent stopped");
        });
    }

    interface Stop {
        void stop(ClusterMembers.Agent agent) throws Exception;
    }

    /** 200,000 items in order while {@code stop} ends a host that has done work (it holds chunks then). */
    private static void mapWhileAHostStops(Stop stop) throws Exception {
        int count = 200_000;
        List<ClusterMembers.Agent> alive = members.agents().stream().filter(a -> a.process().isAlive()).toList();
        assertTrue(alive.size() >= 2, "another host takes over");
        ClusterMembers.Agent victim = alive.getLast(); // not the first, the one the client connected through
        try (ClusterPool pool = ClusterPool.builder(cluster).retries(2).build();
             PoolResults<ClusterPoolTest.Computed> results = pool.imap(ClusterPoolHostsTest::slowSquare,
                     new ClusterPoolTest.Counting(count), 100)) {
            long doneByVictim = 0;
            for (int i = 0; i < count; i++) {
                ClusterPoolTest.Computed c = results.next(120, TimeUnit.SECONDS);
                assertEquals((long) i * i + 7, c.value(), "result " + i);
                if (c.agentPid() == victim.pid() && victim.process().isAlive()) {
                    doneByVictim++;
                    if (doneByVictim == 500) {
                        stop.stop(victim); // it holds chunks now: it answered one, and a host is always given room's worth
                    }
                }
            }
            assertFalse(results.hasNext());
            assertEquals(500, doneByVictim, "the victim did work before it was stopped");
            assertFalse(victim.process().isAlive());
            assertTrue(pool.ranAgain() > 0, "the stopped host held chunks, which ran again elsewhere");
        }
    }

    @Test
    void aHostThatJoinsMidRunGetsWork() throws Exception {
        AtomicReference<ClusterMembers.Agent> joined = new AtomicReference<>();
        try (ClusterPool pool = ClusterPool.open(cluster);
             PoolResults<ClusterPoolTest.Computed> results = pool.imap(ClusterPoolHostsTest::slowSquare, endless(), 50)) {
            results.next(120, TimeUnit.SECONDS);
            CompletableFuture<Void> adding = CompletableFuture.runAsync(() -> {
                try {
                    joined.set(members.add());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            boolean newHostWorked = false;
            while (!newHostWorked && System.nanoTime() < deadline) {
                ClusterPoolTest.Computed c = results.next(120, TimeUnit.SECONDS);
                ClusterMembers.Agent agent = joined.get();
                newHostWorked = agent != null && c.agentPid() == agent.pid();
            }
            adding.get(1, TimeUnit.SECONDS);
            assertTrue(newHostWorked, "the host that joined computed results");
        }
    }

    @Test
    void closingThePoolOrLosingItsClientStopsTheWorkersOnEveryHost() throws Exception {
        List<ClusterMembers.Agent> alive = members.agents().stream().filter(a -> a.process().isAlive()).toList();
        try (ClusterPool pool = ClusterPool.open(cluster)) {
            assertEquals(2_000, pool.map(x -> x * 2, IntStream.range(0, 2_000).boxed().toList(), 1).size());
            assertTrue(alive.stream().allMatch(a -> workerCount(a) > 0), "every host started workers");
        }
        awaitNoWorkers(alive, "after the pool closed");
        try (Cluster lost = members.connect()) {
            ClusterPool pool = ClusterPool.open(lost);
            pool.map(x -> x * 2, IntStream.range(0, 2_000).boxed().toList(), 1);
            assertTrue(alive.stream().allMatch(a -> workerCount(a) > 0), "every host started workers");
        } // the client goes without closing its pool, as a killed submitter would
        awaitNoWorkers(alive, "after the pool's client disconnected");
    }

    private static long workerCount(ClusterMembers.Agent agent) {
        return agent.process().toHandle().children().filter(ProcessHandle::isAlive).count();
    }

    private static void awaitNoWorkers(List<ClusterMembers.Agent> agents, String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (ClusterMembers.Agent agent : agents) {
            for (ProcessHandle child : agent.process().toHandle().children().toList()) {
                long left = Math.max(1, deadline - System.nanoTime());
                try {
                    child.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("worker " + child.pid() + " of agent " + agent.pid() + " still runs 90 s " + when, e);
                }
            }
        }
    }

    private static Iterator<Integer> endless() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return next++ & 0xffff;
            }
        };
    }
}
