package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.MpmcRing;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A typed queue between threads and processes, like {@code multiprocessing.Queue}: elements are encoded
 * by a {@link Codec} into a ring in a {@link SharedRegion}, and every element goes to exactly one taker.
 * Every process that opens the same region and name gets the same queue:
 * <pre>{@code
 * SharedQueue<String> jobs = SharedQueue.open(region, "jobs", Codec.string());
 * jobs.put("resize:42");                       // waits while the queue is full
 * // in another process:
 * String job = jobs.take();                    // waits while it is empty
 * }</pre>
 *
 * <p><b>Ring:</b> many producers and many consumers over an {@link MpmcRing}, or with
 * {@link QueueOptions#withSingleProducerSingleConsumer} an {@link SpscRing}, for one producing and one
 * consuming handle over all processes. The kind is recorded when the queue is created and later openers
 * attach to it whatever their options say.
 *
 * <p><b>{@link BlockingQueue} where it fits:</b> {@code put}, {@code offer} (with and without timeout),
 * {@code add}, {@code addAll}, {@code take}, {@code poll} (with and without timeout), {@code remove()},
 * {@code drainTo}, {@code clear}, {@code isEmpty}. {@link #size()} and {@link #remainingCapacity()} are
 * snapshots of counters that other processes change at the same time: treat them as estimates.
 * {@code peek}, {@code element}, {@code contains}, {@code remove(Object)}, {@code iterator},
 * {@code toArray}, streams and bulk removals throw {@link UnsupportedOperationException}: an element is
 * only ever seen by the one taker that takes it. Null elements throw {@link NullPointerException}.
 *
 * <p><b>End of stream:</b> {@link #close()} closes the queue for writing, in every process: puts throw
 * {@link RingClosedException}, takers drain what was put before, and then {@link #take()} throws
 * {@link EndOfStreamException} while {@code poll} returns null at once. A closed queue stays closed: use
 * a new name (or region) for the next run. Because closing is global, this class is deliberately not
 * {@link AutoCloseable}: a process that only stops taking calls {@link #detach()}.
 *
 * <p><b>Takers:</b> a thread that takes holds one of the ring's consumer slots
 * ({@link QueueOptions#consumerSlots()}) until it ends, until this handle is {@link #detach() detached},
 * or until it sees the end of the stream; a slot of a thread that ended is reused, one of a process that
 * died is reclaimed. A message that cannot be decoded is taken off the queue and reported as a
 * {@link CodecException}; the queue goes on.
 *
 * <p>Thread-safe. On an SPSC queue a handle's threads take turns at each end, and a call waits for its
 * turn only within its own timeout: {@code poll()}, {@code offer(e)} and {@code drainTo} do not wait at
 * all (null, false, 0 while another thread of the handle is at that end). Size the region for the ring:
 * {@code RegionOptions.withSize}.
 *
 * @param <T> the element type
 */
public final class SharedQueue<T> extends AbstractSharedQueue<T> implements BlockingQueue<T> {

    private final String name;
    private final Codec<T> codec;
    private final Ring ring;
    private final QueueHeader header;
    private final Attachment attachment;
    private final QueueWriter<T> writer;
    private final TakerRegistry<T> takers;
    private final QueueReader<T> reader;

    private SharedQueue(String name, Codec<T> codec, Ring ring, QueueHeader header) {
        this.name = name;
        this.codec = codec;
        this.ring = ring;
        this.header = header;
        this.attachment = new Attachment(name);
        this.writer = new QueueWriter<>(codec, ring, header, attachment);
        this.takers = new TakerRegistry<>(name, codec, ring, header, attachment);
        this.reader = new QueueReader<>(name, header, takers);
    }

    /** Creates the queue {@code name} in the region with default options, or attaches to it. */
    public static <T> SharedQueue<T> open(SharedRegion region, String name, Codec<T> codec) {
        return open(region, name, codec, QueueOptions.defaults());
    }

    /**
     * Creates the queue {@code name} in the region, or attaches to it. Uses two region slots:
     * {@code name} (the ring) and {@code name + ".queue"} (header and counters).
     *
     * @throws IllegalStateException if the slots hold something else, or the queue was created as a
     *                               {@link JoinableQueue} (open it with {@link JoinableQueue#open})
     */
    public static <T> SharedQueue<T> open(SharedRegion region, String name, Codec<T> codec, QueueOptions options) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
        if (TaskLedger.existsIn(region, name)) {
            throw new IllegalStateException("queue '" + name + "' was created as a JoinableQueue: open it with"
                    + " JoinableQueue.open, so that its puts are counted");
        }
        return attach(region, name, codec, options);
    }

    /** {@link #open(SharedRegion, String, Codec, QueueOptions)} without the check that the queue is not joinable. */
    static <T> SharedQueue<T> attach(SharedRegion region, String name, Codec<T> codec, QueueOptions options) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        QueueHeader header = QueueHeader.attach(region, name, options.singleProducerSingleConsumer());
        Ring ring = header.isSpsc() ? SpscRing.open(region, name, options.ringOptions())
                : MpmcRing.open(region, name, options.ringOptions());
        return new SharedQueue<>(name, codec, ring, header);
    }

    // ------------------------------------------------------------------------------------- writing

    /**
     * Adds {@code e}, waiting for room.
     *
     * @throws RingClosedException if the queue was closed
     */
    @Override
    public void put(T e) throws InterruptedException {
        writer.write(e, Deadline.NONE);
    }

    /**
     * Adds {@code e} if there is room now.
     *
     * @throws RingClosedException if the queue was closed
     */
    @Override
    public boolean offer(T e) {
        try {
            return writer.write(e, Deadline.after(0, TimeUnit.NANOSECONDS)); // no wait
        } catch (InterruptedException unexpected) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Adds {@code e}, waiting up to the timeout for room.
     *
     * @throws RingClosedException if the queue was closed
     */
    @Override
    public boolean offer(T e, long timeout, TimeUnit unit) throws InterruptedException {
        return writer.write(e, Deadline.after(timeout, unit));
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
        return reader.take();
    }

    /** The next element if there is one now, else null (also at the end of the stream). */
    @Override
    public T poll() {
        return reader.poll();
    }

    /** The next element, waiting up to the timeout; null if none came or at the end of the stream. */
    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        return reader.poll(timeout, unit);
    }

    /**
     * Moves up to {@code maxElements} elements available now into {@code c}; returns how many. If one
     * cannot be decoded, the others are still added, then its {@link CodecException} is thrown.
     */
    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        return reader.drainTo(c, maxElements);
    }

    /**
     * Takes up to {@code maxElements} elements, waiting up to the timeout for the first, and hands each
     * to {@code handler} while the queue still holds it: the queue forgets them only after
     * {@link ElementHandler#beforeRelease()} returned. If this process dies before that, they go to
     * another taker (at least once: it may see some that this one had handled). The way to move elements
     * somewhere durable without losing any to a crash.
     *
     * @return elements taken; 0 if none came in time; -1 at the end of the stream
     * @throws CodecException           if an element could not be decoded (it is gone; the others were handled)
     * @throws IllegalArgumentException if {@code maxElements} is below 1
     */
    public int drain(ElementHandler<? super T> handler, int maxElements, long timeout, TimeUnit unit)
            throws InterruptedException {
        Objects.requireNonNull(handler, "handler");
        return reader.drain(handler, maxElements, timeout, unit);
    }

    /** Takes and drops every element available now. */
    @Override
    public void clear() {
        drainTo(new ArrayList<>());
    }

    // ------------------------------------------------------------------------------------- state

    /** Elements put and not yet taken, over all processes: a snapshot, and only an estimate while others work. */
    @Override
    public int size() {
        return header.size();
    }

    /** True if {@link #size()} is 0: a snapshot. */
    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * About how many more elements fit now: the free ring bytes divided by the average record size in the
     * ring (16 bytes, an element of up to 8 bytes, when it is empty). An estimate, as sizes vary.
     */
    @Override
    public int remainingCapacity() {
        long backlog = ring.backlogBytes();
        long free = Math.max(0, ring.capacity() - backlog);
        int n = size();
        long perRecord = n > 0 ? Math.max(16, backlog / n) : 16;
        return (int) Math.min(Integer.MAX_VALUE, free / perRecord);
    }

    /**
     * Closes the queue for writing, in every process: puts throw {@link RingClosedException}; takers
     * drain what was put, then see the end of the stream. Also releases this handle's idle consumer
     * slots (a thread that takes again gets a new one). Idempotent.
     *
     * <p>Close after the producers are done: takers end the stream at the first uncommitted record once
     * the queue is closed, so a put still in progress (in any process) when {@code close()} runs may
     * return normally and yet never be taken.
     */
    public void close() {
        ring.close();
        takers.releaseAll();
    }

    /**
     * Stops using this handle without closing the queue: releases its consumer slots (a busy taker's
     * when its call returns). Later calls on this handle throw {@link IllegalStateException}.
     */
    public void detach() {
        attachment.detach();
        takers.releaseAll();
    }

    /** True once the queue was closed for writing (by any process). */
    public boolean isClosed() {
        return ring.isClosed();
    }

    @Override
    public String name() {
        return name;
    }

    public Codec<T> codec() {
        return codec;
    }

    /** True if this is the SPSC fast path. */
    public boolean isSingleProducerSingleConsumer() {
        return header.isSpsc();
    }

    @Override
    protected String capacityText() {
        return capacityBytes() + " bytes";
    }

    /** Ring bytes. */
    public int capacityBytes() {
        return ring.capacity();
    }

    /** The largest encoded element the ring takes, in bytes. */
    public int maxElementBytes() {
        return ring.maxMessageLength();
    }

    /** Elements lost because a taker process died holding them (see {@link Ring#lostMessages()}). */
    public long lostElements() {
        return ring.lostMessages();
    }

    /** The ring, for waits on several channels at once. */
    Ring ring() {
        return ring;
    }

    @Override
    public String toString() {
        return "SharedQueue[" + name + ", " + (header.isSpsc() ? "SPSC" : "MPMC") + ", codec " + codec.name() + ", ~" + size()
                + " elements" + (isClosed() ? ", closed" : "") + "]";
    }

}
