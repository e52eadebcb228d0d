package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The workers' default heap: {@code -XX:MaxRAMPercentage=min(25, 50 / workers)}, so all workers together
 * take at most half the memory; a heap option of the user's replaces the rule.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolWorkerHeapTest {

    private static final long BOUND_SECONDS = 60;

    /** What a worker reports: its max heap (Runtime), its MaxHeapSize flag, and the memory the JVM sees. */
    private record Heap(long maxMemory, long maxHeapSize, long physicalMemory) implements java.io.Serializable {
    }

    private static Heap heapOfAWorker(ProcessPool pool) throws Exception {
        return pool.submit(() -> new Heap(Runtime.getRuntime().maxMemory(),
                Long.parseLong(hotSpotOption("MaxHeapSize")), totalMemorySize())).get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    // By reflection: this module does not read java.management (reflection needs no readability).

    private static String hotSpotOption(String name) throws ReflectiveOperationException {
        Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
        Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
        Object option = beanType.getMethod("getVMOption", String.class).invoke(bean, name);
        return (String) Class.forName("com.sun.management.VMOption").getMethod("getValue").invoke(option);
    }

    /** The memory the JVM sees (the container's limit, if any). */
    private static long totalMemorySize() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getOperatingSystemMXBean").invoke(null);
        return (long) Class.forName("com.sun.management.OperatingSystemMXBean").getMethod("getTotalMemorySize").invoke(bean);
    }

    @Test
    void theRuleIsAQuarterAtMostAndHalfTheMemoryForAllWorkers() {
        assertEquals(25.0, ProcessPoolBuilder.defaultHeapPercent(1));
        assertEquals(25.0, ProcessPoolBuilder.defaultHeapPercent(2));
        assertEquals(12.5, ProcessPoolBuilder.defaultHeapPercent(4));
        assertEquals(50.0 / 3, ProcessPoolBuilder.defaultHeapPercent(3));
        assertEquals(List.of("-XX:MaxRAMPercentage=12.5000", "-Dx=1"),
                ProcessPool.builder().workers(4).jvmOption("-Dx=1").workerJvmOptions());
        for (String own : List.of("-Xmx1g", "-XX:MaxHeapSize=1g", "-XX:MaxRAMPercentage=5", "-XX:MaxRAMFraction=8")) {
            assertEquals(List.of(own), ProcessPool.builder().workers(4).jvmOption(own).workerJvmOptions(), own);
        }
    }

    @Test
    void eachOfFourWorkersGetsAnEighthOfTheMemory() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(4).build()) {
            Heap heap = heapOfAWorker(pool);
            long expected = (long) (heap.physicalMemory() * 0.125);
            // Above about 32 GiB the JVM would cap the heap to keep compressed oops: not the rule under test.
            assumeTrue(expected < 30L << 30, "an eighth of the memory is " + expected + " bytes, above the compressed-oops cap");
            // The JVM rounds the heap to its alignment (at most a few MiB here).
            assertTrue(Math.abs(heap.maxHeapSize() - expected) <= 8L << 20,
                    "MaxHeapSize " + heap.maxHeapSize() + ", expected about " + expected + " (an eighth of " + heap.physicalMemory() + ")");
            // Runtime.maxMemory() is the heap less one survivor space with the serial collector the workers use.
            assertTrue(heap.maxMemory() <= heap.maxHeapSize() && heap.maxMemory() >= heap.maxHeapSize() * 0.85,
                    "Runtime.maxMemory() " + heap.maxMemory() + " for MaxHeapSize " + heap.maxHeapSize());
        }
    }

    @Test
    void aUsersXmxWins() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(1).jvmOption("-Xmx96m").build()) {
            Heap heap = heapOfAWorker(pool);
            assertEquals(96L << 20, heap.maxHeapSize());
            assertTrue(heap.maxMemory() <= 96L << 20 && heap.maxMemory() >= (96L << 20) * 0.85, "maxMemory " + heap.maxMemory());
        }
    }
}
