package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.sync.WaitStrategy;
import dev.ringfork.ipc.internal.pool.PoolConfig;
import dev.ringfork.ipc.internal.pool.PoolEngine;
import dev.ringfork.ipc.internal.pool.TaskSerializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host agent's local pools, one per cluster pool that sent it work: started by the pool's first chunk or task, closed
 * when the cluster pool closes ({@link PoolTask.Close}) or its client disconnects, so a killed submitter leaves no
 * worker JVMs behind. Publishes the agent's {@link HostStats} at most four times a second.
 */
final class AgentPools implements AutoCloseable {

    /** Bytes of each local worker's task ring: the largest chunk is an eighth (1 MiB). */
    static final int TASK_RING = 8 << 20;
    /** Bytes of a local pool's results ring: the largest answer is an eighth (2 MiB). */
    static final int RESULT_RING = 16 << 20;
    private static final System.Logger LOG = System.getLogger(AgentPools.class.getName());

    private record Local(PoolEngine engine, UUID client) {
    }

    private final HostAgent agent;
    private final Map<UUID, Local> pools = new LinkedHashMap<>();
    /** Pools closed here: a chunk that arrives late must not start them again. Bounded. */
    private final Map<UUID, Boolean> closed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > 10_000;
        }
    };
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong chunksDone = new AtomicLong();
    private final AtomicLong tasksDone = new AtomicLong();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final ScheduledExecutorService publisher;
    /** Set when the agent stops: work still arriving or running is refused as from a host that leaves. */
    private volatile boolean stopping;

    AgentPools(HostAgent agent) {
        this.agent = agent;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("ringfork-agent-stats").factory());
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.publisher = timer;
    }

    /** Once the member runs: closes the pools of clients that disconnect, and publishes the stats. */
    void start(HazelcastInstance member) {
        member.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {
                // nothing: pools start with their first work
            }

            @Override
            public void clientDisconnected(Client client) {
                closeClientPools(client.getUuid());
            }
        });
        publisher.scheduleWithFixedDelay(this::publish, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Runs one chunk or task in the local pool of {@code spec} (started now if it is the first), waiting for it. */
    byte[] run(UUID poolId, byte[] spec, byte[] call, boolean chunk) throws Exception {
        PoolEngine engine = engineFor(poolId, spec);
        inFlight.incrementAndGet();
        dirty.set(true);
        try {
            // A plain copy of the local future: its get() parks at once. The pool's own future spins first to save a
            // wake-up, which here only takes a CPU from the worker and the other JVMs of the host (the answer goes on
            // over the network anyway).
            return (byte[]) engine.call(call).copy().get();
        } catch (ExecutionException | RuntimeException e) {
            if (stopping) {
                throw leaving(); // the submitter runs it again on another host
            }
            // The local pool could not run it (its worker died past the retries, the chunk is too large, ...): the
            // failure travels in the answer, as it is, rather than as a Hazelcast exception the client cannot rebuild.
            return WorkerCalls.failed(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        } finally {
            inFlight.decrementAndGet();
            (chunk ? chunksDone : tasksDone).incrementAndGet();
            dirty.set(true);
        }
    }

    private synchronized PoolEngine engineFor(UUID poolId, byte[] specBytes) {
        if (stopping) {
            throw leaving();
        }
        Local local = pools.get(poolId);
        if (local != null) {
            return local.engine();
        }
        if (closed.containsKey(poolId)) {
            throw new RejectedExecutionException("cluster pool " + poolId + " was closed on host " + agent.address());
        }
        PoolSpec spec = TaskSerializer.deserialize(specBytes, PoolSpec.class.getClassLoader());
        int workers = agent.options().workers();
        PoolConfig config = new PoolConfig(workers, PoolConfig.withDefaultHeap(spec.jvmOptions(), workers), spec.initializer(),
                spec.maxTasksPerWorker(), TASK_RING, RESULT_RING, WaitStrategy.adaptive(), spec.retries(), 0, false,
                RegionOptions.defaultDirectory(), Duration.ofSeconds(60), agent.options().classPath());
        PoolEngine engine = new PoolEngine(config);
        pools.put(spec.poolId(), new Local(engine, spec.client()));
        dirty.set(true);
        return engine;
    }

    /** Closes the local pool of {@code poolId}: {@code now} kills its workers, else they finish what they hold. */
    void close(UUID poolId, boolean now) {
        Local local;
        synchronized (this) {
            closed.put(poolId, Boolean.TRUE);
            local = pools.remove(poolId);
        }
        if (local != null) {
            stop(local.engine(), now);
            dirty.set(true);
        }
    }

    private void closeClientPools(UUID client) {
        for (UUID poolId : poolsOf(client)) {
            LOG.log(System.Logger.Level.INFO, "client {0} disconnected: closing its pool {1}", client, poolId);
            close(poolId, true);
        }
    }

    private synchronized List<UUID> poolsOf(UUID client) {
        return pools.entrySet().stream().filter(e -> e.getValue().client().equals(client)).map(Map.Entry::getKey).toList();
    }

    private static void stop(PoolEngine engine, boolean now) {
        if (now) {
            engine.shutdownNow();
        } else {
            engine.shutdown();
        }
    }

    private void publish() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        try {
            HazelcastInstance member = agent.member();
            if (member == null || !member.getLifecycleService().isRunning()) {
                return;
            }
            int count;
            synchronized (this) {
                count = pools.size();
            }
            String address = agent.address();
            String hostName = member.getCluster().getLocalMember().getAttribute(HazelcastSetup.ATTR_HOST);
            HostStats stats = new HostStats(address, hostName, ProcessHandle.current().pid(), agent.options().workers(),
                    count, inFlight.get(), chunksDone.get(), tasksDone.get(), System.currentTimeMillis());
            member.<String, HostStats>getMap(HostStats.MAP).set(address, stats);
        } catch (RuntimeException e) {
            dirty.set(true); // try again next time
            LOG.log(System.Logger.Level.DEBUG, "publishing host stats failed", e);
        }
    }

    /** What a submitter takes for a host that left the cluster (a Hazelcast exception its client knows). */
    private HazelcastInstanceNotActiveException leaving() {
        return new HazelcastInstanceNotActiveException("host agent " + agent.address() + " is stopping");
    }

    /** Stops publishing and kills every local pool's workers (the agent stops): their work runs again elsewhere. */
    @Override
    public void close() {
        stopping = true;
        publisher.shutdownNow();
        List<Local> all;
        synchronized (this) {
            all = List.copyOf(pools.values());
            pools.clear();
        }
        all.forEach(local -> stop(local.engine(), true));
    }
}
