package dev.ringfork.ipc.channel;

import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The {@link BlockingQueue} methods that {@link SharedQueue} (and {@code ClusterQueue}, across hosts) cannot
 * support, each throwing {@link UnsupportedOperationException}: they would look at elements in place, and such a
 * queue's elements are stored encoded (in shared memory, or in the cluster), each seen only by the taker that takes
 * it. Also {@code add}, {@code remove()}, {@code drainTo(c)} and {@code addAll} in terms of the others.
 *
 * @param <T> the element type
 */
public abstract class AbstractSharedQueue<T> implements BlockingQueue<T> {

    /** For the queues of Ringfork. */
    protected AbstractSharedQueue() {
    }

    /** The queue's name, for messages. */
    public abstract String name();

    /** What "full" means, for the message of {@link #add}: "262144 bytes". */
    protected abstract String capacityText();

    /** Where the elements are stored, for the message of an unsupported method: "shared memory". */
    protected String storedIn() {
        return "shared memory";
    }

    /**
     * Adds {@code e} if there is room now.
     *
     * @throws IllegalStateException if there is none
     * @throws dev.ringfork.core.ring.RingClosedException if the queue was closed
     */
    @Override
    public boolean add(T e) {
        if (!offer(e)) {
            throw new IllegalStateException("queue '" + name() + "' is full (" + capacityText() + ")");
        }
        return true;
    }

    /**
     * Takes the next element if there is one now.
     *
     * @throws NoSuchElementException if there is none
     */
    @Override
    public T remove() {
        T e = poll();
        if (e == null) {
            throw new NoSuchElementException("queue '" + name() + "' is empty");
        }
        return e;
    }

    /** Moves every element available now into {@code c} ({@link #drainTo(Collection, int)} without a limit). */
    @Override
    public int drainTo(Collection<? super T> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /** {@link #add} for each element in turn; stops at the first that does not fit. */
    @Override
    public boolean addAll(Collection<? extends T> c) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot add a queue to itself");
        }
        boolean changed = false;
        for (T e : c) {
            changed |= add(e);
        }
        return changed;
    }

    private UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " '" + name() + "' does not support "
                + operation + ": its elements live encoded in " + storedIn() + " and each is seen only by the taker that takes it"
                + " (use poll, take or drainTo)");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public T element() {
        throw unsupported("element()");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public T peek() {
        throw unsupported("peek()");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean remove(Object o) {
        throw unsupported("remove(Object)");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean contains(Object o) {
        throw unsupported("contains(Object)");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean containsAll(Collection<?> c) {
        throw unsupported("containsAll");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean removeAll(Collection<?> c) {
        throw unsupported("removeAll");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean retainAll(Collection<?> c) {
        throw unsupported("retainAll");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean removeIf(Predicate<? super T> filter) {
        throw unsupported("removeIf");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Iterator<T> iterator() {
        throw unsupported("iterator()");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void forEach(Consumer<? super T> action) {
        throw unsupported("forEach");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Spliterator<T> spliterator() {
        throw unsupported("spliterator() and streams");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Stream<T> stream() {
        throw unsupported("stream()");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Stream<T> parallelStream() {
        throw unsupported("parallelStream()");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Object[] toArray() {
        throw unsupported("toArray()");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public <A> A[] toArray(A[] a) {
        throw unsupported("toArray(T[])");
    }

    /**
     * Unsupported.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public <A> A[] toArray(IntFunction<A[]> generator) {
        throw unsupported("toArray(IntFunction)");
    }
}
