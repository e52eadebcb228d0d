package dev.ringfork.ipc.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counter across hosts: concurrent increments from two JVMs, and the atomic operations' semantics. */
class ClusterLongTest extends SharedAgents {

    @Test
    void twoJvmsIncrementingConcurrentlyLoseNoIncrement() throws Exception {
        int n = 3_000;
        ClusterLong counter = ClusterLong.open(cluster, "hits");
        try (ClientJvm other = ClientJvm.start(members, "increment", "hits", Integer.toString(n))) {
            other.await("READY", 120);
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                for (int i = 0; i < n; i++) {
                    counter.incrementAndGet();
                }
                other.await("DONE", 180);
            });
        }
        assertEquals(2L * n, counter.get());
    }

    @Test
    void atomicOperationsBehaveAsSharedLongs() {
        ClusterLong value = ClusterLong.open(cluster, "ops");
        assertEquals(0, value.get(), "a new counter is 0");
        assertTrue(value.compareAndSet(0, 5));
        assertFalse(value.compareAndSet(0, 6));
        assertEquals(5, value.compareAndExchange(4, 9), "the witness");
        assertEquals(5, value.compareAndExchange(5, 9));
        assertEquals(9, value.getAndSet(1));
        assertEquals(1, value.getAndAdd(10));
        assertEquals(21, value.addAndGet(10));
        assertEquals(22, value.incrementAndGet());
        assertEquals(21, value.decrementAndGet());
        assertEquals(21, value.getAndIncrement());
        assertEquals(44, value.updateAndGet(v -> v * 2));
        assertEquals(44, value.getAndUpdate(v -> v + 1));
        assertEquals(50, value.accumulateAndGet(5, Long::sum));
        value.set(-3);
        assertEquals(-3, ClusterLong.open(cluster, "ops").get(), "another handle sees the same value");
        assertEquals(0, ClusterLong.open(cluster, "other").get());
        assertThrows(IllegalArgumentException.class, () -> ClusterLong.open(cluster, ""));
    }
}
