package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableBiFunction;
import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.function.SerializableSupplier;
import dev.ringfork.ipc.function.SerializableTriFunction;
import dev.ringfork.ipc.internal.pool.Sources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * A pool of workers that runs serializable functions and tasks: the map family (Python's
 * {@code multiprocessing.Pool}) and typed tasks as {@link CompletableFuture}s (its
 * {@code concurrent.futures} executors). There are two engines: {@link ProcessPool}, worker JVMs on this
 * host, and {@code dev.ringfork.ipc.cluster.ClusterPool}, workers across hosts. Code written against
 * {@code Pool} runs on either.
 *
 * <p>Functions and tasks run in a worker, never in the caller's JVM, so they are serialized: what they
 * capture must be {@link java.io.Serializable} ({@link TaskNotSerializableException} names what is not).
 * A function that throws gives {@link RemoteTaskException} for that item; a worker that dies has its
 * work run again on another, and past the retries the items fail with {@link WorkerDiedException}.
 * Sources of {@code imap} and {@code imapUnordered} are pulled lazily by the thread that iterates the
 * results; {@code chunkSize} is the number of items per message, 0 for automatic.
 */
public interface Pool extends ExecutorService, AutoCloseable {

    /** Number of workers. */
    int workers();

    // ---- map family ----

    /** {@code fn} over every item, in order, as a list (the first failing item throws). */
    default <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return map(fn, items, 0);
    }

    /** {@link #map(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    default <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize) {
        List<R> out = items instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        try (PoolResults<R> results = imap(fn, items, chunkSize)) {
            results.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * {@link #map(SerializableFunction, Iterable)} as a future (Python's {@code map_async}): the items are
     * copied now, and the future completes with all results in order, or with the first item's failure.
     * Callbacks are the future's own: {@code thenAccept}, {@code whenComplete}. Cancelling the future stops
     * the map: nothing more is sent to the workers.
     */
    default <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return mapAsync(fn, items, 0);
    }

    /** {@link #mapAsync(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
                                               Iterable<? extends T> items, int chunkSize);

    /** Like Python's {@code starmap}: {@code fn(a, b)} for the pairs of {@code first} and {@code second}, up to the shorter. */
    @SuppressWarnings("unchecked")
    default <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                      Iterable<? extends A> first, Iterable<? extends B> second) {
        return starmap(args -> fn.apply((A) args.get(0), (B) args.get(1)), Sources.zip(first, second));
    }

    /** {@code fn(a, b, c)} for the triples of {@code first}, {@code second} and {@code third}, up to the shortest. */
    @SuppressWarnings("unchecked")
    default <A, B, C, R> List<R> starmap(SerializableTriFunction<? super A, ? super B, ? super C, ? extends R> fn,
                                         Iterable<? extends A> first, Iterable<? extends B> second, Iterable<? extends C> third) {
        return starmap(args -> fn.apply((A) args.get(0), (B) args.get(1), (C) args.get(2)), Sources.zip(first, second, third));
    }

    /**
     * Python's {@code starmap(fn, [(a, b, ...), ...])}: {@code fn} over lists of arguments, e.g.
     * {@code pool.starmap(args -> Math.pow((double) args.get(0), (double) args.get(1)), List.of(List.of(2.0, 5.0)))}.
     * Typed arguments read better as a record and {@link #map}: {@code pool.map(p -> Math.pow(p.base(), p.exp()), powers)}.
     */
    default <R> List<R> starmap(SerializableFunction<? super List<?>, ? extends R> fn, Iterable<? extends List<?>> argumentLists) {
        return map(fn, argumentLists);
    }

    /** Lazy, ordered results of {@code fn} over {@code items}. */
    default <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, 0);
    }

    /** {@link #imap(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize);

    /** Lazy, ordered results over an iterator or a {@link Generator}. */
    default <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source) {
        return imap(fn, source, 0);
    }

    /** {@link #imap(SerializableFunction, Iterator)} with {@code chunkSize} items per message (0: automatic). */
    <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source, int chunkSize);

    /** Lazy, ordered results over a stream (closed with the results). */
    <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Stream<? extends T> source);

    /** Lazy, ordered results over a spliterator. */
    <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Spliterator<? extends T> source);

    /** Lazy results in the order they are computed. */
    default <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imapUnordered(fn, items, 0);
    }

    /** {@link #imapUnordered(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize);

    /** Lazy results in the order they are computed, over an iterator or a {@link Generator}. */
    default <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source) {
        return imapUnordered(fn, source, 0);
    }

    /** {@link #imapUnordered(SerializableFunction, Iterator)} with {@code chunkSize} items per message (0: automatic). */
    <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source, int chunkSize);

    /** Lazy results in the order they are computed, over a stream (closed with the results). */
    <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Stream<? extends T> source);

    // ---- tasks ----

    /** Runs {@code task} in a worker; the future completes with its result or its {@link RemoteTaskException}. */
    <T> CompletableFuture<T> submit(SerializableCallable<T> task);

    /** {@inheritDoc} The callable must be {@link java.io.Serializable} (see {@link SerializableCallable}). */
    @Override
    <T> CompletableFuture<T> submit(Callable<T> task);

    /**
     * Runs {@code task}, which returns nothing, in a worker: {@code pool.submit(() -> Index.rebuild(dir))}. The
     * future completes with null, or with the task's {@link RemoteTaskException}. A task that returns nothing
     * cannot throw a checked exception (it is a Runnable): one that must, returns a value,
     * {@code pool.submit(() -> { Files.delete(Path.of(name)); return null; })}.
     */
    default CompletableFuture<Void> submit(SerializableRunnable task) {
        return submit(task, null);
    }

    /** Runs {@code task} in a worker; the future completes with {@code result} (which must be serializable) once it ran. */
    <T> CompletableFuture<T> submit(SerializableRunnable task, T result);

    /** {@inheritDoc} The runnable must be {@link java.io.Serializable} (see {@link SerializableRunnable}). */
    @Override
    CompletableFuture<?> submit(Runnable task);

    /** {@inheritDoc} The runnable and the result must be {@link java.io.Serializable}. */
    @Override
    <T> CompletableFuture<T> submit(Runnable task, T result);

    /** Runs {@code command} in a worker, not waiting for it; nobody holds its future, so a failure is logged. */
    void execute(SerializableRunnable command);

    /** Python's {@code apply_async} as Java's {@code CompletableFuture.supplyAsync}: {@code supplier} runs in a worker. */
    <T> CompletableFuture<T> supplyAsync(SerializableSupplier<T> supplier);

    /** Java's {@code CompletableFuture.runAsync}, with {@code task} run in a worker. */
    default CompletableFuture<Void> runAsync(SerializableRunnable task) {
        return submit(task, null);
    }

    // ---- lifecycle ----

    /**
     * Python's {@code shutdown(cancel_futures=True)} when {@code cancelPending}: no new work is taken, work not yet
     * sent to a worker is cancelled (its futures, and the map items it held, fail with a
     * {@link java.util.concurrent.CancellationException}; maps take no more items from their sources and say so after
     * their last result), and what workers hold runs to its end. Without {@code cancelPending},
     * {@link #shutdown()}. Does not wait: {@link #awaitTermination} or {@link #close()} do.
     */
    void shutdown(boolean cancelPending);
}
