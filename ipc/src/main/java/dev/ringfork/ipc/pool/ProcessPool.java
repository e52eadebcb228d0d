package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.function.SerializableSupplier;
import dev.ringfork.ipc.internal.pool.AsyncMap;
import dev.ringfork.ipc.internal.pool.Invocations;
import dev.ringfork.ipc.internal.pool.PoolConfig;
import dev.ringfork.ipc.internal.pool.PoolEngine;
import dev.ringfork.ipc.internal.pool.Source;
import dev.ringfork.ipc.internal.pool.Sources;
import dev.ringfork.ipc.internal.pool.TaskSerializer;
import dev.ringfork.ipc.internal.pool.WorkerTask;

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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A pool of worker JVMs (one per CPU by default) fed through shared-memory rings: Python's
 * {@code multiprocessing.Pool} and {@code concurrent.futures.ProcessPoolExecutor}, for the JVM: the
 * {@link Pool} of this host.
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create()) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));         // [1, 4, 9]
 *     try (PoolResults<Long> counts = pool.imap(Primes::count, blocks)) {       // lazy, in order
 *         counts.forEachRemaining(total::add);
 *     }
 *     CompletableFuture<String> host = pool.submit(() -> InetAddress.getLocalHost().getHostName());
 * }
 * }</pre>
 * Functions and tasks run in other JVMs, so they are serialized: lambdas passed to these methods are
 * {@link SerializableFunction}s and {@link SerializableCallable}s, and what they capture must be
 * {@link java.io.Serializable} ({@link TaskNotSerializableException} names what is not). Workers run on
 * this JVM's class path. A function that throws gives {@link RemoteTaskException} for that item, with
 * the remote stack trace. A worker that dies (kill -9, out of memory, {@code System.exit}) is replaced,
 * and the chunks it held run again on another worker ({@link ProcessPoolBuilder#retries}), so each result arrives
 * exactly once; past the retries the items fail with {@link WorkerDiedException}.
 *
 * <p>Sources ({@code imap}, {@code imapUnordered}) are pulled lazily by the thread that iterates the
 * results, at most a few chunks per worker ahead: an infinite {@link Generator} is fine. Items travel in
 * chunks; by default the chunk size adapts so each chunk is about 2 ms of work.
 *
 * <p>Tasks: {@code submit} takes a lambda that returns a value or one that returns nothing
 * ({@code pool.submit(() -> Index.rebuild(dir))}); {@link #supplyAsync} and {@link #runAsync} are
 * CompletableFuture's, run in a worker; {@link #mapAsync} is Python's {@code map_async}; {@link Futures}
 * waits on several futures. An {@link java.util.concurrent.ExecutorCompletionService} over the pool runs
 * its tasks in workers; CompletableFuture's own async methods given the pool are refused (they would run
 * the task in this JVM). No task ever runs in this JVM.
 *
 * <p>{@link #close()} waits for started work and stops the workers; {@link #shutdown(boolean) shutdown(true)}
 * cancels the work not yet sent to a worker; {@link #shutdownNow()} also stops what runs.
 */
public final class ProcessPool extends AbstractExecutorService implements Pool {

    private static final String COMPLETION_SERVICE_TASK = "the task given to an ExecutorCompletionService over the pool"
            + " (whose submit takes a plain Callable or Runnable: cast the lambda, completion.submit((SerializableCallable<T>) () -> ...),"
            + " or use pool.submit(() -> ...) and Futures.asCompleted(futures))";
    private final PoolEngine engine;

    ProcessPool(PoolConfig config) {
        this.engine = new PoolEngine(config);
    }

    /** A pool with the defaults: one worker per available processor, their heaps together at most half the memory. */
    public static ProcessPool create() {
        return builder().build();
    }

    /** A pool of {@code workers} worker JVMs, other options default. */
    public static ProcessPool create(int workers) {
        return builder().workers(workers).build();
    }

    /** Options for a new pool: worker count, JVM options, initializer and more. */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    /** Number of worker JVMs. */
    @Override
    public int workers() {
        return engine.config().workers();
    }

    /**
     * Pids of the worker JVMs running now, in worker order: all {@link #workers()} of them from the moment
     * the pool is built, though a worker may still be starting (not yet taking tasks). A snapshot: a worker
     * that died or retired is replaced by a new JVM with a new pid (for a moment the list may lack it), and
     * once the pool has terminated the list is empty.
     */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /** For tests: pids of the workers that have said they are ready for tasks. */
    List<Long> readyWorkerPids() {
        return engine.readyWorkerPids();
    }

    /**
     * A function given by class name: {@code className} must be public, have a public no-argument
     * constructor and implement {@code Function<T, R>}; each worker makes one instance and reuses it. It
     * is checked here first, so a typo fails now rather than in every worker.
     */
    public static <T, R> SerializableFunction<T, R> byClassName(String className) {
        FunctionByName.instantiate(className);
        return new FunctionByName<>(className);
    }

    // ---- map family ----

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn,
                                                      Iterable<? extends T> items, int chunkSize) {
        List<T> copy = new ArrayList<>();
        items.forEach(copy::add);
        return AsyncMap.read(start(fn, Sources.of(copy), copy.size(), true, chunkSize), copy.size());
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

    /**
     * {@inheritDoc} The failure is a WARNING of the {@code System.Logger}
     * {@code dev.ringfork.ipc.internal.pool.WorkerTask} in this JVM.
     */
    @Override
    public void execute(SerializableRunnable command) {
        WorkerTask.execute(engine, command);
    }

    /**
     * {@inheritDoc} The runnable must be {@link java.io.Serializable}. A task never runs in this JVM: an
     * {@link java.util.concurrent.ExecutorCompletionService} over the pool works (its tasks run in workers),
     * but {@code CompletableFuture.supplyAsync(supplier, pool)} is refused with a {@link RejectedExecutionException}
     * that points to {@link #supplyAsync} and {@link #runAsync}.
     */
    @Override
    public void execute(Runnable command) {
        WorkerTask.execute(engine, command);
    }

    @Override
    public <T> CompletableFuture<T> supplyAsync(SerializableSupplier<T> supplier) {
        return call(TaskSerializer.serialize(new Invocations.SupplierCall<>(supplier), "the supplier passed to supplyAsync"));
    }

    /**
     * For {@link java.util.concurrent.ExecutorCompletionService}: a future whose {@code run()} sends the task to a
     * worker. Its {@code submit} takes a plain {@code Callable}, so declare the lambda serializable:
     * {@code completion.submit((SerializableCallable<Long>) () -> ...)}.
     */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return WorkerTask.of(engine, TaskSerializer.serialize(callable, COMPLETION_SERVICE_TASK));
    }

    /** {@link #newTaskFor(Callable)} of a runnable: declare it as a {@link SerializableRunnable}. */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return WorkerTask.of(engine, Invocations.serializeRunnable(runnable, value, COMPLETION_SERVICE_TASK));
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

    /** No new work is taken; what was given runs to its end, then the workers exit. Does not wait. */
    @Override
    public void shutdown() {
        engine.shutdown();
    }

    /** {@inheritDoc} What workers hold is up to a few tasks or chunks each. */
    @Override
    public void shutdown(boolean cancelPending) {
        engine.shutdown(cancelPending);
    }

    /**
     * {@link #shutdown(boolean) shutdown(true)}, and what is running is stopped too: the workers are killed, so
     * every future and result not complete fails with a {@link java.util.concurrent.CancellationException}.
     * Returns an empty list: the tasks were serialized, there is no {@code Runnable} of them to give back.
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
     * Waits for started work, then stops the workers and removes the pool's shared memory. Results that
     * nobody can read do not hold it up: a {@link PoolResults} dropped without closing is closed once it is
     * garbage (meanwhile {@code close()} asks the JVM for a collection now and then), and a map whose
     * reader thread ended, or is the thread calling {@code close()}, is cancelled once its results were not
     * read for 2 s with all it had cut computed (its reader, if it comes back, gets what had arrived, then
     * a {@link java.util.concurrent.CancellationException}). A reader in another live thread is never
     * cancelled, however slow: {@code close()} waits for it. Close the results you stop reading early.
     */
    @Override
    public void close() {
        engine.close();
        boolean interrupted = false;
        try {
            while (!isTerminated()) {
                try {
                    awaitTermination(1, TimeUnit.DAYS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    shutdownNow();
                }
            }
        } finally {
            engine.closeReturned();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ProcessPool " + engine.name() + " (" + workers() + " workers" + (isShutdown() ? ", shut down" : "") + ")";
    }
}
