package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.function.SerializableSupplier;
import dev.ringfork.ipc.internal.cluster.ClusterEngine;
import dev.ringfork.ipc.internal.pool.Invocations;
import dev.ringfork.ipc.internal.pool.Source;
import dev.ringfork.ipc.internal.pool.Sources;
import dev.ringfork.ipc.internal.pool.TaskSerializer;
import dev.ringfork.ipc.internal.pool.WorkerTask;
import dev.ringfork.ipc.pool.Pool;
import dev.ringfork.ipc.pool.PoolResults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The {@link Pool} of a {@link Cluster}: work runs on the host agents ({@code ringfork worker}), each in a local pool
 * of its own worker JVMs started for this pool. Code written against {@code Pool} runs here unchanged:
 * <pre>{@code
 * try (Cluster cluster = Cluster.connect("jobs", "10.0.0.5:5701");
 *      ClusterPool pool = ClusterPool.open(cluster)) {
 *     try (PoolResults<Long> counts = pool.imap(Primes::count, blocks)) {   // lazy, in order, across hosts
 *         counts.forEachRemaining(total::add);
 *     }
 * }
 * }</pre>
 * Items travel in chunks; a host asks for work by having room (twice its workers in chunks), so a fast host gets
 * more chunks and a slow one fewer. {@code imap} returns results in source order, {@code imapUnordered} as they come;
 * sources are pulled lazily by the thread that reads the results, a bounded number of chunks ahead. A host that dies
 * (or leaves) has its chunks run again on another, and each result arrives exactly once; past the
 * {@linkplain ClusterPoolBuilder#retries retries} the items fail with {@link dev.ringfork.ipc.pool.WorkerDiedException}.
 * With no host agent in the cluster, work waits up to the {@linkplain ClusterPoolBuilder#hostWaitTimeout host wait
 * timeout}. The hosts' worker JVMs must have the classes of the functions and items ({@code ringfork worker
 * --class-path}); the host agents themselves never need them.
 *
 * <p>Closing the pool waits for its work and stops its worker JVMs on every host; a JVM that dies without closing it
 * leaves none behind either (the agents close the pools of a client that disconnects).
 */
public final class ClusterPool extends AbstractExecutorService implements Pool {

    private final ClusterEngine engine;

    ClusterPool(ClusterEngine engine) {
        this.engine = engine;
    }

    /** A pool with the defaults on {@code cluster}. */
    public static ClusterPool open(Cluster cluster) {
        return builder(cluster).build();
    }

    /** Options for a new pool on {@code cluster}: initializer, JVM options, retries and more. */
    public static ClusterPoolBuilder builder(Cluster cluster) {
        return new ClusterPoolBuilder(cluster);
    }

    /** The workers of the host agents in the cluster now (their sum; it changes as hosts come and go). */
    @Override
    public int workers() {
        return engine.workers();
    }

    /** For tests: chunks and tasks sent again because their host left. */
    long ranAgain() {
        return engine.ranAgain();
    }

