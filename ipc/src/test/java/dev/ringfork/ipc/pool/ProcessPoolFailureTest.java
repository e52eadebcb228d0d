package dev.ringfork.ipc.pool;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Worker JVMs and the parent JVM killed with SIGKILL: nothing lost, nothing duplicated, no orphans. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolFailureTest {

    private static final Duration STEP = Duration.ofSeconds(60);

    /** About 20 µs of work, then the item back. */
    /** {@link #slowIdentity}, except that item 2,500 SIGKILLs the worker computing it. */
    static int slowIdentityKilledAt2500(int x) {
        if (x == 2_500) {
            try {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException("could not kill this worker", e);
            }
            for (;;) {
                Thread.onSpinWait(); // the signal is on its way
            }
        }
        return slowIdentity(x);
    }

    static int slowIdentity(int x) {
        long until = System.nanoTime() + 20_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return x;
    }

    @Test
    void aWorkerKilledMidRunLosesAndDuplicatesNothing() {
        int n = 60_000;
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            List<Long> before = awaitWorkers(pool, 2);
            List<Integer> got = new ArrayList<>(n);
            try (PoolResults<Integer> results = pool.imap(ProcessPoolFailureTest::slowIdentity,
                    IntStream.range(0, n).boxed().toList(), 50)) {
                while (results.hasNext()) {
                    got.add(results.next());
                    if (got.size() == 5_000) {
                        ProcessHandle.of(before.getFirst()).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }
            assertEquals(IntStream.range(0, n).boxed().toList(), got, "every result once, in order");
            List<Long> after = awaitWorkers(pool, 2);
            assertFalse(after.contains(before.getFirst()), "the killed worker was replaced: " + before + " -> " + after);
        }
    }

    @Test
    void withoutRetriesTheKilledWorkersItemsFailWithWorkerDiedException() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).retries(0).build()) {
            awaitWorkers(pool, 2);
            int failed = 0;
            int ok = 0;
            // The worker that computes item 2,500 kills itself (SIGKILL) there, so it surely dies holding a
            // chunk: killed from the test at an arbitrary moment, a worker could be between chunks, holding
            // none, and then rightly nothing fails (seen once in CI).
            try (PoolResults<Integer> results = pool.imap(ProcessPoolFailureTest::slowIdentityKilledAt2500,
                    IntStream.range(0, 40_000).boxed().toList(), 100)) {
                while (results.hasNext()) {
                    try {
                        results.next();
                        ok++;
                    } catch (WorkerDiedException e) {
                        failed++;
                    }
                }
            }
            assertEquals(40_000, ok + failed, "one outcome per item");
            assertTrue(failed > 0 && failed % 100 == 0, "whole chunks failed: " + failed);
        }
    }

    @Test
    void killingTheParentLeavesNoWorkerAliveAfterTwoSeconds() {
        // ProcessIdentity, not ProcessHandle.isAlive: a halted orphan stays a zombie until its new parent (init
        // or a subreaper) reaps it, which some CI inits never do, and ProcessHandle counts a zombie as alive.
        // Pid plus start time also keeps a recycled pid from counting as a survivor.
        List<ProcessIdentity> workers = new ArrayList<>();
        try (ChildJvm parent = ChildJvm.start(PoolParent.class)) {
            for (String pid : parent.awaitLine("WORKERS", STEP).substring("WORKERS".length()).trim().split(" ")) {
                long workerPid = Long.parseLong(pid);
                workers.add(ProcessIdentity.of(workerPid).orElseThrow(() -> new AssertionError(
                        "worker " + workerPid + " is not running. Parent output:\n" + parent.output())));
            }
            assertEquals(2, workers.size());
            parent.kill();
            long killed = System.nanoTime();
            long deadline = killed + TimeUnit.SECONDS.toNanos(2);
            while (workers.stream().anyMatch(ProcessIdentity::isAlive) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            List<ProcessIdentity> survivors = workers.stream().filter(ProcessIdentity::isAlive).toList();
            assertEquals(List.of(), survivors, "workers alive 2 s after the parent's SIGKILL");
        } finally {
            workers.stream().filter(ProcessIdentity::isAlive)
                    .forEach(worker -> ProcessHandle.of(worker.pid()).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Waits until {@code count} workers are ready for tasks (their watchdogs run) and returns their pids. */
    static List<Long> awaitWorkers(ProcessPool pool, int count) {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (pool.readyWorkerPids().size() < count) {
            if (System.nanoTime() > deadline) {
                fail("only " + pool.readyWorkerPids() + " of " + count + " workers ready within " + STEP);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return pool.readyWorkerPids();
    }

    /** A parent JVM with a pool of two workers: prints their pids, then waits to be killed. */
    public static final class PoolParent {
        public static void main(String[] args) throws Exception {
            ProcessPool pool = ProcessPool.builder().workers(2).build();
            List<Long> pids = awaitWorkers(pool, 2);
            System.out.println("WORKERS " + String.join(" ", pids.stream().map(String::valueOf).toList()));
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }
}
