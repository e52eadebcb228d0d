package dev.ringfork.ipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool's life: the worker JVMs' pids are there as soon as {@code build()} returns. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolLifecycleTest {

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
