package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.pool.WorkerDiedException;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The pool's one thread in the parent: sends chunks to workers, routes their answers to jobs, and
 * replaces workers that die or retire. It is the only writer of every task ring and the only reader of
 * the results ring. Other threads talk to it through {@link #incoming} and {@link #exits}, then
 * {@link #wake()} it.
 *
 * <p>Exactly-once results: a chunk is in {@link #inFlight} from its send until its first answer. The
 * first answer is taken and later ones (a retried chunk whose first worker answered after all) are
 * dropped, so a result is never delivered twice; a chunk whose worker died unanswered goes back to the
 * front of {@link #pending}, so none is lost.
 */
final class Dispatcher implements MessageHandler {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final int MAX_START_FAILURES = 3;
    private final PoolEngine engine;
    private final PoolConfig config;
    private final WorkerSlot[] slots;
    private final Ring resultRing;
    private final RingConsumer results;
    /** The results ring's wait: hot only while a worker may be idle, so a busy pool's workers keep the CPUs. */
    private final HotWait resultsWait;
    private final ChunkCodec codec = new ChunkCodec();
    private final AbandonedMaps abandoned;
    private final List<String> workerArgs;

    final ConcurrentLinkedQueue<Object> incoming = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<int[]> exits = new ConcurrentLinkedQueue<>();
    /** Exits seen and not handled yet: each waits until the results ring is read up to {@link Exit#resultsEnd}. */
    private final ArrayDeque<Exit> exited = new ArrayDeque<>();
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private final Map<Long, Chunk> inFlight = new HashMap<>();
    private volatile Thread thread;
    /** Set by the engine before it unmaps the results ring: {@link #wake()} leaves the ring alone from then on. */
    volatile boolean ringClosed;
    private final java.util.function.BooleanSupplier hasNews = () -> !incoming.isEmpty() || !exits.isEmpty();
    private long round;
    private int startFailures;

    /** Sent through {@link #incoming}: the job has ended; workers may forget its function. */
    record JobEnded(Job job) {
    }

    /** A worker slot whose current JVM exited, and the results ring's claimed position when that was seen. */
    private record Exit(int slot, long resultsEnd) {
    }

    Dispatcher(PoolEngine engine, PoolConfig config, String poolName, Ring resultRing, RingConsumer results,
               HotWait resultsWait, List<String> workerArgs) {
        this.resultsWait = resultsWait;
        this.engine = engine;
        this.abandoned = new AbandonedMaps(engine);
        this.config = config;
        this.resultRing = resultRing;
        this.results = results;
        this.workerArgs = List.copyOf(workerArgs);
        this.slots = new WorkerSlot[config.workers()];
        for (int i = 0; i < slots.length; i++) {
            int index = i;
            slots[i] = new WorkerSlot(i, config, poolName, generation -> {
                exits.add(new int[] {index, generation});
                wake();
            });
        }
    }

    /** Wakes the dispatcher wherever it waits: parked (idle) or asleep on the results ring. */
    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        if (!ringClosed) {
            try {
                resultRing.wakeConsumers();
            } catch (IllegalStateException e) {
                if (!ringClosed) {
                    throw e;
                } // unmapped meanwhile: nobody waits on it any more
            }
        }
    }

    /**
     * Starts every worker JVM, so their pids are known when the pool is returned; called once, before the
     * dispatcher thread starts (which owns the slots from then on). On failure the ones started are killed.
     */
    void spawnWorkers() {
        try {
            for (WorkerSlot slot : slots) {
                spawn(slot);
            }
        } catch (RuntimeException | Error e) {
            for (WorkerSlot slot : slots) {
                slot.kill();
                slot.release();
            }
            engine.runningPids.clear();
            throw e;
        }
    }

    private void spawn(WorkerSlot slot) {
        slot.spawn(workerArgs);
        engine.runningPids.put(slot.index, slot.pid);
    }

    /** The loop, until the pool is shut down and everything sent was answered. */
    void run() {
        thread = Thread.currentThread();
        RuntimeException failure = null;
        try {
            while (!engine.stopNow()) {
                takeIncoming();
                handleExits();
                checkStartTimeouts();
                if (engine.shuttingDown()) {
                    if (engine.closing()) {
                        abandoned.sweep();
                    }
                    if (idle() && engine.stopIfIdle()) {
                        break;
                    }
                }
                dispatch();
                if (results.read(this, 256) == 0) {
                    waitForNews();
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException r ? r : new IllegalStateException("the pool's dispatcher failed", e);
            LOG.log(System.Logger.Level.ERROR, "the pool's dispatcher failed; the pool is shut down", e);
        } finally {
            stopWorkers(failure);
        }
    }

    /** A worker JVM that does not report ready within the start timeout is killed (and counted as a failed start). */
    private void checkStartTimeouts() {
        long now = System.nanoTime();
        for (WorkerSlot slot : slots) {
            if (slot.state == WorkerSlot.State.STARTING && now - slot.startedAt > config.startTimeout().toNanos() && slot.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "pool worker " + slot.index + " did not report ready within "
                        + config.startTimeout().toSeconds() + " s: killed");
                slot.kill();
            }
        }
    }

    private boolean idle() {
        takeIncoming();
        return pending.isEmpty() && inFlight.isEmpty() && incoming.isEmpty() && engine.activeCount() == 0;
    }

    private void waitForNews() throws RuntimeException {
        try {
            // Until a result, new work from this JVM (its enqueue rings the results ring's bell), or a worker exit.
            resultsWait.hot = inFlight.size() < slots.length;
            results.read(this, 256, 50, TimeUnit.MILLISECONDS, hasNews);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the pool's dispatcher was interrupted", e);
        }
    }

    private void takeIncoming() {
        for (Object next; (next = incoming.poll()) != null; ) {
            if (next instanceof Chunk chunk) {
                pending.addLast(chunk);
            } else if (next instanceof JobEnded ended) {
                for (WorkerSlot slot : slots) {
                    if (slot.state == WorkerSlot.State.READY) {
                        slot.forget(ended.job());
                    }
                }
            }
        }
    }

    /** Sends pending chunks to ready workers with room, least loaded first (after the FORGETs they are owed). */
    private void dispatch() {
        round++;
        for (WorkerSlot slot : slots) {
            if (slot.state == WorkerSlot.State.READY && !slot.sendForgets()) {
                slot.fullInRound = round;
            }
        }
        if (engine.pendingCancelled()) {
            cancelPending();
            return;
        }
        while (!pending.isEmpty()) {
            Chunk chunk = pending.peekFirst();
            if (chunk.job.isCancelled()) {
                pending.pollFirst();
                continue;
            }
            WorkerSlot worker = leastLoaded(chunk.job.perWorkerLimit());
            if (worker == null) {
                return;
            }
            boolean sent = (chunk.job.function == null || worker.knows(chunk.job) || worker.sendFunction(chunk.job))
                    && worker.send(chunk, codec);
            if (!sent) {
                worker.fullInRound = round;
                continue;
            }
            pending.pollFirst();
            inFlight.put(chunk.id, chunk);
            chunk.owner = worker.index;
            worker.inFlight.add(chunk.id);
        }
    }

    /** {@code shutdown(true)}: every chunk not sent to a worker fails with a CancellationException. */
    private void cancelPending() {
        for (Chunk chunk; (chunk = pending.pollFirst()) != null; ) {
            chunk.job.fail(chunk, new java.util.concurrent.CancellationException(
                    "the pool was shut down with shutdown(true) before this work was sent to a worker"));
        }
    }

    private WorkerSlot leastLoaded(int limit) {
        WorkerSlot best = null;
        for (WorkerSlot slot : slots) {
            if (slot.state == WorkerSlot.State.READY && !slot.exitSeen && slot.fullInRound != round
                    && slot.inFlight.size() < limit
                    && (best == null || slot.inFlight.size() < best.inFlight.size())) {
                best = slot;
            }
        }
        return best;
    }

    @Override
    public void onMessage(int type, MemorySegment message) {
        WorkerSlot slot = slots[PoolMessages.slot(message)];
        int generation = PoolMessages.generation(message);
        switch (type) {
            case PoolMessages.READY -> {
                if (generation == slot.generation && slot.state == WorkerSlot.State.STARTING) {
                    slot.state = WorkerSlot.State.READY;
                    slot.pid = message.get(PoolMessages.LONG, 8);
                    engine.readyPids.put(slot.index, slot.pid);
                    startFailures = 0;
                }
            }
            case PoolMessages.RESULT -> answered(slot, generation, message);
            case PoolMessages.RETIRING -> {
                if (generation == slot.generation && slot.state == WorkerSlot.State.READY) {
                    slot.state = WorkerSlot.State.RETIRING;
                }
            }
            case PoolMessages.BROKEN -> {
                RemoteFailure failure = TaskSerializer.deserialize(PoolMessages.bytes(message, PoolMessages.WORKER_HEADER),
                        Dispatcher.class.getClassLoader());
                throw new IllegalStateException("a worker JVM could not start its work; the pool is shut down",
                        failure.toException(generation == slot.generation ? slot.pid : slot.previousPid));
            }
            default -> LOG.log(System.Logger.Level.WARNING, "unknown message type " + type + " from worker " + slot.index);
        }
    }

    private void answered(WorkerSlot slot, int generation, MemorySegment message) {
        long chunkId = message.get(PoolMessages.LONG, 8);
        Chunk chunk = inFlight.remove(chunkId);
        if (chunk == null) {
            return; // answered before (a retry), or its job was cancelled
        }
        if (chunk.owner >= 0) {
            slots[chunk.owner].inFlight.remove(chunkId);
        }
        long nanos = message.get(PoolMessages.LONG, 16);
        long pid = generation == slot.generation ? slot.pid : slot.previousPid;
        List<Object> values;
        try {
            values = codec.decode(message, PoolMessages.RESULT_HEADER, message.byteSize() - PoolMessages.RESULT_HEADER);
        } catch (CodecException e) {
            chunk.job.fail(chunk, e);
            return;
        }
        if (values.size() != chunk.size()) {
            chunk.job.fail(chunk, new IllegalStateException("worker pid " + pid + " answered " + values.size()
                    + " values for a chunk of " + chunk.size() + " items"));
            return;
        }
        chunk.job.complete(chunk, values, pid, nanos);
    }

    /**
     * Worker JVMs that exited: their unanswered chunks go back to the front, and a new worker starts. An
     * exit is handled only once the results ring has been read up to where it was claimed when the exit
     * was seen, which is past everything the worker wrote (a RETIRING, its last answers): a record of
     * another worker still being written below that point would otherwise hide them, and a worker that
     * retired would be taken for dead. That record is committed soon, or skipped by the ring's stall
     * watch if its writer died too.
     */
    private void handleExits() {
        for (int[] exit; (exit = exits.poll()) != null; ) {
            if (exit[1] == slots[exit[0]].generation) {
                slots[exit[0]].exitSeen = true; // sent nothing more
                exited.addLast(new Exit(exit[0], resultRing.claimedPosition()));
            }
        }
        while (!exited.isEmpty()) {
            while (results.read(this, 256) > 0) {
                // routed by onMessage
            }
            if (resultRing.consumedPosition() - exited.peekFirst().resultsEnd < 0) {
                return; // not read that far yet: the loop comes back with the next result, or within 50 ms
            }
            handleExit(slots[exited.pollFirst().slot]);
        }
    }

    private void handleExit(WorkerSlot slot) {
        WorkerSlot.State was = slot.state;
        boolean died = was == WorkerSlot.State.READY || was == WorkerSlot.State.STARTING;
        List<Chunk> back = new ArrayList<>();
        for (long id : slot.inFlight) {
            Chunk chunk = inFlight.remove(id);
            if (chunk == null) {
                continue;
            }
            chunk.owner = -1;
            if (died && ++chunk.attempts > config.retries()) {
                chunk.job.fail(chunk, new WorkerDiedException(slot.index, slot.pid, slot.exitCode(), chunk.attempts - 1,
                        slot.outOfMemory()));
            } else {
                back.add(chunk);
            }
        }
        slot.inFlight.clear();
        for (int i = back.size() - 1; i >= 0; i--) {
            pending.addFirst(back.get(i));
        }
        String exitDescription = slot.exitDescription();
        engine.readyPids.remove(slot.index);
        engine.runningPids.remove(slot.index);
        slot.release();
        if (died) {
            LOG.log(System.Logger.Level.WARNING, "pool worker " + slot.index + " (pid " + slot.pid + ") died ("
                    + exitDescription + "); " + back.size() + " chunk(s) go to other workers; starting a replacement");
        }
        if (was == WorkerSlot.State.STARTING && ++startFailures >= MAX_START_FAILURES) {
            throw new IllegalStateException(startFailures + " worker JVMs in a row exited before they were ready (last: "
                    + exitDescription + "); see their output above. The pool is shut down");
        }
        if (was != WorkerSlot.State.STOPPING && !engine.stopNow()) {
            spawn(slot);
        }
    }

    /** Closes every task ring (workers drain and exit), waits a little, then kills what is left. */
    private void stopWorkers(RuntimeException failure) {
        RuntimeException reason = failure != null ? failure : new java.util.concurrent.CancellationException(
                "the pool was shut down with shutdownNow() before this work was done");
        engine.stopTaking(); // nothing comes in after this; what came in is answered below
        for (Object message; (message = incoming.poll()) != null; ) {
            if (message instanceof Chunk chunk) {
                chunk.job.abort(reason);
            }
        }
        for (Chunk chunk : pending) {
            chunk.job.fail(chunk, reason);
        }
        for (Chunk chunk : inFlight.values()) {
            chunk.job.fail(chunk, reason);
        }
        pending.clear();
        inFlight.clear();
        engine.abortJobs(reason); // none is left after an orderly stop
        for (WorkerSlot slot : slots) {
            if (engine.stopNow() || failure != null) {
                slot.kill();
            } else {
                slot.stop();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (WorkerSlot slot : slots) {
            while (slot.isAlive() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            if (slot.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "pool worker " + slot.index + " (pid " + slot.pid
                        + ") did not exit within 10 s of the pool's shutdown: killed");
                slot.kill();
            }
            slot.release();
            engine.readyPids.remove(slot.index);
            engine.runningPids.remove(slot.index);
        }
    }
}
