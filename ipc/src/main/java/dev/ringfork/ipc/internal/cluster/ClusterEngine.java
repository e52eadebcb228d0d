package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.ringfork.ipc.internal.pool.MapResults;
import dev.ringfork.ipc.internal.pool.Source;
import dev.ringfork.ipc.internal.pool.TaskSerializer;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.WorkerDiedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The submitting side of a cluster pool: the Hazelcast client, the host agents as it sees them now, the maps and tasks
 * in progress, and the pool's lifecycle. {@code ClusterPool} is its public face; maps are {@link ClusterMapJob}s.
 *
 * <p>Tasks ({@code submit}) go to the host with the fewest of this pool's tasks in flight; a task whose host leaves runs
 * again on another (up to the retries); with no host agent in the cluster it waits up to the host wait timeout.
 */
public final class ClusterEngine {

    /**
     * The settings of a cluster pool, checked by its builder.
     *
     * @param chunkSize       items per chunk, 0 for automatic
     * @param retries         times a chunk or task runs again after its host (or a worker) died
     * @param hostWaitTimeout how long work waits while no host agent is in the cluster
     */
    public record Settings(int chunkSize, int retries, Duration hostWaitTimeout) {
    }

    private final HazelcastInstance client;
    private final String clusterName;
    final IExecutorService executor;
    final PoolSpec spec;
    /** The spec, serialized once: every chunk and task carries these bytes. */
    final byte[] specBytes;
    final Settings settings;
    private final UUID membershipListener;
    final Set<ClusterMapJob<?>> maps = ConcurrentHashMap.newKeySet();
    private final Map<UUID, AtomicInteger> tasksOnHost = new ConcurrentHashMap<>();
    /** Hosts whose work failed as if they were leaving, and since when (nanoTime): none is sent to them for a while. */
    private final Map<UUID, Long> leaving = new ConcurrentHashMap<>();
    /** How long a host that failed as leaving (but is still a member) gets no work. */
    private static final long LEAVING_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Per host: the map chunks of this pool it holds (sent, not answered), against its room of workers x 2. */
    private final Map<UUID, AtomicInteger> chunksOnHost = new ConcurrentHashMap<>();
    private final Set<PendingTask> waiting = ConcurrentHashMap.newKeySet();
    /** Tasks sent or waiting, not answered yet. */
    private final Set<PendingTask> tasks = ConcurrentHashMap.newKeySet();
    /** Chunks and tasks sent again because their host left (for tests and stats). */
    final AtomicLong ranAgain = new AtomicLong();
    private final Object lifecycle = new Object();
    /** Guarded by {@link #lifecycle}: maps and tasks admitted and not ended. */
    private int active;
    private volatile boolean shutdown;
    /** Counted down once, when the pool has ended (shut down, and every map and task ended). */
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean closedOnHosts;

