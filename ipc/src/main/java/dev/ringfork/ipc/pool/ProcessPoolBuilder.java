package dev.ringfork.ipc.pool;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.sync.WaitStrategy;
import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.internal.pool.PoolConfig;
import dev.ringfork.ipc.internal.pool.TaskSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of a new {@link ProcessPool} ({@link ProcessPool#builder()}); every one is optional.
 *
 * <p><b>Worker heap.</b> Unless you set a worker's heap yourself, the pool gives each worker JVM
 * {@code -XX:MaxRAMPercentage=min(25, 50 / workers)}: at most the JVM's own default of a quarter of the
 * machine's (or container's) memory, and all workers together at most half of it. Eight workers on
 * 16 GiB get 1 GiB of heap each. Any of {@code -Xmx}, {@code -XX:MaxHeapSize}, {@code -XX:MaxRAMPercentage}
 * or {@code -XX:MaxRAMFraction} among the {@linkplain #jvmOption JVM options} replaces the rule:
 * <pre>{@code
 * ProcessPool pool = ProcessPool.builder().workers(4).jvmOption("-Xmx2g").build(); // 2 GiB each
 * }</pre>
 */
public final class ProcessPoolBuilder {


    private int workers = Runtime.getRuntime().availableProcessors();
    private final List<String> jvmOptions = new ArrayList<>();
    private SerializableRunnable initializer;
    private int maxTasksPerWorker;
    private int taskRingCapacity = 1 << 20;
    private int resultRingCapacity = 4 << 20;
    private WaitStrategy waitStrategy = WaitStrategy.adaptive();
    private int retries = 1;
    private int chunkSize;
    private boolean pinWorkers;
    private Path directory = RegionOptions.defaultDirectory();
    private final Duration startTimeout = Duration.ofSeconds(60);

    ProcessPoolBuilder() {
    }

    /** Worker JVMs (default: available processors). */
    public ProcessPoolBuilder workers(int workers) {
        if (workers < 1 || workers > 1024) {
            throw new IllegalArgumentException("workers must be 1 to 1024, was " + workers);
        }
        this.workers = workers;
        return this;
    }

    /** A JVM option for every worker, e.g. {@code -Xmx2g} (which replaces the default heap rule above). */
    public ProcessPoolBuilder jvmOption(String option) {
        jvmOptions.add(Objects.requireNonNull(option, "option"));
        return this;
    }

    /** JVM options for every worker. */
    public ProcessPoolBuilder jvmOptions(List<String> options) {
        options.forEach(this::jvmOption);
        return this;
    }

    /** Runs once in each worker before its first task (e.g. to load a model). */
    public ProcessPoolBuilder initializer(SerializableRunnable initializer) {
        this.initializer = initializer;
        return this;
    }

    /** Chunks or calls a worker runs before it is replaced by a fresh JVM (default 0: never). */
    public ProcessPoolBuilder maxTasksPerWorker(int maxTasks) {
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasksPerWorker must be 0 (no limit) or positive, was " + maxTasks);
        }
        this.maxTasksPerWorker = maxTasks;
        return this;
    }

    /** Bytes of each worker's task ring (default 1 MiB; the largest chunk is an eighth of it). */
    public ProcessPoolBuilder taskRingCapacity(int bytes) {
        this.taskRingCapacity = powerOfTwo(bytes, "taskRingCapacity");
        return this;
    }

    /** Bytes of the shared results ring (default 4 MiB; the largest chunk of results is an eighth). */
    public ProcessPoolBuilder resultRingCapacity(int bytes) {
        this.resultRingCapacity = powerOfTwo(bytes, "resultRingCapacity");
        return this;
    }

    /** How idle workers wait for work (default adaptive: spin, yield, then sleep on a futex). */
    public ProcessPoolBuilder waitStrategy(WaitStrategy waitStrategy) {
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        return this;
    }

    /** Times a chunk runs again after its worker died (default 1); 0 fails it at once with {@link WorkerDiedException}. */
    public ProcessPoolBuilder retries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, was " + retries);
        }
        this.retries = retries;
        return this;
    }

    /** Default items per message for maps (default 0: automatic, about 2 ms of work per chunk). */
    public ProcessPoolBuilder chunkSize(int chunkSize) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must be 0 (automatic) or positive, was " + chunkSize);
        }
        this.chunkSize = chunkSize;
        return this;
    }

    /** Pins worker i to CPU i (modulo the CPU count) with taskset where available (default off). */
    public ProcessPoolBuilder pinWorkers(boolean pin) {
        this.pinWorkers = pin;
        return this;
    }

    /** Where the pool's shared memory lives (default: the per-user region directory). */
    public ProcessPoolBuilder directory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** Starts the worker JVMs and returns the pool; their pids are known at once, they take work once started. */
    public ProcessPool build() {
        byte[] init = initializer == null ? null : TaskSerializer.serialize(initializer, "the pool's initializer");
        return new ProcessPool(new PoolConfig(workers, workerJvmOptions(), init, maxTasksPerWorker, taskRingCapacity,
                resultRingCapacity, waitStrategy, retries, chunkSize, pinWorkers, directory, startTimeout, null));
    }

    /** The options given, with the default heap rule first unless one of them sets the heap. */
    List<String> workerJvmOptions() {
        return PoolConfig.withDefaultHeap(jvmOptions, workers);
    }

    /** Heap of one of {@code workers} workers by default, in percent of memory: {@code min(25, 50 / workers)}. */
    static double defaultHeapPercent(int workers) {
        return PoolConfig.defaultHeapPercent(workers);
    }

    private static int powerOfTwo(int bytes, String what) {
        if (bytes < 4096 || Integer.bitCount(bytes) != 1) {
            throw new IllegalArgumentException(what + " must be a power of two of at least 4096 bytes, was " + bytes);
        }
        return bytes;
    }
}
