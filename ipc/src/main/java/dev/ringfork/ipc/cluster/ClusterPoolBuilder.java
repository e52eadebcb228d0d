package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.internal.cluster.ClusterEngine;
import dev.ringfork.ipc.internal.cluster.PoolSpec;
import dev.ringfork.ipc.internal.pool.TaskSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Options of a new {@link ClusterPool} ({@link ClusterPool#builder(Cluster)}); every one is optional. The number of
 * workers is not among them: each host agent runs as many worker JVMs per pool as it was started with
 * ({@code ringfork worker --workers N}).
 */
public final class ClusterPoolBuilder {

    private final Cluster cluster;
    private final List<String> jvmOptions = new ArrayList<>();
    private SerializableRunnable initializer;
    private int maxTasksPerWorker;
    private int retries = 1;
    private int chunkSize;
    private Duration hostWaitTimeout = Duration.ofSeconds(60);

    ClusterPoolBuilder(Cluster cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /** A JVM option for every worker JVM on every host, e.g. {@code -Xmx2g} (else each host's default heap rule). */
    public ClusterPoolBuilder jvmOption(String option) {
        jvmOptions.add(Objects.requireNonNull(option, "option"));
        return this;
    }

    /** JVM options for every worker JVM on every host. */
    public ClusterPoolBuilder jvmOptions(List<String> options) {
        options.forEach(this::jvmOption);
        return this;
    }

    /** Runs once in each worker JVM on every host before its first task (e.g. to load a model). */
    public ClusterPoolBuilder initializer(SerializableRunnable initializer) {
        this.initializer = initializer;
        return this;
    }

    /** Chunks or tasks a worker JVM runs before it is replaced by a fresh one (default 0: never). */
    public ClusterPoolBuilder maxTasksPerWorker(int maxTasks) {
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasksPerWorker must be 0 (no limit) or positive, was " + maxTasks);
        }
        this.maxTasksPerWorker = maxTasks;
        return this;
    }

    /**
     * Times a chunk or task runs again after its host agent left the cluster (or, on the host, its worker JVM died)
     * (default 1); past them its items fail with {@link dev.ringfork.ipc.pool.WorkerDiedException}.
     */
    public ClusterPoolBuilder retries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, was " + retries);
        }
        this.retries = retries;
        return this;
    }

    /** Default items per chunk for maps (default 0: automatic, about 30 ms of work per chunk). */
    public ClusterPoolBuilder chunkSize(int chunkSize) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must be 0 (automatic) or positive, was " + chunkSize);
        }
        this.chunkSize = chunkSize;
        return this;
    }

    /**
     * How long work waits while no host agent is in the cluster (default 60 s); after it, the work waiting fails with
     * a {@link dev.ringfork.ipc.pool.WorkerDiedException} that says so.
     */
    public ClusterPoolBuilder hostWaitTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("hostWaitTimeout must be positive, was " + timeout);
        }
        this.hostWaitTimeout = timeout;
        return this;
    }

    /** The pool; the hosts start their worker JVMs for it when its first work reaches them. */
    public ClusterPool build() {
        byte[] init = initializer == null ? null : TaskSerializer.serialize(initializer, "the pool's initializer");
        PoolSpec spec = new PoolSpec(UUID.randomUUID(), ClusterEngine.clientId(cluster.hazelcast()), jvmOptions, init,
                maxTasksPerWorker, retries);
        return new ClusterPool(new ClusterEngine(cluster.hazelcast(), cluster.name(), spec,
                new ClusterEngine.Settings(chunkSize, retries, hostWaitTimeout)));
    }
}