    public ClusterEngine(HazelcastInstance client, String clusterName, PoolSpec spec, Settings settings) {
        this.client = client;
        this.clusterName = clusterName;
        this.executor = client.getExecutorService(PoolTask.EXECUTOR);
        this.spec = spec;
        this.specBytes = TaskSerializer.serialize(spec, "the pool's options");
        this.settings = settings;
        this.membershipListener = client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                hostsChanged();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                leaving.remove(event.getMember().getUuid());
                hostsChanged();
            }
        });
    }

    /** The id of the client, for the pool's spec. */
    public static UUID clientId(HazelcastInstance client) {
        return client.getLocalEndpoint().getUuid();
    }

    /**
     * The host agents in the cluster now to send work to (members without the workers attribute are not agents; an
     * agent that failed work as leaving gets none for {@link #LEAVING_NANOS}).
     */
    List<Member> hosts() {
        List<Member> hosts = new ArrayList<>();
        long now = System.nanoTime();
        for (Member member : client.getCluster().getMembers()) {
            Long since = leaving.get(member.getUuid());
            if (since != null && now - since >= LEAVING_NANOS) {
                leaving.remove(member.getUuid(), since);
                since = null;
            }
            if (member.getAttribute(HazelcastSetup.ATTR_WORKERS) != null && since == null) {
                hosts.add(member);
            }
        }
        return hosts;
    }

    /** Host {@code host} failed work as a host that leaves: it is left out while it leaves (or for a while). */
    void leaving(UUID host) {
        leaving.put(host, System.nanoTime());
    }

    /** A host's worker JVMs per pool. */
    static int workersOf(Member host) {
        return Integer.parseInt(host.getAttribute(HazelcastSetup.ATTR_WORKERS));
    }

    /** The workers of all host agents now. */
    public int workers() {
        return hosts().stream().mapToInt(ClusterEngine::workersOf).sum();
    }

    /** Chunks and tasks sent again since the pool started, because their host left. */
    public long ranAgain() {
        return ranAgain.get();
    }

    public String clusterName() {
        return clusterName;
    }

    /** A host joined or left: every map looks again (on its reader's thread), and waiting tasks go out. */
    private void hostsChanged() {
        maps.forEach(ClusterMapJob::wake);
        for (PendingTask task : waiting) {
            if (waiting.remove(task)) {
                send(task);
            }
        }
    }

    /** Whether {@code failure} says the host is gone (or going): the work it held runs again elsewhere. */
    static boolean hostLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HazelcastClientNotActiveException) {
                return false; // this client is closed: nowhere to run it again
            }
            if (t instanceof MemberLeftException || t instanceof TargetDisconnectedException
                    || t instanceof TargetNotMemberException || t instanceof HazelcastInstanceNotActiveException) {
                return true;
            }
        }
        return false;
    }

    // ---- maps ----

    /** Starts a map over {@code source}; its results pull the source on the reader's thread. */
    public <R> PoolResults<R> map(byte[] function, Source<?> source, long knownSize, boolean ordered, int chunkSize) {
        admit();
        ClusterMapJob<R> job = new ClusterMapJob<>(this, function, source, knownSize, ordered,
                chunkSize > 0 ? chunkSize : settings.chunkSize(), Thread.currentThread().getContextClassLoader());
        maps.add(job);
        return new MapResults<>(job); // the engine keeps the job, never this: unreachable results get cleaned
    }

    /** The chunks of this pool that host {@code host} holds now (the room it uses). */
    AtomicInteger chunksOn(UUID host) {
        return chunksOnHost.computeIfAbsent(host, id -> new AtomicInteger());
    }

    /** A chunk of {@code from} was answered by {@code host} (or failed there): its room is free for any map of the pool. */
    void roomFreed(UUID host, ClusterMapJob<?> from) {
        chunksOn(host).decrementAndGet();
        if (maps.size() > 1) {
            for (ClusterMapJob<?> job : maps) {
                if (job != from) {
                    job.wake(); // from gets its answer anyway
                }
            }
        }
    }

    /** A map ended (read to its end, closed or failed). */
    void mapEnded(ClusterMapJob<?> job) {
        if (maps.remove(job)) {
            ended();
        }
    }

    // ---- tasks ----

    private final class PendingTask {
        final PoolTask task;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        final ClassLoader loader = Thread.currentThread().getContextClassLoader();
        int attempt;
        boolean timerSet;

        PendingTask(byte[] callable) {
            this.task = new PoolTask(spec.poolId(), specBytes, callable, false);
        }
    }

    /** Runs a serialized callable on a host's worker; the future completes with its value or its failure. */
    public CompletableFuture<Object> call(byte[] callable) {
        byte[] wrapped = TaskSerializer.serialize(new WorkerCalls.TaskCall(callable), "the task");
        admit();
        PendingTask pending = new PendingTask(wrapped);
        tasks.add(pending);
        pending.future.whenComplete((value, failure) -> {
            waiting.remove(pending);
            tasks.remove(pending);
            ended();
        });
        send(pending);
        return pending.future;
    }

    private void send(PendingTask pending) {
        if (pending.future.isDone()) {
            return;
        }
        Member host = leastBusy();
        if (host == null) {
            waitForHost(pending);
            return;
        }
        AtomicInteger count = tasksOnHost.computeIfAbsent(host.getUuid(), id -> new AtomicInteger());
        count.incrementAndGet();
        ExecutionCallback<byte[]> callback = new ExecutionCallback<>() {
            @Override
            public void onResponse(byte[] answer) {
                count.decrementAndGet();
                try {
                    WorkerCalls.Answers answers = WorkerCalls.decode(answer, pending.loader);
                    if (answers.whole() != null) {
                        pending.future.completeExceptionally(answers.whole());
                    } else if (answers.failures()[0] != null) {
                        pending.future.completeExceptionally(answers.failures()[0].toException(answers.workerPid()));
                    } else {
                        pending.future.complete(answers.values()[0]);
                    }
                } catch (RuntimeException e) {
                    pending.future.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                count.decrementAndGet();
                boolean lost = hostLost(failure);
                if (lost) {
                    leaving(host.getUuid());
                }
                if (lost && pending.attempt < settings.retries()) {
                    pending.attempt++;
                    ranAgain.incrementAndGet();
                    send(pending); // the first answer completes the future: a later one is dropped
                } else if (lost) {
                    pending.future.completeExceptionally(new WorkerDiedException("host agent " + host.getAddress()
                            + " left the cluster while running this task: " + failure, pending.attempt));
                } else {
                    pending.future.completeExceptionally(failure);
                }
            }
        };
        try {
            executor.submitToMember(pending.task, host, callback);
        } catch (RuntimeException e) {
            callback.onFailure(e);
        }
    }

    private Member leastBusy() {
        Member best = null;
        int fewest = Integer.MAX_VALUE;
        for (Member host : hosts()) {
            AtomicInteger count = tasksOnHost.get(host.getUuid());
            int n = count == null ? 0 : count.get();
            if (n < fewest) {
                fewest = n;
                best = host;
            }
        }
        return best;
    }

    /** No host agent now: the task waits for one to join, at most the host wait timeout (counted from its first wait). */
    private void waitForHost(PendingTask pending) {
        waiting.add(pending);
        if (!pending.timerSet) {
            pending.timerSet = true;
            long millis = settings.hostWaitTimeout().toMillis();
            CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> {
                if (waiting.remove(pending)) {
                    pending.future.completeExceptionally(noHost(pending.attempt));
                }
            });
        }
        if (!hosts().isEmpty() && waiting.remove(pending)) {
            send(pending); // one joined meanwhile
        }
    }

    /** The failure of work that waited the host wait timeout for a host agent. */
    WorkerDiedException noHost(int retries) {
        return new WorkerDiedException("no host agent in cluster '" + clusterName + "' for "
                + settings.hostWaitTimeout().toMillis() + " ms: start one (ringfork worker --cluster " + clusterName
                + " --members ...), or give the pool a longer hostWaitTimeout", retries);
    }

    // ---- lifecycle ----

    private void admit() {
        synchronized (lifecycle) {
            if (shutdown) {
                throw new RejectedExecutionException("cluster pool " + spec.poolId() + " is shut down: no new work is accepted");
            }
            active++;
        }
    }

    private void ended() {
        synchronized (lifecycle) {
            active--;
            if (shutdown && active == 0) {
                finish();
            }
        }
    }

    /** No new work; what was given runs to its end. */
    public void shutdown() {
        synchronized (lifecycle) {
            shutdown = true;
            if (active == 0) {
                finish();
            }
        }
    }

    /** {@link #shutdown()}, and maps stop taking items from their sources (what hosts hold still arrives). */
    public void shutdown(boolean cancelPending) {
        if (cancelPending) {
            maps.forEach(ClusterMapJob::stopPulling);
            for (PendingTask task : waiting) {
                task.future.cancel(false);
            }
        }
        shutdown();
    }

    /** Stops everything now: maps and tasks fail with a CancellationException, the hosts kill the pool's workers. */
    public void shutdownNow() {
        synchronized (lifecycle) {
            shutdown = true;
        }
        for (ClusterMapJob<?> job : maps) {
            job.abort(new CancellationException("the cluster pool was shut down now"));
            mapEnded(job); // its reader, if it reads on, gets what it had and then the cancellation
        }
        for (PendingTask task : tasks) {
            task.future.cancel(false);
        }
        closeOnHosts(true);
        shutdown();
    }

    private void finish() {
        if (terminated.getCount() > 0) {
            closeOnHosts(false);
            terminated.countDown();
        }
    }

    /** Tells every host agent to close this pool's local pool; a host that missed it closes it when this client leaves. */
    private void closeOnHosts(boolean now) {
        if (closedOnHosts && !now) {
            return;
        }
        closedOnHosts = true;
        try {
            client.getCluster().removeMembershipListener(membershipListener);
            client.getExecutorService(PoolTask.CONTROL).executeOnAllMembers(new PoolTask.Close(spec.poolId(), now));
        } catch (RuntimeException e) {
            // the client is closed or no member is left: the agents close the pool when the client's connection ends
        }
    }

    /** Maps not ended yet (read to their end, closed, or cleaned). */
    public int openMaps() {
        return maps.size();
    }

    public boolean isShutdown() {
        return shutdown;
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
