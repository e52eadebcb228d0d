package dev.ringfork.ipc.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a {@code submit}: a caller that waits for it stays on its CPU for up to
 * {@link HotWait#HOT_NANOS} before it parks, so a quick call's answer is seen without a thread wake-up.
 * Dependent stages are plain {@link CompletableFuture}s.
 */
final class SpinFirstFuture<T> extends CompletableFuture<T> {

    @Override
    public T get() throws InterruptedException, ExecutionException {
        spinWhileNotDone(HotWait.HOT_NANOS);
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long start = System.nanoTime();
        long nanos = unit.toNanos(timeout);
        spinWhileNotDone(Math.min(HotWait.HOT_NANOS, nanos));
        // The spin counts against the timeout: the caller's deadline is not moved by it.
        return super.get(Math.max(0, nanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
    }

    @Override
    public T join() {
        spinWhileNotDone(HotWait.HOT_NANOS);
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    private void spinWhileNotDone(long nanos) {
        long until = System.nanoTime() + nanos;
        for (int round = 1; !isDone() && System.nanoTime() - until < 0; round++) {
            HotWait.spin(round);
        }
    }
}