    // ---- map family ----

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
                                                      Iterable<? extends T> items, int chunkSize) {
        List<T> copy = new ArrayList<>();
        items.forEach(copy::add);
        PoolResults<R> results = start(fn, Sources.of(copy), copy.size(), true, chunkSize);
        CompletableFuture<List<R>> future = new CompletableFuture<>();
        Thread.ofVirtual().name("ringfork-cluster-mapAsync").start(() -> {
            List<R> out = new ArrayList<>(copy.size());
            try (results) {
                while (!future.isDone() && results.hasNext()) {
                    out.add(results.next());
                }
                future.complete(out); // a no-op once cancelled: the results are closed, nothing more is sent
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e); // the first item that failed, as map
            }
        });
        return future;
    }

    @Override
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize) {
        return start(fn, Sources.of(items), knownSize(items), true, chunkSize);
    }

    @Override
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source, int chunkSize) {
        return start(fn, Sources.of(source), -1, true, chunkSize);
    }

    @Override
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Stream<? extends T> source) {
        return start(fn, Sources.of(source), -1, true, 0);
    }

    @Override
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Spliterator<? extends T> source) {
        return start(fn, Sources.of(source), source.getExactSizeIfKnown(), true, 0);
    }

    @Override
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize) {
        return start(fn, Sources.of(items), knownSize(items), false, chunkSize);
    }

    @Override
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source, int chunkSize) {
        return start(fn, Sources.of(source), -1, false, chunkSize);
    }

    @Override
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Stream<? extends T> source) {
        return start(fn, Sources.of(source), -1, false, 0);
    }

    private <R> PoolResults<R> start(SerializableFunction<?, ?> fn, Source<?> source, long knownSize, boolean ordered, int chunkSize) {
        if (chunkSize < 0) {
            source.close();
            throw new IllegalArgumentException("chunkSize must be 0 (automatic) or positive, was " + chunkSize);
        }
        try {
            // Serialized here, before anything is sent: a function that does not serialize fails now.
            byte[] function = TaskSerializer.serialize(fn, "the function passed to " + (ordered ? "map/imap" : "imapUnordered"));
            return engine.map(function, source, knownSize, ordered, chunkSize);
        } catch (RuntimeException e) { // not serializable, or the pool is shut down
            source.close();
            throw e;
        }
    }

    private static long knownSize(Iterable<?> items) {
        return items instanceof Collection<?> c ? c.size() : -1;
    }

    // ---- tasks ----

    @Override
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return call(TaskSerializer.serialize(task, "the task passed to submit"));
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return call(TaskSerializer.serialize(task, "the task passed to submit"));
    }

    @Override
    public <T> CompletableFuture<T> submit(SerializableRunnable task, T result) {
        return call(Invocations.serializeRunnable(task, result, "the task passed to submit"));
    }

    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return call(Invocations.serializeRunnable(task, result, "the task passed to submit"));
    }

    /** {@inheritDoc} The failure is a WARNING of the {@code System.Logger} {@code dev.ringfork.ipc.internal.pool.WorkerTask}. */
    @Override
    public void execute(SerializableRunnable command) {
        WorkerTask.execute(engine, engine::call, command);
    }

    /** {@inheritDoc} The runnable must be {@link java.io.Serializable}; CompletableFuture's async methods are refused. */
    @Override
    public void execute(Runnable command) {
        WorkerTask.execute(engine, engine::call, command);
    }

    @Override
    public <T> CompletableFuture<T> supplyAsync(SerializableSupplier<T> supplier) {
        return call(TaskSerializer.serialize(new Invocations.SupplierCall<>(supplier), "the supplier passed to supplyAsync"));
    }

    /** For {@link java.util.concurrent.ExecutorCompletionService}: a future whose {@code run()} sends the task to a host. */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return WorkerTask.of(engine, engine::call, TaskSerializer.serialize(callable, "the task given to an ExecutorCompletionService"));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return WorkerTask.of(engine, engine::call, Invocations.serializeRunnable(runnable, value, "the task given to an ExecutorCompletionService"));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> call(byte[] callable) {
        return (CompletableFuture<T>) engine.call(callable);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return Invocations.all(this::submit, tasks, Long.MAX_VALUE);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return Invocations.all(this::submit, tasks, unit.toNanos(timeout));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return Invocations.any(this::submit, tasks, Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new IllegalStateException("unreachable: no timeout", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return Invocations.any(this::submit, tasks, unit.toNanos(timeout));
    }

    // ---- lifecycle ----

    /** No new work is taken; what was given runs to its end, then the hosts stop this pool's workers. Does not wait. */
    @Override
    public void shutdown() {
        engine.shutdown();
    }

    /** {@inheritDoc} Maps take no more items from their sources; tasks waiting for a host are cancelled. */
    @Override
    public void shutdown(boolean cancelPending) {
        engine.shutdown(cancelPending);
    }

    /**
     * No new work; maps end with a {@link java.util.concurrent.CancellationException} after what their readers have
     * (read on), and the hosts kill this pool's workers. Returns an empty list: the tasks were serialized.
     */
    @Override
    public List<Runnable> shutdownNow() {
        engine.shutdownNow();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(timeout, unit);
    }

    /**
     * Waits for the work given, then the hosts stop this pool's worker JVMs. A map waits until its results are read to
     * their end or closed; results dropped without closing are closed once garbage (meanwhile {@code close()} asks the
     * JVM for a collection now and then). Interrupted, it stops everything now ({@link #shutdownNow()}).
     */
    @Override
    public void close() {
        engine.shutdown();
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                if (!awaitTermination(2, TimeUnit.SECONDS) && engine.openMaps() > 0) {
                    System.gc(); // results nobody holds are cleaned, which ends their maps
                }
            } catch (InterruptedException e) {
                interrupted = true;
                shutdownNow();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ClusterPool on " + engine.clusterName() + " (" + workers() + " workers" + (isShutdown() ? ", shut down" : "") + ")";
    }
}
