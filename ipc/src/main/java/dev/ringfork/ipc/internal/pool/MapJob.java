package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.PoolResults;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A map over a lazy source, consumed as an iterator (through {@link MapResults}, the handle users get).
 * The consuming thread pulls items and cuts chunks itself (so a slow source never stalls the
 * dispatcher), keeping a bounded window of chunks between the source and the caller: twice what the
 * workers may hold, which is about {@value #IN_FLIGHT_NANOS} ns of work each, at most
 * {@value #MAX_PER_WORKER} chunks and {@value #MAX_ITEMS_PER_WORKER} items each (at least 4 chunks). That
 * bounds memory for an infinite source and what is pulled but never needed. Results are handed back in
 * source order, or as they come for an unordered map.
 *
 * <p>Once aborted (the pool failed, was shut down now, or closed while nobody can read this map any more)
 * the reader still gets every answer that had arrived, then the abort's exception: never a hang, never a
 * silent end.
 */
final class MapJob<R> extends Job implements PoolResults<R> { // the engine's side; users hold a MapResults

    private static final VarHandle HANDED_OUT;

    static {
        try {
            HANDED_OUT = MethodHandles.lookup().findVarHandle(MapJob.class, "handedOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PoolEngine engine;
    private final Source<?> source;
    private final ChunkSizer sizer;
    private final boolean ordered;
    private final int workers;
    /** Sizes chunks on the consuming thread (a codec is used by one thread). */
    private final ChunkCodec codec = new ChunkCodec();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // Guarded by lock: chunks answered and not yet taken by the consumer.
    private final Map<Long, Answer> answered = new HashMap<>();
    private final ArrayDeque<Answer> arrivals = new ArrayDeque<>();
    /** Written under lock, read anywhere: why nothing more will arrive, or null. */
    private volatile RuntimeException aborted;
    /** Guarded by lock: the consumer is inside hasNext's slow path (pulling the source or waiting). */
    private boolean busy;
    /** Chunks handed to the dispatcher and not answered (or failed) yet. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** Items handed out by next(): written by the consumer only (opaque), read by the dispatcher. */
    @SuppressWarnings("unused") // through HANDED_OUT
    private long handedOut;

    // The consuming thread's own state.
    private int outstanding;
    private long created;
    private long delivered;
    private boolean exhausted;
    /** The source was closed and the job ended (read to its end, or closed); volatile for the cleaner's thread. */
    private volatile boolean finished;
    /** Closed by its reader (or the cleaner): hasNext is false from then on. */
    private volatile boolean closed;
    private Answer current;
    private int index;
    /** Set when {@code shutdown(true)} stopped the pulling of the source: thrown once the results cut before are read. */
    private volatile CancellationException truncatedBy;

    /** The thread that last read this map (at first, the one that made it): it may come back while it lives. */
    private volatile Thread reader = Thread.currentThread();

    // The dispatcher's own state: when it last saw the reader make progress.
    private long seenHandedOut = -1;
    private long quietSince;

    /** What {@link #checkAbandoned} found. */
    enum Abandonment {
        /** The reader made progress lately, or is inside {@code hasNext}, or chunks are still being computed. */
        READING,
        /** Quiet, but its reader thread lives and may read on: only the cleaner ends it, once the results are garbage. */
        HELD,
        /** Nobody can read it any more: cancelled now. */
        CANCELLED
    }

    /** One answered chunk: its values and the worker that computed them. */
    private record Answer(List<Object> values, long workerPid) {
    }

    /** Work each worker should have in flight: covers a round trip through sleeping threads. */
    static final long IN_FLIGHT_NANOS = 8_000_000;
    static final int MAX_PER_WORKER = 256;
    /** Chunks a worker holds at least once their cost is known. */
    static final int MIN_PER_WORKER = 2;
    /**
     * A chunk this long is dealt alone (one per worker): handing a worker its next chunk takes tens of µs,
     * a few per cent of it at most, and at the end of a job no worker waits while another sits on a
     * queued chunk of this size.
     */
    static final long LONE_CHUNK_NANOS = 4_000_000;
    /** Items a worker may hold at once, however cheap they are (bounds what is pulled ahead). */
    static final int MAX_ITEMS_PER_WORKER = 16_384;

    MapJob(PoolEngine engine, long id, byte[] function, Source<?> source, ChunkSizer sizer, boolean ordered, int workers) {
        super(id, function);
        this.engine = engine;
        this.source = source;
        this.sizer = sizer;
        this.ordered = ordered;
        this.workers = workers;
    }

    /**
     * Chunks a worker may hold: {@link PoolConfig#WINDOW_PER_WORKER} until a chunk's cost is known, then about
     * {@value #IN_FLIGHT_NANOS} ns of work but at least {@value #MIN_PER_WORKER}: one computed, one waiting;
     * a chunk of {@value #LONE_CHUNK_NANOS} ns or more is held alone. Long chunks are dealt no further ahead
     * than that, so at the end of a job no worker sits on several while another has none left.
     */
    @Override
    int perWorkerLimit() {
        int items = sizer.next();
        int byItems = Math.max(PoolConfig.WINDOW_PER_WORKER, MAX_ITEMS_PER_WORKER / Math.max(1, items));
        double perItem = sizer.nanosPerItem();
        int min = perItem < 0 ? PoolConfig.WINDOW_PER_WORKER
                : perItem * Math.max(1, items) >= LONE_CHUNK_NANOS ? 1 : MIN_PER_WORKER;
        return Math.min(byItems, sizer.chunksFor(IN_FLIGHT_NANOS, items, min, MAX_PER_WORKER));
    }

    /** Chunks cut ahead of the caller: twice what the workers may hold, so the next ones are ready to send. */
    private int window() {
        return 2 * workers * perWorkerLimit();
    }

    @Override
    public boolean hasNext() {
        return hasCurrent() || advance(false, 0);
    }

    private boolean hasCurrent() {
        return !closed && current != null && index < current.values().size();
    }

    /**
     * {@link #next()}, waiting for the workers at most {@code timeout} (pulling the source is not bounded by it).
     *
     * @throws TimeoutException if no result came in time; nothing is lost, the next call goes on from here
     */
    @Override
    public R next(long timeout, TimeUnit unit) throws TimeoutException {
        noteReader();
        try {
            if (!hasCurrent() && !advance(true, System.nanoTime() + unit.toNanos(timeout))) {
                throw new NoSuchElementException("no more results");
            }
        } catch (TimedOut e) {
            throw new TimeoutException("no result within " + timeout + " " + unit.toString().toLowerCase(java.util.Locale.ROOT)
                    + "; the results are still usable");
        }
        return next();
    }

    /** Thrown out of a timed wait in {@link #awaitAnswer}; a singleton without a stack trace. */
    private static final class TimedOut extends RuntimeException {
        private static final TimedOut INSTANCE = new TimedOut();

        private TimedOut() {
            super(null, null, false, false);
        }
    }

    /** Notes the calling thread as the reader: the one {@link #checkAbandoned} looks at. */
    private void noteReader() {
        Thread me = Thread.currentThread();
        if (reader != me) {
            reader = me;
        }
    }

    /** The slow path of {@link #hasNext()}: the next answer, pulling the source as the window allows. */
    private boolean advance(boolean timed, long deadline) {
        noteReader();
        setBusy(true);
        try {
            for (;;) {
                if (closed) {
                    return false;
                }
                if (current != null && index < current.values().size()) {
                    return true;
                }
                current = null;
                if (finished) {
                    return endOrTruncated();
                }
                topUp();
                Answer next = awaitAnswer(timed, deadline);
                if (next == null) {
                    if (exhausted && outstanding == 0) {
                        finish();
                        return endOrTruncated();
                    }
                    continue; // room to cut more chunks
                }
                current = next;
                index = 0;
            }
        } finally {
            setBusy(false);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        noteReader();
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        Object value = current.values().get(index++);
        HANDED_OUT.setOpaque(this, (long) HANDED_OUT.get(this) + 1); // progress, for the closing pool's grace period
        if (value instanceof RemoteFailure failure) {
            throw failure.toException(current.workerPid());
        }
        if (value instanceof LocalFailure failure) {
            throw failure.exception();
        }
        return (R) value;
    }

    private void setBusy(boolean inside) {
        lock.lock();
        try {
            busy = inside; // seen by checkAbandoned under this lock
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next answer (if {@code timed}, until {@code deadline} of {@link System#nanoTime()}), or returns
     * null when more chunks may be cut (or none will come).
     *
     * @throws TimedOut if {@code timed} and the deadline passed first
     * @throws RuntimeException the abort's reason, once no answer that had arrived is left
     */
    private Answer awaitAnswer(boolean timed, long deadline) {
        boolean interrupted = false;
        lock.lock();
        try {
            for (;;) {
                Answer answer = ordered ? answered.remove(delivered) : arrivals.poll();
                if (answer != null) {
                    delivered++;
                    outstanding--;
                    return answer;
                }
                if (aborted != null) {
                    throw aborted;
                }
                if ((!exhausted && outstanding < window()) || (exhausted && outstanding == 0)) {
                    return null;
                }
                if (!timed) {
                    arrived.awaitUninterruptibly(); // deliver() and abort() signal under this lock
                } else if (deadline - System.nanoTime() <= 0) {
                    throw TimedOut.INSTANCE;
                } else {
                    try {
                        arrived.awaitNanos(deadline - System.nanoTime());
                    } catch (InterruptedException e) {
                        interrupted = true; // waits on, like the untimed wait; the flag is set again below
                    }
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** False: the results ended; or throws if they were cut short by {@code shutdown(true)}. */
    private boolean endOrTruncated() {
        if (truncatedBy != null) {
            throw truncatedBy;
        }
        return false;
    }

    /**
     * Cuts chunks from the source until the window is full or the source ends; nothing once aborted, and
     * nothing more once the pool cancelled its pending work ({@code shutdown(true)}).
     */
    private void topUp() {
        if (!exhausted && engine.pendingCancelled()) {
            exhausted = true;
            truncatedBy = new CancellationException("the pool was shut down with shutdown(true): its source was closed after "
                    + source.pulled() + " items were taken from it, and the rest were not run");
        }
        while (!exhausted && outstanding < window() && aborted == null) {
            int size = sizer.next();
            List<Object> items = new ArrayList<>(size);
            while (items.size() < size && source.hasNext()) {
                items.add(source.next());
            }
            if (items.size() < size) {
                exhausted = true;
            }
            if (items.isEmpty()) {
                return;
            }
            for (List<Object> part : engine.fitToRing(items, codec)) {
                outstanding++;
                unanswered.incrementAndGet();
                engine.enqueue(new Chunk(this, engine.nextChunkId(), created++, part, null));
            }
        }
    }

    @Override
    void complete(Chunk chunk, List<Object> values, long workerPid, long computeNanos) {
        sizer.learn(chunk.size(), computeNanos);
        deliver(chunk, new Answer(values, workerPid));
    }

    @Override
    void fail(Chunk chunk, RuntimeException failure) {
        deliver(chunk, new Answer(Collections.nCopies(chunk.size(), new LocalFailure(failure)), -1));
    }

    private void deliver(Chunk chunk, Answer answer) {
        lock.lock();
        try {
            if (ordered) {
                answered.put(chunk.sequence, answer);
            } else {
                arrivals.add(answer);
            }
            unanswered.decrementAndGet();
            arrived.signalAll(); // publishes the answer to the consumer waiting in awaitAnswer
        } finally {
            lock.unlock();
        }
    }

    @Override
    void abort(RuntimeException failure) {
        lock.lock();
        try {
            if (aborted == null) {
                aborted = failure;
            }
            arrived.signalAll(); // the consumer takes what arrived, then throws
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by the dispatcher while the pool closes. A map whose reader has handed out no item and been
     * outside {@code hasNext} for {@code graceNanos}, with nothing of it left to compute (every chunk cut
     * was answered), is cancelled if nobody can read it any more: its reader thread ended, or is the one
     * waiting in the pool's {@code close()} ({@code closing}). A reader thread that lives elsewhere may
     * still read it, however slowly: the map is left to it, or to the cleaner once the results are garbage.
     * A cancelled map's reader, if it comes back, gets what had arrived, then a {@link CancellationException}.
     */
    Abandonment checkAbandoned(long now, long graceNanos, Predicate<Thread> closing) {
        long progress = (long) HANDED_OUT.getOpaque(this);
        if (progress != seenHandedOut || unanswered.get() > 0) {
            seenHandedOut = progress;
            quietSince = now;
            return Abandonment.READING;
        }
        if (now - quietSince < graceNanos) {
            return Abandonment.READING;
        }
        lock.lock();
        try {
            if (busy) {
                quietSince = now; // pulling the source: at work
                return Abandonment.READING;
            }
            Thread last = reader;
            if (last.isAlive() && !closing.test(last)) {
                return Abandonment.HELD;
            }
            if (aborted == null) {
                aborted = new CancellationException("the pool was closed before this map was read to its end, and its"
                        + " reader (thread '" + last.getName() + "') " + (last.isAlive() ? "was waiting in close()" : "had ended")
                        + ", so the rest was dropped. Read the results before closing the pool, or close them when you stop early");
            }
            cancel(); // chunks still on their way are dropped
            arrived.signalAll();
            return Abandonment.CANCELLED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pulled() {
        return source.pulled();
    }

    /** Users hold a {@link MapResults}, whose {@code stream()} reads this job. */
    @Override
    public java.util.stream.Stream<R> stream() {
        throw new UnsupportedOperationException("read the MapResults of this job");
    }

    /** Stops pulling, closes the source and ends the job; by the reader, or the cleaner once the reader is gone. Idempotent. */
    @Override
    public void close() {
        if (!finished) {
            closed = true;
            cancel();
            finish();
        }
    }

    private void finish() {
        finished = true;
        try {
            source.close();
        } finally {
            engine.jobEnded(this);
        }
    }
}
