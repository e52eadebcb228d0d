package dev.ringfork.ipc.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A serialized task as a {@link RunnableFuture}, for the JDK helpers that take an executor: what the pool's
 * {@code newTaskFor} makes. {@link #run()} sends the task to a worker (once) and returns at once; the
 * future completes with the worker's answer. It never runs the task in this JVM.
 *
 * <p>{@link #execute} is the pool's {@code execute(Runnable)}: it takes a {@code WorkerTask}, a
 * {@link java.io.Serializable} runnable, or the wrapper {@link java.util.concurrent.ExecutorCompletionService}
 * puts around a {@code WorkerTask} it just made (that wrapper only queues the task once it is done, so it
 * runs here when the worker has answered); anything else is refused with a message that says what to do.
 *
 * @param <T> the result type
 */
public final class WorkerTask<T> extends CompletableFuture<T> implements RunnableFuture<T> {

    private static final System.Logger LOG = System.getLogger(WorkerTask.class.getName());
    private static final String COMPLETION_SERVICE_WRAPPER = "java.util.concurrent.ExecutorCompletionService$QueueingFuture";
    /** The task {@link #of} made last on this thread: an ExecutorCompletionService hands its wrapper to execute next. */
    private static final ThreadLocal<WorkerTask<?>> MADE_ON_THIS_THREAD = new ThreadLocal<>();

    /** The pool (its engine) the task belongs to. */
    private final Object owner;
    private final Function<byte[], CompletableFuture<Object>> caller;
    private final byte[] task;
    private final AtomicBoolean sent = new AtomicBoolean();

    private WorkerTask(Object owner, Function<byte[], CompletableFuture<Object>> caller, byte[] task) {
        this.owner = owner;
        this.caller = caller;
        this.task = task;
    }

    /** A task for {@code engine}'s workers, not sent yet. */
    public static <T> WorkerTask<T> of(PoolEngine engine, byte[] serializedCallable) {
        return of(engine, engine::call, serializedCallable);
    }

    /** A task of the pool {@code owner}, sent by {@code caller} (which runs a serialized callable in a worker), not sent yet. */
    public static <T> WorkerTask<T> of(Object owner, Function<byte[], CompletableFuture<Object>> caller, byte[] serializedCallable) {
        WorkerTask<T> made = new WorkerTask<>(owner, caller, serializedCallable);
        MADE_ON_THIS_THREAD.set(made);
        return made;
    }

    /** Sends the task to a worker, the first time only, and returns without waiting for it. */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        if (!sent.compareAndSet(false, true) || isDone()) {
            return;
        }
        CompletableFuture<Object> remote = caller.apply(task);
        remote.whenComplete((value, failure) -> {
            if (failure == null) {
                complete((T) value);
            } else {
                completeExceptionally(failure);
            }
        });
        whenComplete((value, failure) -> {
            if (isCancelled()) {
                remote.cancel(true);
            }
        });
    }

    /** Dependent stages are plain CompletableFutures: only this one sends a task. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /**
     * The pool's {@code execute}: sends {@code command} to a worker, or refuses it.
     *
     * @throws RejectedExecutionException if {@code command} is a CompletableFuture's async stage (the message says what
     *         to do instead), or the pool is shut down
     * @throws dev.ringfork.ipc.pool.TaskNotSerializableException if {@code command} is not serializable
     */
    public static void execute(PoolEngine engine, Runnable command) {
        execute(engine, engine::call, command);
    }

    /** {@link #execute(PoolEngine, Runnable)} for the pool {@code owner}, whose {@code caller} runs a serialized callable. */
    public static void execute(Object owner, Function<byte[], CompletableFuture<Object>> caller, Runnable command) {
        WorkerTask<?> madeHere = MADE_ON_THIS_THREAD.get();
        MADE_ON_THIS_THREAD.remove();
        String type = command.getClass().getName();
        if (command instanceof WorkerTask<?> workerTask) {
            workerTask.run();
        } else if (madeHere != null && madeHere.owner == owner && !madeHere.sent.get() && type.equals(COMPLETION_SERVICE_WRAPPER)) {
            madeHere.run(); // the user's task, in a worker
            madeHere.whenComplete((value, failure) -> command.run()); // the wrapper only queues the finished task
        } else if (type.startsWith("java.util.concurrent.CompletableFuture$")) {
            throw new RejectedExecutionException("CompletableFuture's async methods given a pool as executor would"
                    + " run their function in this JVM, not in a worker; the pool refuses it. Use pool.supplyAsync(() -> ...),"
                    + " pool.runAsync(() -> ...) or pool.submit(() -> ...), which run the task in a worker and return a"
                    + " CompletableFuture, then chain its non-async methods (thenApply, whenComplete, ...)");
        } else {
            caller.apply(Invocations.serializeRunnable(command, null, "the task passed to execute")).whenComplete((value, failure) -> {
                if (failure != null && !(failure instanceof java.util.concurrent.CancellationException)) {
                    LOG.log(System.Logger.Level.WARNING, "a task passed to the pool's execute failed", failure);
                }
            });
        }
    }
}
