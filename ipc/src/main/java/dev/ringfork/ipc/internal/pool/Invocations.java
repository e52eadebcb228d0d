package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.sync.Deadline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** {@code invokeAll} and {@code invokeAny} of {@link java.util.concurrent.ExecutorService}, on top of a submit. */
public final class Invocations {

    private Invocations() {
    }

    /** A Runnable as a Callable for {@code submit(Runnable)}, serializable when the runnable is. */
    public record RunnableCall<T>(Runnable task, T result) implements Callable<T>, java.io.Serializable {
        @Override
        public T call() {
            task.run();
            return result;
        }
    }

    /** A supplier as a Callable for {@code supplyAsync}, serializable when the supplier is. */
    public record SupplierCall<T>(java.util.function.Supplier<T> supplier) implements Callable<T>, java.io.Serializable {
        @Override
        public T call() {
            return supplier.get();
        }
    }

    /**
     * {@code task} (returning {@code result}) serialized as a callable for a worker.
     *
     * @param what what the task is, for the message
     * @throws dev.ringfork.ipc.pool.TaskNotSerializableException if the task or the result does not serialize
     */
    public static byte[] serializeRunnable(Runnable task, Object result, String what) {
        if (!(task instanceof java.io.Serializable)) {
            TaskSerializer.serialize(task, what); // throws, naming the class and the fix
        }
        return TaskSerializer.serialize(new RunnableCall<>(task, result), what);
    }

    /** Submits every task and waits for all (or until {@code timeoutNanos}; then cancels what is left). */
    public static <T> List<Future<T>> all(Function<Callable<T>, CompletableFuture<T>> submit,
                                          Collection<? extends Callable<T>> tasks, long timeoutNanos) throws InterruptedException {
        long deadline = Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(submit.apply(task));
        }
        for (Future<T> future : futures) {
            try {
                if (deadline == Long.MAX_VALUE) {
                    future.get();
                } else {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (ExecutionException | CancellationException e) {
                // the future reports it
            } catch (TimeoutException e) {
                futures.forEach(f -> f.cancel(true));
                break;
            }
        }
        return futures;
    }

    /** Submits every task and returns the first successful result, cancelling the others. */
    public static <T> T any(Function<Callable<T>, CompletableFuture<T>> submit, Collection<? extends Callable<T>> tasks,
                            long timeoutNanos) throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(submit.apply(task));
        }
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        for (CompletableFuture<T> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure == null) {
                    first.complete(value);
                } else if (failures.incrementAndGet() == futures.size()) {
                    first.completeExceptionally(failure);
                }
            });
        }
        try {
            return timeoutNanos == Long.MAX_VALUE ? first.get() : first.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }
}
