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
 */
public record PoolConfig(int workers, List<String> jvmOptions, byte[] initializer, int maxTasksPerWorker,
                         int taskRingCapacity, int resultRingCapacity, WaitStrategy waitStrategy, int retries,
                         int chunkSize, boolean pinWorkers, Path directory, Duration startTimeout) {

    /** Chunks each worker may hold at once (sent, not yet answered). */
    static final int WINDOW_PER_WORKER = 4;

    public PoolConfig {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** Largest message the task rings take. */
    int maxTaskMessage() {
        return taskRingCapacity / 8 - 8;
    }
}
