package dev.ringfork.ipc.pool;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The lazy results of {@link ProcessPool#imap} or {@link ProcessPool#imapUnordered}: an iterator that
 * pulls the source only as far as the pool can take it (a bounded window of chunks ahead of you), and a
 * stream view. {@code next()} throws {@link RemoteTaskException} where the function threw for that item,
 * and you may go on iterating after it. Close it (try-with-resources) when you stop early: closing stops
 * pulling the source, closes it, and drops results still in flight.
 *
 * <p>Results that are never closed do not hold the pool up: once unreachable they are closed by a
 * cleaner, and {@link ProcessPool#close()} cancels a map that has not been read for 2 s while nothing of
 * it was left to compute. Read after such a cancellation, or after {@link ProcessPool#shutdownNow()} or
 * a failure of the pool, these results hand out what had already arrived, then throw a
 * {@link java.util.concurrent.CancellationException} (or the pool's failure) saying why the rest is
 * missing: they never hang and never end early without saying so.
 *
 * <pre>{@code
 * try (PoolResults<Integer> lengths = pool.imap(String::length, lines)) {
 *     while (lengths.hasNext()) total += lengths.next();
 * }
 * }</pre>
 *
 * @param <R> result type
 */
public interface PoolResults<R> extends Iterator<R>, AutoCloseable {

    /**
     * The next result, waiting at most {@code timeout} for the workers (Python's {@code imap(...).next(timeout)}).
     * Only the wait for workers is bounded: pulling your source to feed them is not.
     *
     * @throws TimeoutException if no result came in time; nothing is lost, and you may call again
     * @throws java.util.NoSuchElementException if there are no more results
     * @throws RemoteTaskException if the function threw for this item
     */
    R next(long timeout, TimeUnit unit) throws TimeoutException;

    /** The results as a sequential stream; closing the stream closes these results. */
    Stream<R> stream();

    /** Items taken from the source so far. */
    long pulled();

    /** Stops pulling, closes the source, and drops what is still in flight. Idempotent. */
    @Override
    void close();
}
