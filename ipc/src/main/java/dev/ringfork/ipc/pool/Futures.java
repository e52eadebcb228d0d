package dev.ringfork.ipc.pool;

import dev.ringfork.core.sync.Deadline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code concurrent.futures.as_completed} and {@code wait}, for any {@link Future}: the futures of
 * {@link ProcessPool#submit}, of other executors, or your own. A {@link CompletableFuture} tells when it
 * completes; other futures are looked at now and then (every millisecond at first, at most every 50 ms).
 * <pre>{@code
 * List<CompletableFuture<Long>> sizes = fileNames.stream().map(name -> pool.submit(() -> Files.size(Path.of(name)))).toList();
 * for (CompletableFuture<Long> done : Futures.asCompleted(sizes)) {
 *     System.out.println(done.join());                                   // the quickest first
 * }
 * Futures.DoneAndNotDone<CompletableFuture<Long>> first = Futures.wait(sizes, 5, TimeUnit.SECONDS, Futures.ReturnWhen.FIRST_COMPLETED);
 * }</pre>
 */
public final class Futures {

    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LAST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Futures() {
    }

    /** When {@link #wait} returns: Python's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION}, {@code ALL_COMPLETED}. */
    public enum ReturnWhen {
        /** As soon as any future is done (succeeded, failed or cancelled). */
        FIRST_COMPLETED,
        /** As soon as any future failed (not cancelled), else when all are done. */
        FIRST_EXCEPTION,
        /** When every future is done. */
        ALL_COMPLETED
    }

    /**
     * What {@link #wait} found: the futures done, in the order they were seen done, and the others.
     *
     * @param done    futures done when {@code wait} returned
     * @param notDone futures not done then
     * @param <F>     the future type
     */
    public record DoneAndNotDone<F extends Future<?>>(Set<F> done, Set<F> notDone) {
    }

    /**
     * The futures in the order they complete (Python's {@code as_completed}); futures done already come first.
     * Iterating waits for the next one as long as it takes. Each future appears once (duplicates once).
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
        List<F> snapshot = List.copyOf(futures);
        return () -> new CompletionOrder<>(snapshot, false, 0);
    }

    /**
     * {@link #asCompleted(Collection)}, with the whole iteration bounded by {@code timeout}, counted from this call
     * (as in Python): {@code next()} throws a {@link CompletionException} whose cause is a {@link TimeoutException}
     * if the next future is not done by then.
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> futures, long timeout, TimeUnit unit) {
        List<F> snapshot = List.copyOf(futures);
        long deadline = Deadline.after(timeout, unit);
        return () -> new CompletionOrder<>(snapshot, true, deadline);
    }

    /**
     * Waits until {@code returnWhen} holds or {@code timeout} passes (Python's {@code concurrent.futures.wait}), and
     * says which futures are done. It cancels nothing.
     *
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public static <F extends Future<?>> DoneAndNotDone<F> wait(Collection<? extends F> futures, long timeout, TimeUnit unit,
                                                               ReturnWhen returnWhen) throws InterruptedException {
        CompletionOrder<F> order = new CompletionOrder<>(List.copyOf(futures), true, Deadline.after(timeout, unit));
        Set<F> done = new LinkedHashSet<>();
        try {
            while (order.hasNext() && !enough(done, returnWhen)) {
                done.add(order.nextOrThrow());
            }
        } catch (TimeoutException e) {
            // what is not done is reported as such
        }
        Set<F> notDone = new LinkedHashSet<>(futures);
        notDone.removeAll(done);
        return new DoneAndNotDone<>(Collections.unmodifiableSet(done), Collections.unmodifiableSet(notDone));
    }

    private static boolean enough(Set<? extends Future<?>> done, ReturnWhen returnWhen) {
        return switch (returnWhen) {
            case FIRST_COMPLETED -> !done.isEmpty();
            case FIRST_EXCEPTION -> done.stream().anyMatch(f -> f.state() == Future.State.FAILED);
            case ALL_COMPLETED -> false;
        };
    }

    /** Hands out futures as they complete: CompletableFutures report themselves, the others are polled. */
    private static final class CompletionOrder<F extends Future<?>> implements Iterator<F> {
        private final LinkedBlockingQueue<F> completed = new LinkedBlockingQueue<>();
        private final List<F> polled = new ArrayList<>();
        private final boolean timed;
        private final long deadline;
        private int left;
        private long pollNanos = FIRST_POLL_NANOS;

        CompletionOrder(List<F> futures, boolean timed, long deadline) {
            this.timed = timed;
            this.deadline = deadline;
            Set<F> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (F future : futures) {
                if (!seen.add(future)) {
                    continue;
                }
                left++;
                if (future instanceof CompletableFuture<?> completable) {
                    completable.whenComplete((value, failure) -> completed.add(future));
                } else {
                    polled.add(future);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public F next() {
            try {
                return nextOrThrow();
            } catch (TimeoutException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }

        F nextOrThrow() throws TimeoutException, InterruptedException {
            if (left == 0) {
                throw new NoSuchElementException("every future was handed out");
            }
            for (;;) {
                movePolledDone();
                long wait = polled.isEmpty() ? Long.MAX_VALUE : pollNanos;
                if (timed) {
                    long remaining = Deadline.left(deadline, System.nanoTime(), Long.MAX_VALUE);
                    if (remaining <= 0 && completed.isEmpty()) {
                        throw new TimeoutException("not every future was done within the timeout");
                    }
                    wait = Math.min(wait, Math.max(0, remaining));
                }
                F next = wait == Long.MAX_VALUE ? completed.take() : completed.poll(wait, TimeUnit.NANOSECONDS);
                if (next != null) {
                    left--;
                    return next;
                }
                pollNanos = Math.min(LAST_POLL_NANOS, 2 * pollNanos);
            }
        }

        private void movePolledDone() {
            for (Iterator<F> it = polled.iterator(); it.hasNext(); ) {
                F future = it.next();
                if (future.isDone()) {
                    it.remove();
                    completed.add(future);
                }
            }
        }
    }
}
