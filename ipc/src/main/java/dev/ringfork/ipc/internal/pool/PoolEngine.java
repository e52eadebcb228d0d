package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.MpscRing;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.sync.WaitStrategy;
import dev.ringfork.ipc.internal.FreshRegions;
import dev.ringfork.ipc.pool.PoolResults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running pool: its region with the shared results ring, the dispatcher thread, and the jobs in
 * progress. {@code ProcessPool} is its public face.
 *
 * <p>Admission: one lock ({@link #admission}) orders the admission of jobs and the posting of messages
 * to the dispatcher against shutdown and the dispatcher's decision to stop. A job is admitted (joins
 * {@link #active}) only before shutdown, else rejected; the dispatcher stops only when no job is active
 * and nothing is posted, and a message posted after that is never left unread: its job is aborted.
 * So every admitted job ends.
 */
public final class PoolEngine {

    private final PoolConfig config;
    private final String name;
    private final SharedRegion region;
    private final RingConsumer results;
    private final Dispatcher dispatcher;
    private final Thread thread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Set<Job> active = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Pids of the worker JVMs running now (started, perhaps not ready yet) by slot, kept by the dispatcher. */
    final Map<Integer, Long> runningPids = new ConcurrentHashMap<>();
    /** Pids of the workers that reported ready, by slot, kept by the dispatcher. */
    final Map<Integer, Long> readyPids = new ConcurrentHashMap<>();
    private final Object admission = new Object();
    /** Written under {@link #admission}: no job is admitted any more. */
    private volatile boolean shuttingDown;
    /** Guarded by {@link #admission}: the dispatcher reads no more messages. */
    private boolean stopped;
    /** Set by {@link #close()}: maps nobody can read any more are cancelled after a grace period. */
    private volatile boolean closing;
    /** The threads waiting in {@code close()} now: a map whose reader is one of them will not be read on. */
    private final Set<Thread> closers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopNow;
    /** Set by {@code shutdown(true)}: work not sent to a worker yet is cancelled, maps take no more items. */
    private volatile boolean pendingCancelled;
    /** For tests: runs just before a job's admission (null: nothing), to widen the window of a race with shutdown. */
    static volatile Runnable admissionHook;

    public PoolEngine(PoolConfig config) {
        this.config = config;
        RegionOptions options = RegionOptions.defaults().withDirectory(config.directory())
                .withSize(config.resultRingCapacity() + (256L << 10));
        this.region = FreshRegions.createUnique("pool", options);
        this.name = region.name();
        // A worker killed halfway through writing a result blocks the ring until the stall timeout:
        // keep it short, the pool's own dispatcher is the only reader.
        HotWait resultsWait = new HotWait(WaitStrategy.adaptive(500, 2));
        RingOptions ringOptions = RingOptions.defaults().withCapacity(config.resultRingCapacity())
                .withWaitStrategy(resultsWait).withStallTimeout(Duration.ofMillis(200));
        MpscRing resultRing = MpscRing.open(region, "results", ringOptions);
        this.results = resultRing.consumer();
        List<String> workerArgs = List.of(config.directory().toString(), name, Integer.toString(config.maxTasksPerWorker()),
                Integer.toString(config.resultRingCapacity()), waitName(config.waitStrategy()));
        this.dispatcher = new Dispatcher(this, config, name, resultRing, results, resultsWait, workerArgs);
        try {
            dispatcher.spawnWorkers(); // before the thread starts, which then owns the slots
        } catch (RuntimeException | Error e) {
            dispatcher.ringClosed = true;
            results.close();
            region.close();
            region.unlink();
            throw e;
        }
        this.thread = Thread.ofPlatform().daemon().name("ringfork-" + name).unstarted(() -> {
            try {
                dispatcher.run();
            } finally {
                dispatcher.ringClosed = true; // before the unmapping: wake() no longer rings its bell
                results.close();
                region.close();
                region.unlink();
                terminated.countDown();
            }
        });
        thread.start();
    }

    private static String waitName(WaitStrategy wait) {
        return wait == WaitStrategy.busySpin() ? "spin" : wait == WaitStrategy.yielding() ? "yield" : "adaptive";
    }

    public String name() {
        return name;
    }

    public PoolConfig config() {
        return config;
    }

    /** Starts a map: results come back through the returned iterator, pulled lazily from {@code source}. */
    public <R> PoolResults<R> map(byte[] function, Source<?> source, long knownSize, boolean ordered, int chunkSize) {
        ChunkSizer sizer = new ChunkSizer(chunkSize > 0 ? chunkSize : config.chunkSize(), knownSize, config.workers());
        MapJob<R> job = new MapJob<>(this, ids.incrementAndGet(), function, source, sizer, ordered, config.workers());
        admit(job);
        return new MapResults<>(job); // the engine keeps the job, never this: unreachable results get cleaned
    }

    /** Runs one serialized callable in a worker. */
    public CompletableFuture<Object> call(byte[] callable) {
        if (callable.length + 8 > config.maxTaskMessage()) {
            throw new IllegalArgumentException("the task is " + callable.length + " bytes serialized; the task ring takes at most "
                    + config.maxTaskMessage() + ": capture less, or raise the pool's taskRingCapacity");
        }
        CallJob job = new CallJob(ids.incrementAndGet());
        admit(job);
        job.future.whenComplete((value, failure) -> jobEnded(job));
        enqueue(new Chunk(job, nextChunkId(), 0, null, callable));
        return job.future;
    }

    /** Pids of the worker JVMs running now, in slot order: every worker from construction on, ready or still starting. */
    public List<Long> workerPids() {
        return List.copyOf(new TreeMap<>(runningPids).values());
    }

    /** Pids of the workers that have reported ready, in slot order. */
    public List<Long> readyWorkerPids() {
        return List.copyOf(new TreeMap<>(readyPids).values());
    }

    long nextChunkId() {
        return ids.incrementAndGet();
    }

    /** Registers a job as active, or rejects it once the pool is shut down. */
    private void admit(Job job) {
        Runnable hook = admissionHook;
        if (hook != null) {
            hook.run();
        }
        synchronized (admission) {
            if (shuttingDown) {
                throw new RejectedExecutionException("pool " + name + " is shut down: no new work is accepted");
            }
            active.add(job); // before the shutdown that follows, so the dispatcher waits for the job to end
        }
    }

    /** Hands a chunk to the dispatcher; one that comes after the dispatcher stopped aborts its job instead. */
    void enqueue(Chunk chunk) {
        if (!post(chunk)) {
            chunk.job.abort(new CancellationException("pool " + name + " was closed before this work was sent to a worker"));
        }
    }

    /** The job ended (answered, read to its end, closed, or cancelled): it no longer keeps the pool running. */
    void jobEnded(Job job) {
        if (active.remove(job)) {
            post(new Dispatcher.JobEnded(job));
        }
    }

    /** Adds {@code message} to the dispatcher's incoming queue and wakes it; false if the dispatcher stopped. */
    private boolean post(Object message) {
        synchronized (admission) {
            if (stopped) {
                return false;
            }
            dispatcher.incoming.add(message); // read by the dispatcher unless it stops, which it does under this lock
        }
        dispatcher.wake();
        return true;
    }

    /**
     * The dispatcher's last look before it stops: true (and nothing is posted any more) if no job is active
     * and no message waits; false if one came in meanwhile. Called only once the pool is shut down.
     */
    boolean stopIfIdle() {
        synchronized (admission) {
            if (active.isEmpty() && dispatcher.incoming.isEmpty()) {
                stopped = true;
            }
            return stopped;
        }
    }

    /** The dispatcher stops now (shutdownNow or a failure): no job is admitted and nothing is posted any more. */
    void stopTaking() {
        synchronized (admission) {
            shuttingDown = true;
            stopped = true;
        }
    }

    int activeCount() {
        return active.size();
    }

    /** The jobs admitted and not ended yet (a live view). */
    Iterable<Job> activeJobs() {
        return active;
    }

    /**
     * Splits {@code items} into chunks whose encoding fits a task ring message.
     *
     * @throws IllegalArgumentException if one item alone does not fit
     */
    List<List<Object>> fitToRing(List<Object> items, ChunkCodec codec) {
        int room = config.maxTaskMessage() - PoolMessages.CHUNK_HEADER;
        List<List<Object>> parts = new ArrayList<>();
        split(items, room, parts, codec);
        return parts;
    }

    private static void split(List<Object> items, int room, List<List<Object>> parts, ChunkCodec codec) {
        if (codec.encodedSize(items) <= room) {
            parts.add(items);
            return;
        }
        if (items.size() == 1) {
            throw new IllegalArgumentException("an item of " + codec.encodedSize(items) + " bytes encoded ("
                    + items.getFirst().getClass().getName() + ") does not fit the task ring's largest message of " + room
                    + " bytes: raise the pool's taskRingCapacity (8x the largest item), or pass a SharedSegment reference instead");
        }
        int half = items.size() / 2;
        split(new ArrayList<>(items.subList(0, half)), room, parts, codec);
        split(new ArrayList<>(items.subList(half, items.size())), room, parts, codec);
    }

    void abortJobs(RuntimeException reason) {
        for (Job job : active) {
            job.abort(reason);
        }
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    boolean stopNow() {
        return stopNow;
    }

    boolean closing() {
        return closing;
    }

    /**
     * {@link #shutdown()}; with {@code cancelPending}, also cancels the work not sent to a worker yet: those
     * calls and map items fail with a {@link CancellationException}, and maps take no more items from their
     * sources. Work a worker has (up to a few chunks each) runs to its end.
     */
    public void shutdown(boolean cancelPending) {
        if (cancelPending) {
            pendingCancelled = true;
        }
        shutdown();
    }

    boolean pendingCancelled() {
        return pendingCancelled;
    }

    /** No new work; what was started finishes, then the workers exit. */
    public void shutdown() {
        synchronized (admission) {
            shuttingDown = true; // no admission after this
        }
        dispatcher.wake();
    }

    /**
     * {@link #shutdown()}, and maps that nobody can read any more are cancelled after a grace period. The
     * calling thread counts as waiting for the pool until {@link #closeReturned()}: it reads no map meanwhile.
     */
    public void close() {
        closers.add(Thread.currentThread());
        closing = true;
        shutdown();
    }

    /** The calling thread stopped waiting in {@code close()}. */
    public void closeReturned() {
        closers.remove(Thread.currentThread());
    }

    /** True while {@code thread} waits in {@code close()}. */
    boolean isClosing(Thread thread) {
        return closers.contains(thread);
    }

    /** No new work, pending work is cancelled, workers are killed. */
    public void shutdownNow() {
        stopNow = true;
        shutdown();
    }

    public boolean isShutdown() {
        return shuttingDown;
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
