package dev.ringfork.ipc.internal.pool;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The items of a pool call ({@code map}, {@code imap}, ...), pulled one at a time: an iterator over
 * whatever the caller passed (see {@link Sources#of}) that reads nothing ahead, counts the items it
 * handed out, and closes the underlying stream or generator. Not thread-safe: one feeder pulls.
 *
 * @param <T> the type of the items
 */
public final class Source<T> implements Iterator<T>, AutoCloseable {

    private final Iterator<? extends T> items;
    private final AutoCloseable resource;
    private final String kind;
    private long pulled;
    private boolean closed;

    /**
     * A source over {@code items}, described as {@code kind} in messages; {@link #close()} closes
     * {@code resource} (null: nothing to close).
     */
    Source(Iterator<? extends T> items, AutoCloseable resource, String kind) {
        this.items = Objects.requireNonNull(items, "items");
        this.resource = resource;
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Whether there is another item (asks the underlying iterator); false once closed. */
    @Override
    public boolean hasNext() {
        return !closed && items.hasNext();
    }

    /**
     * The next item, pulled from the underlying iterator now.
     *
     * @throws NoSuchElementException if there is none, or the source is closed
     */
    @Override
    public T next() {
        if (closed) {
            throw new NoSuchElementException("the source (" + kind + ") is closed");
        }
        T item = items.next();
        pulled++;
        return item;
    }

    /** How many items {@link #next()} has handed out. */
    public long pulled() {
        return pulled;
    }

    /** What the source was made from, e.g. {@code "Stream"}, for messages. */
    public String kind() {
        return kind;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the underlying stream, generator or closeable iterator; later {@link #hasNext()} is false.
     * Idempotent.
     *
     * @throws IllegalStateException if closing the underlying object threw a checked exception (a runtime
     *         exception is rethrown as it is)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the source (" + kind + ") failed: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "Source[" + kind + ", pulled " + pulled + (closed ? ", closed]" : "]");
    }
}
