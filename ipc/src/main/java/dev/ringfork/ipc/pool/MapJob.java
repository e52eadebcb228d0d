package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.PoolResults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A map over a lazy source, consumed as an iterator. The consuming thread pulls items and cuts chunks
 * itself (so a slow source never stalls the dispatcher), keeping a bounded window of chunks between
 * the source and the caller: twice what the workers may hold, which is about {@value #IN_FLIGHT_NANOS} ns
 * of work each, at most {@value #MAX_PER_WORKER} chunks and {@value #MAX_ITEMS_PER_WORKER} items each
 * (at least 4 chunks). That bounds memory for an infinite source and what is pulled but never needed. Results are handed back in source order, or as they come for an unordered map.
 */
final class MapJob<R> extends Job implements PoolResults<R> {

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
    private RuntimeException aborted;

    // The consuming thread's own state.
    private int outstanding;
    private long created;
    private long delivered;
    private boolean exhausted;
    private boolean finished;
    private Answer current;
    private int index;

    /** One answered chunk: its values and the worker that computed them. */
    private record Answer(List<Object> values, long workerPid) {
    }

    /** Work each worker should have in flight: covers a round trip through sleeping threads. */
    static final long IN_FLIGHT_NANOS = 8_000_000;
    static final int MAX_PER_WORKER = 256;
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

    @Override
    int perWorkerLimit() {
        int items = sizer.next();
        int byItems = Math.max(PoolConfig.WINDOW_PER_WORKER, MAX_ITEMS_PER_WORKER / Math.max(1, items));
        return Math.min(byItems, sizer.chunksFor(IN_FLIGHT_NANOS, items, PoolConfig.WINDOW_PER_WORKER, MAX_PER_WORKER));
    }

    /** Chunks cut ahead of the caller: twice what the workers may hold, so the next ones are ready to send. */
    private int window() {
        return 2 * workers * perWorkerLimit();
    }

    @Override
    public boolean hasNext() {
        for (;;) {
            if (isCancelled()) {
                return false;
            }
            if (current != null && index < current.values().size()) {
                return true;
            }
            current = null;
            if (finished) {
                return false;
            }
            topUp();
            Answer next = awaitAnswer();
            if (next == null) {
                if (exhausted && outstanding == 0) {
                    finish();
                    return false;
                }
                continue; // room to cut more chunks
            }
            current = next;
            index = 0;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        Object value = current.values().get(index++);
        if (value instanceof RemoteFailure failure) {
            throw failure.toException(current.workerPid());
        }
        if (value instanceof LocalFailure failure) {
            throw failure.exception();
        }
        return (R) value;
    }

    /** Waits for the next answer, or returns null when more chunks may be cut (or none will come). */
    private Answer awaitAnswer() {
        lock.lock();
        try {
            for (;;) {
                if (aborted != null) {
                    throw aborted;
                }
                Answer answer = ordered ? answered.remove(delivered) : arrivals.poll();
                if (answer != null) {
                    delivered++;
                    outstanding--;
                    return answer;
                }
                if ((!exhausted && outstanding < window()) || (exhausted && outstanding == 0)) {
                    return null;
                }
                arrived.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cuts chunks from the source until the window is full or the source ends. */
    private void topUp() {
        while (!exhausted && outstanding < window()) {
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
            arrived.signalAll();
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
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long pulled() {
        return source.pulled();
    }

    @Override
    public Stream<R> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    @Override
    public void close() {
        if (!finished) {
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
