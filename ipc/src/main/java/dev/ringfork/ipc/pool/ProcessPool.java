package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableBiFunction;
import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.function.SerializableRunnable;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.sync.WaitStrategy;
import dev.ringfork.ipc.internal.pool.Invocations;
import dev.ringfork.ipc.internal.pool.PoolConfig;
import dev.ringfork.ipc.internal.pool.PoolEngine;
import dev.ringfork.ipc.internal.pool.Source;
import dev.ringfork.ipc.internal.pool.Sources;
import dev.ringfork.ipc.internal.pool.TaskSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A pool of worker JVMs (one per CPU by default) fed through shared-memory rings: Python's
 * {@code multiprocessing.Pool} and {@code concurrent.futures.ProcessPoolExecutor}, for the JVM.
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
 * and the chunks it held run again on another worker ({@link Builder#retries}), so each result arrives
 * exactly once; past the retries the items fail with {@link WorkerDiedException}.
 *
 * <p>Sources ({@code imap}, {@code imapUnordered}) are pulled lazily by the thread that iterates the
 * results, at most a few chunks per worker ahead: an infinite {@link Generator} is fine. Items travel in
 * chunks; by default the chunk size adapts so each chunk is about 2 ms of work.
 *
 * <p>{@link #close()} waits for started work and stops the workers; {@link #shutdownNow()} cancels.
 */
public final class ProcessPool implements ExecutorService {

    private final PoolEngine engine;

    private ProcessPool(PoolConfig config) {
        this.engine = new PoolEngine(config);
    }

    /** A pool with the defaults: one worker per available processor. */
    public static ProcessPool create() {
        return builder().build();
    }

    /** A pool of {@code workers} worker JVMs, other options default. */
    public static ProcessPool create(int workers) {
        return builder().workers(workers).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of worker JVMs. */
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

    /** {@code fn} over every item, in order, as a list (the first failing item throws). */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return map(fn, items, 0);
    }

    /** {@link #map(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize) {
        List<R> out = items instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        try (PoolResults<R> results = start(fn, Sources.of(items), knownSize(items), true, chunkSize)) {
            results.forEachRemaining(out::add);
        }
        return out;
    }

    /** Like Python's {@code starmap}: {@code fn(a, b)} for the pairs of {@code first} and {@code second}, up to the shorter. */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends A> first, Iterable<? extends B> second) {
        Iterator<List<Object>> pairs = Sources.pairs(first, second);
        SerializableFunction<List<Object>, R> spread = pair -> spreadApply(fn, pair);
        List<R> out = new ArrayList<>();
        try (PoolResults<R> results = start(spread, Sources.of(pairs), -1, true, 0)) {
            results.forEachRemaining(out::add);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <A, B, R> R spreadApply(SerializableBiFunction<? super A, ? super B, ? extends R> fn, List<Object> pair) {
        return fn.apply((A) pair.get(0), (B) pair.get(1));
    }

    /** Lazy, ordered results of {@code fn} over {@code items}. */
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return start(fn, Sources.of(items), knownSize(items), true, 0);
    }

    /** {@link #imap(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize) {
        return start(fn, Sources.of(items), knownSize(items), true, chunkSize);
    }

    /** Lazy, ordered results over an iterator or a {@link Generator}. */
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source) {
        return start(fn, Sources.of(source), -1, true, 0);
    }

    /** {@link #imap(SerializableFunction, Iterator)} with {@code chunkSize} items per message (0: automatic). */
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source, int chunkSize) {
        return start(fn, Sources.of(source), -1, true, chunkSize);
    }

    /** Lazy, ordered results over a stream (closed with the results). */
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Stream<? extends T> source) {
        return start(fn, Sources.of(source), -1, true, 0);
    }

    /** Lazy, ordered results over a spliterator. */
    public <T, R> PoolResults<R> imap(SerializableFunction<? super T, ? extends R> fn, Spliterator<? extends T> source) {
        return start(fn, Sources.of(source), source.getExactSizeIfKnown(), true, 0);
    }

    /** Lazy results in the order they are computed. */
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return start(fn, Sources.of(items), knownSize(items), false, 0);
    }

    /** {@link #imapUnordered(SerializableFunction, Iterable)} with {@code chunkSize} items per message (0: automatic). */
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunkSize) {
        return start(fn, Sources.of(items), knownSize(items), false, chunkSize);
    }

    /** Lazy results in the order they are computed, over an iterator or a {@link Generator}. */
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source) {
        return start(fn, Sources.of(source), -1, false, 0);
    }

    /** {@link #imapUnordered(SerializableFunction, Iterator)} with {@code chunkSize} items per message (0: automatic). */
    public <T, R> PoolResults<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterator<? extends T> source, int chunkSize) {
        return start(fn, Sources.of(source), -1, false, chunkSize);
    }

    /** Lazy results in the order they are computed, over a stream (closed with the results). */
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

    /** Runs {@code task} in a worker; the future completes with its result or its {@link RemoteTaskException}. */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return (CompletableFuture<T>) engine.call(TaskSerializer.serialize(task, "the task passed to submit"));
    }

    /** {@inheritDoc} The callable must be {@link java.io.Serializable} (see {@link SerializableCallable}). */
    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return (CompletableFuture<T>) engine.call(TaskSerializer.serialize(task, "the task passed to submit"));
    }

    /** {@inheritDoc} The runnable must be {@link java.io.Serializable} (see {@link SerializableRunnable}). */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /** {@inheritDoc} The runnable and the result must be {@link java.io.Serializable}. */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        return submit((Callable<T>) new Invocations.RunnableCall<>(task, result));
    }

    /** {@inheritDoc} The runnable must be {@link java.io.Serializable}; its failure is only in the logs of the worker. */
    @Override
    public void execute(Runnable command) {
        submit(command);
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

    @Override
    public void shutdown() {
        engine.shutdown();
    }

    /** Cancels what has not run (futures and result iterators fail with CancellationException) and kills the workers. */
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

    /** Options of a new pool. */
    public static final class Builder {
        private int workers = Runtime.getRuntime().availableProcessors();
        private final List<String> jvmOptions = new ArrayList<>();
        private SerializableRunnable initializer;
        private int maxTasksPerWorker;
        private int taskRingCapacity = 1 << 20;
        private int resultRingCapacity = 4 << 20;
        private WaitStrategy waitStrategy = WaitStrategy.adaptive();
        private int retries = 1;
        private int chunkSize;
        private boolean pinWorkers;
        private Path directory = RegionOptions.defaultDirectory();
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Worker JVMs (default: available processors). */
        public Builder workers(int workers) {
            if (workers < 1 || workers > 1024) {
                throw new IllegalArgumentException("workers must be 1 to 1024, was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** A JVM option for every worker, e.g. {@code -Xmx2g}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** JVM options for every worker. */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** Runs once in each worker before its first task (e.g. to load a model). */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = initializer;
            return this;
        }

        /** Chunks or calls a worker runs before it is replaced by a fresh JVM (default 0: never). */
        public Builder maxTasksPerWorker(int maxTasks) {
            if (maxTasks < 0) {
                throw new IllegalArgumentException("maxTasksPerWorker must be 0 (no limit) or positive, was " + maxTasks);
            }
            this.maxTasksPerWorker = maxTasks;
            return this;
        }

        /** Bytes of each worker's task ring (default 1 MiB; the largest chunk is an eighth of it). */
        public Builder taskRingCapacity(int bytes) {
            this.taskRingCapacity = powerOfTwo(bytes, "taskRingCapacity");
            return this;
        }

        /** Bytes of the shared results ring (default 4 MiB; the largest chunk of results is an eighth). */
        public Builder resultRingCapacity(int bytes) {
            this.resultRingCapacity = powerOfTwo(bytes, "resultRingCapacity");
            return this;
        }

        /** How idle workers wait for work (default adaptive: spin, yield, then sleep on a futex). */
        public Builder waitStrategy(WaitStrategy waitStrategy) {
            this.waitStrategy = java.util.Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /** Times a chunk runs again after its worker died (default 1); 0 fails it at once with {@link WorkerDiedException}. */
        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative, was " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Default items per message for maps (default 0: automatic, about 2 ms of work per chunk). */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 0) {
                throw new IllegalArgumentException("chunkSize must be 0 (automatic) or positive, was " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /** Pins worker i to CPU i (modulo the CPU count) with taskset where available (default off). */
        public Builder pinWorkers(boolean pin) {
            this.pinWorkers = pin;
            return this;
        }

        /** Where the pool's shared memory lives (default: the per-user region directory). */
        public Builder directory(Path directory) {
            this.directory = java.util.Objects.requireNonNull(directory, "directory");
            return this;
        }

        public ProcessPool build() {
            byte[] init = initializer == null ? null : TaskSerializer.serialize(initializer, "the pool's initializer");
            return new ProcessPool(new PoolConfig(workers, jvmOptions, init, maxTasksPerWorker, taskRingCapacity,
                    resultRingCapacity, waitStrategy, retries, chunkSize, pinWorkers, directory, startTimeout));
        }

        private static int powerOfTwo(int bytes, String what) {
            if (bytes < 4096 || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException(what + " must be a power of two of at least 4096 bytes, was " + bytes);
            }
            return bytes;
        }
    }
}
