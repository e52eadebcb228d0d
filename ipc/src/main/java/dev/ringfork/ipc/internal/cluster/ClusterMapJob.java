package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.internal.pool.Source;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.WorkerDiedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One map of a cluster pool, driven by the thread that reads its results: {@code next()} tops up the chunks in flight
 * (pulling the source, on this thread only), then waits for an answer. Hazelcast's threads only put answers and wake-ups
 * into {@link #inbox}; all other state belongs to the reader.
 *
 * <p>Dispatch is pull-based with credits: a host has room for {@code workers x 2} chunks of the pool (shared by its
 * maps, counted by {@link ClusterEngine#chunksOn}); a chunk goes to the host with the most free room, and its answer
 * frees the room (in Hazelcast's callback, so a map whose reader pauses does not keep other maps' room). A host that
 * leaves loses its room and every chunk it held goes back to the front of the queue. At most {@code total room x 2} chunks are outstanding (sent, or answered and
 * not read yet), so memory stays bounded whatever the source and however slow the reader.
 */
final class ClusterMapJob<R> implements PoolResults<R> {  // the engine's side; users hold a MapResults

    private static final Object WAKE = new Object();

    private record Answer(long index, int attempt, UUID host, byte[] bytes, Throwable failure) {
    }

    private static final class Chunk {
        final long index;
        final int size;
        final PoolTask task;
        int attempt;
        UUID holder;

        Chunk(long index, int size, PoolTask task) {
            this.index = index;
            this.size = size;
            this.task = task;
        }
    }

    private final ClusterEngine engine;
    private final Source<?> source;
    private final ChunkCutter cutter;
    private final boolean ordered;
    private final ClassLoader loader;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** Chunks not answered yet (sent, or waiting to be sent again), by index. */
    private final Map<Long, Chunk> unanswered = new HashMap<>();
    /** Chunks to send: chunks to run again at the front, new ones at the back. */
    private final ArrayDeque<Chunk> toSend = new ArrayDeque<>();
    /** Per host: the chunk indices of this map it holds, to run again if it leaves. */
    private final Map<UUID, Set<Long>> held = new HashMap<>();
    /** Answered chunks not read yet: by index when ordered, in answer order when not. */
    private final SequencedMap<Long, List<Object>> answered;
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private long nextIndex;
    private long nextToRead;
    private boolean exhausted;
    private boolean closed;
    private RuntimeException terminal;
    /** Thrown once every result of what was sent has been read: the map was cut short by {@code shutdown(true)}. */
    private RuntimeException cutShort;
    private long noHostSince = -1;
    private int limit = 2;

    ClusterMapJob(ClusterEngine engine, byte[] function, Source<?> source, long knownSize, boolean ordered, int fixedChunk,
                  ClassLoader loader) {
        this.engine = engine;
        this.source = source;
        this.cutter = new ChunkCutter(engine, function, source, knownSize, fixedChunk);
        this.ordered = ordered;
        this.loader = loader != null ? loader : ClassLoader.getSystemClassLoader();
        this.answered = ordered ? new TreeMap<>() : new LinkedHashMap<>();
    }

    /** From any thread: the hosts changed, the reader looks again. */
    void wake() {
        inbox.add(WAKE);
    }

    /**
     * From any thread ({@code shutdown(true)}): take no more items from the source; after the results of what was
     * sent, the reader is told the rest was cancelled.
     */
    void stopPulling() {
        inbox.add((Runnable) () -> {
            if (!exhausted) {
                finishSource();
                cutShort = new CancellationException("the cluster pool was shut down cancelling pending work: " + source.pulled()
                        + " items were taken from the source and run, the rest were not");
            }
        });
    }

    /** From any thread ({@code shutdownNow}): the results end with {@code reason} after what was read. */
    void abort(RuntimeException reason) {
        inbox.add((Runnable) () -> {
            terminal = reason;
            finishSource();
            unanswered.clear();
            toSend.clear();
            held.clear();
            answered.clear();
            ready.clear();
        });
    }

    // ---- reading ----

    @Override
    public boolean hasNext() {
        try {
            return fill(Deadline.NONE);
        } catch (TimeoutException e) {
            throw new IllegalStateException("unreachable: no deadline", e);
        }
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        return take();
    }

    @Override
    public R next(long timeout, TimeUnit unit) throws TimeoutException {
        if (!fill(Deadline.after(timeout, unit))) {
            throw new NoSuchElementException("no more results");
        }
        return take();
    }

    @SuppressWarnings("unchecked")
    private R take() {
        Object value = ready.poll();
        if (value == null && terminal != null) {
            RuntimeException reason = terminal;
            terminal = null;
            end();
            throw reason;
        }
        if (value instanceof ChunkResults.Failed failed) {
            throw failed.exception();
        }
        return (R) value;
    }

    /** Waits until a result is ready (true) or the map has ended (false). */
    private boolean fill(long deadline) throws TimeoutException {
        while (true) {
            if (!ready.isEmpty()) {
                return true;
            }
            boolean news = false;
            for (Object message; (message = inbox.poll()) != null; ) {
                handle(message);
                news = true;
            }
            if (news && !closed && terminal == null) {
                topUp(); // answers freed room: refill it now, not only once the reader has run dry
            }
            // Ordered: results leave strictly by chunk index, whatever order the hosts answered in.
            List<Object> next = ordered ? answered.remove(nextToRead) : pollFirst();
            if (next != null) {
                nextToRead++;
                ready.addAll(next);
                continue;
            }
            if (closed) {
                return false;
            }
            if (terminal != null) {
                return true; // take() throws it
            }
            topUp();
            if (terminal != null || (ordered ? answered.containsKey(nextToRead) : !answered.isEmpty())) {
                continue; // what topUp failed (no host for too long) is read first, then the terminal failure
            }
            if (exhausted && unanswered.isEmpty() && answered.isEmpty()) {
                if (cutShort != null) {
                    terminal = cutShort; // said after the last result, as the local pool does
                    cutShort = null;
                    return true;
                }
                end();
                return false;
            }
            long now = System.nanoTime();
            if (Deadline.passed(deadline, now)) {
                throw new TimeoutException("no result within the timeout; the hosts still hold " + unanswered.size() + " chunks");
            }
            // With no host, look again every 100 ms for the host wait timeout (a host that joins wakes us at once).
            long wait = Deadline.left(deadline, now, noHostSince >= 0 ? 100_000_000L : Long.MAX_VALUE);
            Object message;
            try {
                message = wait == Long.MAX_VALUE ? inbox.take() : inbox.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the hosts");
            }
            if (message != null) {
                handle(message);
            }
        }
    }

    private List<Object> pollFirst() {
        Map.Entry<Long, List<Object>> first = answered.pollFirstEntry();
        return first == null ? null : first.getValue();
    }

    private void handle(Object message) {
        if (message instanceof Answer answer) {
            answered(answer);
        } else if (message instanceof Runnable action) {
            action.run();
        }
    }

    private void answered(Answer answer) {
        Set<Long> room = held.get(answer.host());
        if (room != null) {
            room.remove(answer.index()); // the host no longer holds it (its room was freed in the callback)
        }
        Chunk chunk = unanswered.get(answer.index());
        if (chunk == null) {
            return; // exactly once: this chunk was answered already (by a host that was thought gone); drop it
        }
        if (answer.failure() == null) {
            unanswered.remove(chunk.index);
            answered.put(chunk.index, ChunkResults.decode(answer.bytes(), chunk.size, loader, cutter));
        } else if (ClusterEngine.hostLost(answer.failure())) {
            engine.leaving(answer.host());
            if (answer.attempt() == chunk.attempt && answer.host().equals(chunk.holder)) {
                runAgain(chunk, "host agent left the cluster while holding it: " + answer.failure());
            } // else: a stale failure of an earlier attempt, already sent again
        } else {
            unanswered.remove(chunk.index);
            answered.put(chunk.index, ChunkResults.failAll(chunk.size, answer.failure() instanceof RuntimeException r ? r
                    : new IllegalStateException("the host could not run this chunk: " + answer.failure(), answer.failure())));
        }
    }

    /** The chunk's host is gone: it goes to the front of the queue (counting a retry), or fails past the retries. */
    private void runAgain(Chunk chunk, String why) {
        if (chunk.holder != null && held.containsKey(chunk.holder)) {
            held.get(chunk.holder).remove(chunk.index);
        }
        chunk.holder = null;
        chunk.attempt++;
        if (chunk.attempt > engine.settings.retries()) {
            unanswered.remove(chunk.index);
            answered.put(chunk.index, ChunkResults.failAll(chunk.size, new WorkerDiedException(why, chunk.attempt - 1)));
        } else {
            engine.ranAgain.incrementAndGet();
            toSend.addFirst(chunk); // to the front: the earliest chunks first, so ordered readers wait least
        }
    }

    // ---- sending ----

    /** Sends what the hosts have room for: chunks to run again first, then new chunks cut from the source. */
    private void topUp() {
        List<Member> hosts = engine.hosts();
        Map<UUID, Member> byId = new HashMap<>();
        int room = 0;
        for (Member host : hosts) {
            byId.put(host.getUuid(), host);
            held.computeIfAbsent(host.getUuid(), id -> new LinkedHashSet<>()); // a host that joined gets room at once
            room += ClusterEngine.workersOf(host) * 2;
        }
        for (UUID gone : new ArrayList<>(held.keySet())) {
            if (!byId.containsKey(gone)) {
                // A host that left: its chunks run again, the earliest first (they go to the front in reverse).
                List<Long> chunks = new ArrayList<>(held.remove(gone));
                for (int i = chunks.size() - 1; i >= 0; i--) {
                    Chunk chunk = unanswered.get(chunks.get(i));
                    if (chunk != null) {
                        runAgain(chunk, "host agent left the cluster while holding it");
                    }
                }
            }
        }
        if (hosts.isEmpty()) {
            waitedForHost();
            return;
        }
        noHostSince = -1;
        limit = Math.max(2, room * 2);
        while (true) {
            if (toSend.isEmpty()) {
                if (exhausted || unanswered.size() + answered.size() >= limit) {
                    return;
                }
                cut(hosts);
                if (toSend.isEmpty()) {
                    return;
                }
            }
            Member host = roomiest(hosts);
            if (host == null) {
                return;
            }
            send(toSend.poll(), host);
        }
    }

    private Member roomiest(List<Member> hosts) {
        Member best = null;
        int most = 0;
        for (Member host : hosts) {
            int free = ClusterEngine.workersOf(host) * 2 - engine.chunksOn(host.getUuid()).get();
            if (free > most) {
                most = free;
                best = host;
            }
        }
        return best;
    }

    private void waitedForHost() {
        if (exhausted && unanswered.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (noHostSince < 0) {
            noHostSince = now;
        } else if (now - noHostSince >= engine.settings.hostWaitTimeout().toNanos()) {
            WorkerDiedException failure = engine.noHost(0);
            for (Chunk chunk : new ArrayList<>(unanswered.values())) {
                unanswered.remove(chunk.index);
                answered.put(chunk.index, ChunkResults.failAll(chunk.size, failure));
            }
            toSend.clear();
            if (!exhausted) {
                finishSource();
                terminal = failure; // what was never pulled is not computed: say so after the failed items
            }
        }
    }

    /** Pulls the next chunk's items (on the reader's thread) into {@link #toSend}, split if its bytes are too many. */
    private void cut(List<Member> hosts) {
        List<ChunkCutter.Cut> cuts = cutter.next(hosts);
        if (cuts.isEmpty()) {
            finishSource();
            return;
        }
        for (ChunkCutter.Cut cut : cuts) {
            Chunk chunk = new Chunk(nextIndex++, cut.size(), cut.task()); // indices in source order
            unanswered.put(chunk.index, chunk);
            toSend.addLast(chunk);
        }
    }

    private void send(Chunk chunk, Member host) {
        chunk.holder = host.getUuid();
        held.get(host.getUuid()).add(chunk.index);
        int attempt = chunk.attempt;
        UUID hostId = host.getUuid();
        engine.chunksOn(hostId).incrementAndGet();
        // Hazelcast's threads only free the room (each send has exactly one callback) and queue the answer: the reader
        // handles it.
        ExecutionCallback<byte[]> callback = new ExecutionCallback<>() {
            @Override
            public void onResponse(byte[] bytes) {
                inbox.add(new Answer(chunk.index, attempt, hostId, bytes, null));
                engine.roomFreed(hostId, ClusterMapJob.this);
            }

            @Override
            public void onFailure(Throwable failure) {
                inbox.add(new Answer(chunk.index, attempt, hostId, null, failure));
                engine.roomFreed(hostId, ClusterMapJob.this);
            }
        };
        try {
            engine.executor.submitToMember(chunk.task, host, callback);
        } catch (RuntimeException e) {
            callback.onFailure(e);
        }
    }

    // ---- ending ----

    private void finishSource() {
        exhausted = true;
        source.close();
    }

    private void end() {
        if (!closed) {
            closed = true;
            finishSource();
            engine.mapEnded(this);
        }
    }

    @Override
    public Stream<R> stream() {
        throw new UnsupportedOperationException("users hold a MapResults, whose stream() reads this job");
    }

    @Override
    public long pulled() {
        return source.pulled();
    }

    /**
     * Stops pulling, closes the source, drops what is in flight (the hosts' answers are ignored). Called by the reader,
     * or by the cleaner once nobody can read any more. Idempotent.
     */
    @Override
    public void close() {
        ready.clear();
        answered.clear();
        unanswered.clear();
        toSend.clear();
        terminal = null;
        end();
    }
}
