package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.sync.WaitStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a pool is made with (built and checked by {@code ProcessPool.Builder}).
 *
 * @param workers            worker JVMs kept running
 * @param jvmOptions         options for every worker JVM
 * @param initializer        Java-serialized initializer run once per worker, or null
 * @param maxTasksPerWorker  chunks or calls a worker runs before it is replaced; 0 for no limit
 * @param taskRingCapacity   bytes of each worker's task ring (a power of two)
 * @param resultRingCapacity bytes of the shared results ring (a power of two)
 * @param waitStrategy       how idle workers wait for tasks
 * @param retries            how often a chunk whose worker died is run again before it fails
 * @param chunkSize          items per message, or 0 to size chunks automatically
 * @param pinWorkers         pin worker i to CPU i modulo the CPU count, where taskset exists
 * @param directory          the directory of the pool's regions
 * @param startTimeout       how long a worker JVM may take to report ready
 * @param classPath          the worker JVMs' class path (the user's classes, then Ringfork's jars), or null for
 *                           this JVM's class path or module path
 */
public record PoolConfig(int workers, List<String> jvmOptions, byte[] initializer, int maxTasksPerWorker,
                         int taskRingCapacity, int resultRingCapacity, WaitStrategy waitStrategy, int retries,
                         int chunkSize, boolean pinWorkers, Path directory, Duration startTimeout, String classPath) {

    /** Chunks each worker may hold at once (sent, not yet answered). */
    static final int WINDOW_PER_WORKER = 4;

    public PoolConfig {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** Percent of memory all the workers of a pool may take together as heap, unless told otherwise. */
    public static final double ALL_WORKERS_HEAP_PERCENT = 50;
    /** The JVM's own default heap, in percent of memory: one worker never gets more than that by default. */
    public static final double JVM_DEFAULT_HEAP_PERCENT = 25;
    private static final List<String> HEAP_OPTIONS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAMPercentage=",
            "-XX:MaxRAMFraction=");

    /** {@code options}, with the default heap rule of {@code workers} workers first unless one of them sets the heap. */
    public static List<String> withDefaultHeap(List<String> options, int workers) {
        boolean heapSet = options.stream().anyMatch(option -> HEAP_OPTIONS.stream().anyMatch(option::startsWith));
        if (heapSet) {
            return List.copyOf(options);
        }
        List<String> all = new java.util.ArrayList<>(options.size() + 1);
        all.add(String.format(java.util.Locale.ROOT, "-XX:MaxRAMPercentage=%.4f", defaultHeapPercent(workers)));
        all.addAll(options);
        return all;
    }

    /** Heap of one of {@code workers} workers by default, in percent of memory: {@code min(25, 50 / workers)}. */
    public static double defaultHeapPercent(int workers) {
        return Math.min(JVM_DEFAULT_HEAP_PERCENT, ALL_WORKERS_HEAP_PERCENT / workers);
    }

    /** Largest message the task rings take. */
    int maxTaskMessage() {
        return taskRingCapacity / 8 - 8;
    }
}
