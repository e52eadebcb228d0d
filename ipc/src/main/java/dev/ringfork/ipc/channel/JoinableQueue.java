package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedQueue} whose consumers say when they have finished each item, like Python's
 * {@code multiprocessing.JoinableQueue}: every put counts an unfinished task, {@link #taskDone()} marks
 * one finished, and {@link #join(long, TimeUnit)} waits until every item ever put has been marked done.
 * The count lives in shared memory: any process may put, take, mark done and join.
 * <pre>{@code
 * JoinableQueue<String> jobs = JoinableQueue.open(region, "jobs", Codec.string());
 * jobs.put("resize:42");                         // producer
 * String job = jobs.take(); work(job); jobs.taskDone();   // consumer, in any process
 * jobs.join(30, TimeUnit.SECONDS);               // true once every job put was done
 * }</pre>
 *
 * <p><b>Dead consumers.</b> Each handle counts the items it took and has not marked done. If its process
 * dies first (kill -9, a crash, or an exit without {@code taskDone}), a running {@code join} notices within
 * about {@value #HOLDER_CHECK_MILLIS} ms, writes those items off (they no longer count as unfinished, and
 * {@link #lostTasks()} counts them) and throws {@link ConsumerDiedException} naming the process and how
 * many items it held; a later {@code join} waits for the rest. Call {@code taskDone()} on the handle that
 * took the item: a process's items are attributed to its own handles. A process killed within the few
 * instructions between the ring giving up an item and the count of its holder (or while putting) leaves
 * that item unfinished and unattributed: {@code join} then returns false at its timeout, never early.
 * Up to {@value JoinLayout#HOLDER_SLOTS} handles over all processes are told apart; items taken by
 * further handles are counted but not attributed.
 *
 * <p><b>{@link BlockingQueue}:</b> as {@link SharedQueue}. An element that cannot be decoded (a
 * {@link CodecException} from a take) can never be processed: it is counted done as it is thrown
 * (for {@code drainTo}, the one whose error is thrown). {@link #clear()} counts what it drops as done.
 * Open a joinable queue only through this class: {@link SharedQueue#open} refuses it, since its puts
 * would not be counted. Region slots: those of {@link SharedQueue} and {@code name + ".join"}.
 *
 * @param <T> the element type
 */
public final class JoinableQueue<T> extends AbstractSharedQueue<T> implements BlockingQueue<T> {

    static final long HOLDER_CHECK_MILLIS = 200;

    private final SharedQueue<T> queue;
    private final TaskLedger ledger;

    private JoinableQueue(SharedQueue<T> queue, TaskLedger ledger) {
        this.queue = queue;
        this.ledger = ledger;
    }

    /** Creates the joinable queue {@code name} in the region with default options, or attaches to it. */
    public static <T> JoinableQueue<T> open(SharedRegion region, String name, Codec<T> codec) {
        return open(region, name, codec, QueueOptions.defaults());
    }

    /**
     * Creates the joinable queue {@code name} in the region, or attaches to it.
     *
     * @throws IllegalStateException if the slots hold something else, or a plain {@link SharedQueue} of
     *                               that name exists
     */
    public static <T> JoinableQueue<T> open(SharedRegion region, String name, Codec<T> codec, QueueOptions options) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
        if (!TaskLedger.existsIn(region, name) && region.existingBytes(name + QueueHeader.SUFFIX).isPresent()) {
            throw new IllegalStateException("queue '" + name + "' exists as a plain SharedQueue, whose puts were not"
                    + " counted: pick another name for a JoinableQueue");
        }
        TaskLedger ledger = TaskLedger.attach(region, name); // first: a plain open of this name is refused from now
        return new JoinableQueue<>(SharedQueue.attach(region, name, codec, options), ledger);
    }

    // ------------------------------------------------------------------------------------- tasks

    /**
     * Marks one item taken from this queue as finished (Python's {@code task_done}).
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        ledger.taskDone();
    }

    /**
     * Waits until every item put has been marked done (Python's {@code join}), as long as it takes.
     *
     * @throws ConsumerDiedException if a process holding items died meanwhile (see the class comment)
     */
    public void join() throws InterruptedException {
        ledger.join(Deadline.NONE);
    }

    /**
     * Waits up to the timeout until every item put has been marked done; sleeps meanwhile (no CPU).
     *
     * @return true if every item was done, false if the timeout passed first
     * @throws ConsumerDiedException if a process holding items died meanwhile (see the class comment)
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        return ledger.join(Deadline.after(timeout, unit));
    }

    /** Items put and not yet marked done (or written off), over all processes: a snapshot. */
    public long unfinishedTasks() {
        return ledger.unfinished();
    }

    /** Items written off because the process holding them died, since the queue was created. */
    public long lostTasks() {
        return ledger.lost();
    }

    // ------------------------------------------------------------------------------------- writing

    /** See {@link SharedQueue#put}; counts one unfinished task. */
    @Override
    public void put(T e) throws InterruptedException {
        ledger.beforePut();
        boolean put = false;
        try {
            queue.put(e);
            put = true;
        } finally {
            if (!put) {
                ledger.putFailed();
            }
        }
    }

    /** See {@link SharedQueue#offer(Object)}; counts one unfinished task if it was added. */
    @Override
    public boolean offer(T e) {
        ledger.beforePut();
        boolean put = false;
        try {
            put = queue.offer(e);
            return put;
        } finally {
            if (!put) {
                ledger.putFailed();
            }
        }
    }

    /** See {@link SharedQueue#offer(Object, long, TimeUnit)}; counts one unfinished task if it was added. */
    @Override
    public boolean offer(T e, long timeout, TimeUnit unit) throws InterruptedException {
        ledger.beforePut();
        boolean put = false;
        try {
            put = queue.offer(e, timeout, unit);
            return put;
        } finally {
            if (!put) {
                ledger.putFailed();
            }
        }
    }



    // ------------------------------------------------------------------------------------- taking

    /** See {@link SharedQueue#take()}; the item is this handle's until {@link #taskDone()}. */
    @Override
    public T take() throws InterruptedException {
        return held(() -> queue.take());
    }

    /** See {@link SharedQueue#poll()}. */
    @Override
    public T poll() {
        try {
            return held(queue::poll);
        } catch (InterruptedException unexpected) { // poll() does not wait
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** See {@link SharedQueue#poll(long, TimeUnit)}. */
    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        return held(() -> queue.poll(timeout, unit));
    }

    /** Moves up to {@code maxElements} elements available now into {@code c}; see {@link SharedQueue#drainTo(Collection, int)}. */
    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        List<T> batch = new ArrayList<>();
        try {
            queue.drainTo(batch, maxElements);
        } catch (CodecException e) {
            ledger.finish(1); // that element is gone and cannot be processed
            throw e;
        } finally {
            ledger.taken(batch.size());
            c.addAll(batch);
        }
        return batch.size();
    }

    /** Takes and drops every element available now, counting each as done. */
    @Override
    public void clear() {
        List<T> dropped = new ArrayList<>();
        try {
            queue.drainTo(dropped);
        } catch (CodecException e) {
            ledger.finish(1);
        } finally {
            ledger.finish(dropped.size());
        }
    }

    // ------------------------------------------------------------------------------------- state

    /** See {@link SharedQueue#size()}: elements put and not yet taken (an estimate); not the unfinished count. */
    @Override
    public int size() {
        return queue.size();
    }

    /** True if {@link #size()} is 0: a snapshot. */
    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** See {@link SharedQueue#remainingCapacity()}. */
    @Override
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    /** See {@link SharedQueue#close()}: closes the queue for writing in every process; the task count stays. */
    public void close() {
        queue.close();
    }

    /** See {@link SharedQueue#detach()}; also gives this handle's holder slot back if it holds no item. */
    public void detach() {
        queue.detach();
        ledger.releaseHolderSlot();
    }

    @Override
    protected String capacityText() {
        return capacityBytes() + " bytes";
    }

    /** The capacity of the queue's ring in bytes. */
    public int capacityBytes() {
        return queue.capacityBytes();
    }

    /** True once the queue was closed for writing (by any process). */
    public boolean isClosed() {
        return queue.isClosed();
    }

    /** The queue's name in its region. */
    @Override
    public String name() {
        return queue.name();
    }

    /** The codec of its elements. */
    public Codec<T> codec() {
        return queue.codec();
    }

    /** See {@link SharedQueue#lostElements()}. */
    public long lostElements() {
        return queue.lostElements();
    }

    /** The queue underneath, for waits on several channels at once. */
    SharedQueue<T> queue() {
        return queue;
    }

    @Override
    public String toString() {
        return "JoinableQueue[" + name() + ", ~" + size() + " elements, " + unfinishedTasks() + " unfinished"
                + (isClosed() ? ", closed" : "") + "]";
    }

    /** A take, holding what it returned; an undecodable element counts as done. */
    private T held(TakeCall<T> call) throws InterruptedException {
        T e;
        try {
            e = call.take();
        } catch (CodecException undecodable) {
            ledger.finish(1);
            throw undecodable;
        }
        if (e != null) {
            ledger.taken(1);
        }
        return e;
    }

    /** One take from the queue underneath. */
    @FunctionalInterface
    private interface TakeCall<T> {
        T take() throws InterruptedException;
    }
}
