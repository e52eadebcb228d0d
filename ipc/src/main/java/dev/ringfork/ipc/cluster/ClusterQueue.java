package dev.ringfork.ipc.cluster;

import com.hazelcast.collection.IQueue;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.ipc.channel.AbstractSharedQueue;
import dev.ringfork.ipc.channel.EndOfStreamException;
import dev.ringfork.ipc.channel.SharedQueue;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.internal.cluster.ClusterNames;
import dev.ringfork.ipc.internal.cluster.Outcomes;
import dev.ringfork.ipc.internal.cluster.QueueAccess;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A typed queue across hosts, the {@link SharedQueue} of a {@link Cluster}: elements are encoded by a {@link Codec}
 * and kept by the cluster's host agents in a Hazelcast IQueue ({@code ringfork.queue.NAME}, with one backup on
 * another member); every element goes to exactly one taker, on any host. Every JVM that opens the same name on the
 * same cluster gets the same queue:
 * <pre>{@code
 * ClusterQueue<String> jobs = ClusterQueue.open(cluster, "jobs", Codec.string());
 * jobs.putAll(batch);                          // one round trip for the batch, waiting for room
 * // on another host:
 * List<String> got = new ArrayList<>();
 * int n = jobs.drainTo(got, 1000, 10, TimeUnit.SECONDS);   // up to 1000 in one round trip; -1 at the end
 * }</pre>
 *
 * <p><b>Move batches:</b> each call is a network round trip (about 0.4 ms for a put and a take on loopback), so
 * one element at a time tops out at a few thousand per second. {@link #putAll}, {@link #addAll} and the
 * {@code drainTo} methods move a whole batch in one call; use them for volume.
 *
 * <p><b>Bounded:</b> a queue holds at most its capacity (default {@value #DEFAULT_CAPACITY} elements, fixed by
 * whoever creates it; later openers attach to it as it is). {@code put} and {@link #putAll} wait for room
 * (back-pressure), {@code offer} with a timeout waits that long, {@code add} and {@link #addAll} throw
 * {@link IllegalStateException} when it does not fit.
 *
 * <p><b>End of stream:</b> as in {@link SharedQueue}, {@link #close()} closes the queue for writing for every
 * handle on every host: puts throw {@link RingClosedException}, takers drain what was put before, then
 * {@link #take()} throws {@link EndOfStreamException} and {@code poll} returns null. Close after the producers are
 * done: a put that races with the close may land after the takers have stopped. A closed queue stays closed (use a
 * new name). Not {@link AutoCloseable}, for the same reason as SharedQueue: {@link #detach()} stops using a handle.
 *
 * <p><b>Waiting:</b> blocking calls wait inside the members (no polling), in slices of 200 ms between which the
 * end of stream is checked; they honour their timeouts and interrupts. An interrupted take returns at once; an
 * element the cluster hands it afterwards goes back into the queue (at its tail), never lost. An interrupted put may
 * still have added its element.
 *
 * <p><b>Failures:</b> a member that dies is replaced by its backup; what a put had been acknowledged for stays. A
 * call in flight to a member that dies throws {@link ClusterOutcomeUnknownException}: the element may or may not
 * have been added (put) or removed (take; then it is lost). {@link #close()}, which may be applied twice without
 * harm, is sent again instead. docs/cluster.md says what a split brain does.
 *
 * <p>Supports {@link BlockingQueue}'s methods except those that look at elements in place (as SharedQueue:
 * {@code peek}, {@code contains}, {@code iterator}, streams... throw {@link UnsupportedOperationException}).
 * {@link #size()} and {@link #remainingCapacity()} are snapshots. Null elements throw {@link NullPointerException}.
 * Thread-safe.
 *
 * @param <T> the element type
 */
public final class ClusterQueue<T> extends AbstractSharedQueue<T> implements BlockingQueue<T> {

    /** A new queue's capacity in elements unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Elements per {@code addAll} call of {@link #putAll}. */
    private static final int PUT_BATCH = 4096;

    private final String name;
    private final Codec<T> codec;
    private final QueueAccess access;
    private final IQueue<byte[]> queue;
    private volatile boolean detached;

    private ClusterQueue(String name, Codec<T> codec, QueueAccess access) {
        this.name = name;
        this.codec = codec;
        this.access = access;
        this.queue = access.queue();
    }

    /** Creates the queue {@code name} on the cluster with {@value #DEFAULT_CAPACITY} elements' room, or attaches to it. */
    public static <T> ClusterQueue<T> open(Cluster cluster, String name, Codec<T> codec) {
        return open(cluster, name, codec, DEFAULT_CAPACITY);
    }

    /**
     * Creates the queue {@code name} on the cluster, or attaches to it.
     *
     * @param name     1 to 128 letters, digits, '.', '_' or '-', not starting with '.' (as local queue names)
     * @param capacity the most elements it holds, if this call creates it ({@link Integer#MAX_VALUE}: unbounded)
     */
    public static <T> ClusterQueue<T> open(Cluster cluster, String name, Codec<T> codec, int capacity) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(codec, "codec");
        ClusterNames.check("queue", name);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 element, was " + capacity);
        }
        return new ClusterQueue<>(name, codec, new QueueAccess(cluster.hazelcast(), name, capacity));
    }

    // ------------------------------------------------------------------------------------- writing

    /**
     * Adds {@code e}, waiting for room.
     *
     * @throws RingClosedException if the queue was closed
     */
    @Override
    public void put(T e) throws InterruptedException {
        offer(e, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Adds {@code e} if there is room now.
     *
     * @throws RingClosedException if the queue was closed
     */
    @Override
    public boolean offer(T e) {
        byte[] bytes = encode(e);
        requireOpen(false);
        return call(() -> queue.offer(bytes), "offer");
    }

    /**
     * Adds {@code e}, waiting up to the timeout for room.
     *
     * @throws RingClosedException if the queue was closed
     */
    @Override
    public boolean offer(T e, long timeout, TimeUnit unit) throws InterruptedException {
        byte[] bytes = encode(e);
        long start = System.nanoTime();
        long total = unit.toNanos(timeout);
        requireOpen(false);
        for (boolean first = true; ; first = false) {
            if (!first) {
                requireOpen(true);
            }
            long left = total == Long.MAX_VALUE ? SLICE_NANOS : total - (System.nanoTime() - start);
            if (left <= 0 && !first) {
                return false;
            }
            long slice = Math.max(0, Math.min(SLICE_NANOS, left));
            if (offerSlice(bytes, slice)) {
                return true;
            }
        }
    }

    /**
     * Adds every element of {@code c} in order, in batches of up to 4096 per round trip, waiting for room as
     * {@link #put} does. Not atomic: if it throws, a prefix of {@code c} was added.
     *
     * @throws RingClosedException if the queue was closed
     */
    public void putAll(Collection<? extends T> c) throws InterruptedException {
        List<byte[]> encoded = encodeAll(c);
        requireOpen(false);
        int next = 0;
        while (next < encoded.size()) {
            int room = Math.min(PUT_BATCH, Math.min(encoded.size() - next, call(queue::remainingCapacity, "putAll")));
            if (room > 0 && addNow(encoded.subList(next, next + room))) {
                next += room;
            } else {
                put(encoded.get(next), true); // full: wait in the member for room for one
                next++;
            }
        }
    }

    /**
     * Adds every element of {@code c} in one round trip if all fit now, else none.
     *
     * @return true if {@code c} was not empty
     * @throws IllegalStateException if they do not all fit now (nothing was added; {@link #putAll} waits for room)
     * @throws RingClosedException   if the queue was closed
     */
    @Override
    public boolean addAll(Collection<? extends T> c) {
        List<byte[]> encoded = encodeAll(c);
        requireOpen(false);
        if (encoded.isEmpty()) {
            return false;
        }
        if (call(queue::remainingCapacity, "addAll") < encoded.size() || !addNow(encoded)) {
            throw new IllegalStateException("queue '" + name + "' has no room for " + encoded.size() + " more elements now"
                    + " (capacity " + capacityText() + "); none were added: putAll waits for room");
        }
        return true;
    }

    /** Adds all of {@code encoded} if they fit; false if not (another put took the room first). */
    private boolean addNow(List<byte[]> encoded) {
        try {
            return call(() -> queue.addAll(encoded), "addAll");
        } catch (IllegalStateException full) {
            return false; // Hazelcast's "Queue full"
        }
    }

    private void put(byte[] bytes, boolean check) throws InterruptedException {
        while (!offerSlice(bytes, SLICE_NANOS)) {
            requireOpen(check);
        }
    }

    private boolean offerSlice(byte[] bytes, long nanos) throws InterruptedException {
        try {
            return nanos == 0 ? queue.offer(bytes) : queue.offer(bytes, nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            if (Outcomes.interrupted(e)) {
                throw new InterruptedException("putting into queue '" + name + "' (the element may have been added)");
            }
            throw Outcomes.of(e, "queue '" + name + "': put");
        }
    }

    // ------------------------------------------------------------------------------------- taking

    /**
     * Takes the next element, waiting for one.
     *
     * @throws EndOfStreamException if the queue was closed and everything put has been taken
     * @throws CodecException       if the element taken could not be decoded (it is gone)
     */
    @Override
    public T take() throws InterruptedException {
        List<byte[]> taken = takeBatch(1, Long.MAX_VALUE, true);
        if (taken == null) {
            throw new EndOfStreamException("queue '" + name + "' was closed and everything put has been taken");
        }
        return decode(taken.getFirst());
    }

    /** The next element if there is one now, else null (also at the end of the stream). */
    @Override
    public T poll() {
        checkAttached();
        try {
            List<byte[]> taken = access.remove(1, 0, false);
            return taken.isEmpty() ? null : decode(taken.getFirst());
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The next element, waiting up to the timeout; null if none came or at the end of the stream. */
    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        List<byte[]> taken = takeBatch(1, unit.toNanos(timeout), true);
        return taken == null || taken.isEmpty() ? null : decode(taken.getFirst());
    }

    /**
     * Moves up to {@code maxElements} elements available now into {@code c}, in one round trip; returns how many.
     * If one cannot be decoded, the others are still added, then its {@link CodecException} is thrown.
     */
    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        checkTarget(c);
        if (maxElements <= 0) {
            return 0;
        }
        try {
            return decodeInto(access.remove(maxElements, 0, false), c);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Moves up to {@code maxElements} elements into {@code c}, waiting up to the timeout for the first; the rest of
     * the batch comes in the same round trip.
     *
     * @return elements moved; 0 if none came in time; -1 at the end of the stream
     * @throws CodecException           if an element could not be decoded (it is gone; the others were added)
     * @throws IllegalArgumentException if {@code maxElements} is below 1
     */
    public int drainTo(Collection<? super T> c, int maxElements, long timeout, TimeUnit unit) throws InterruptedException {
        checkTarget(c);
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements must be at least 1, was " + maxElements);
        }
        List<byte[]> taken = takeBatch(maxElements, unit.toNanos(timeout), true);
        return taken == null ? -1 : decodeInto(taken, c);
    }

    /** Removes every element there is now. */
    @Override
    public void clear() {
        call(() -> {
            queue.clear();
            return null;
        }, "clear");
    }

    private List<byte[]> takeBatch(int max, long nanos, boolean interruptible) throws InterruptedException {
        checkAttached();
        return access.take(max, nanos, SLICE_NANOS, interruptible);
    }

    // ------------------------------------------------------------------------------------- state

    /** Elements in the queue now, over all hosts: a snapshot. */
    @Override
    public int size() {
        return call(queue::size, "size");
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /** How many more elements fit now: a snapshot. */
    @Override
    public int remainingCapacity() {
        return call(queue::remainingCapacity, "remainingCapacity");
    }

    /**
     * Closes the queue for writing, on every host: puts throw {@link RingClosedException}; takers drain what was
     * put, then see the end of the stream (within about 200 ms). Idempotent.
     */
    public void close() {
        checkAttached();
        Outcomes.idempotent(() -> {
            access.close();
            return null;
        }, "queue '" + name + "': close");
    }

    /** Stops using this handle without closing the queue; later calls on it throw {@link IllegalStateException}. */
    public void detach() {
        if (!detached) {
            detached = true;
            access.detach();
        }
    }

    /** True once the queue was closed for writing (by any handle on any host). */
    public boolean isClosed() {
        return access.closed();
    }

    @Override
    public String name() {
        return name;
    }

    public Codec<T> codec() {
        return codec;
    }

    @Override
    protected String capacityText() {
        int room = remainingCapacity();
        return room == Integer.MAX_VALUE ? "unbounded" : (size() + room) + " elements";
    }

    @Override
    protected String storedIn() {
        return "the cluster";
    }

    @Override
    public String toString() {
        return "ClusterQueue[" + name + ", codec " + codec.name() + "]";
    }

    // ------------------------------------------------------------------------------------- helpers

    private void requireOpen(boolean ask) {
        checkAttached();
        if (ask ? access.closed() : access.closedSeen()) {
            throw new RingClosedException(name);
        }
    }

    private void checkAttached() {
        if (detached) {
            throw new IllegalStateException("this handle of queue '" + name + "' was detached");
        }
    }

    private void checkTarget(Collection<?> c) {
        checkAttached();
        if (Objects.requireNonNull(c, "c") == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
    }

    private byte[] encode(T e) {
        Objects.requireNonNull(e, "a queue takes no null element");
        return codec.toBytes(e);
    }

    private List<byte[]> encodeAll(Collection<? extends T> c) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot add a queue to itself");
        }
        List<byte[]> encoded = new ArrayList<>(c.size());
        for (T e : c) {
            encoded.add(encode(e));
        }
        return encoded;
    }

    private T decode(byte[] bytes) {
        return codec.decode(MemorySegment.ofArray(bytes));
    }

    private int decodeInto(List<byte[]> taken, Collection<? super T> c) {
        CodecException failure = null;
        for (byte[] bytes : taken) {
            try {
                c.add(decode(bytes));
            } catch (CodecException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return taken.size();
    }

    private <R> R call(java.util.function.Supplier<R> call, String operation) {
        checkAttached();
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw Outcomes.of(e, "queue '" + name + "': " + operation);
        }
    }
}
