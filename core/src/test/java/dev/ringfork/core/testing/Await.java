package dev.ringfork.core.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: a condition polled until a generous bound, and a call run on a thread of its own. */
public final class Await {

    private Await() {
    }

    /**
     * Spins until {@code condition} holds; throws an {@link AssertionError} saying
     * "{@code what} within {@code bound}" if it still does not after {@code bound}.
     */
    public static void until(BooleanSupplier condition, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " within " + bound);
            }
            Thread.onSpinWait();
        }
    }

    /** Runs {@code call} on a daemon platform thread of its own; its result or exception completes the future. */
    public static <T> CompletableFuture<T> inThread(Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
