package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.PoolResults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ProcessPool.mapAsync}: a map read into a list by a virtual thread of its own, as a future.
 * Cancelling the future stops the map: nothing more is sent to the workers, and its source is closed.
 */
public final class AsyncMap {

    private AsyncMap() {
    }

    /** Reads {@code results} (just started, not read yet) to their end on a new virtual thread. */
    public static <R> CompletableFuture<List<R>> read(PoolResults<R> results, int expectedSize) {
        MapJob<R> job = (MapJob<R>) ((MapResults<R>) results).job();
        CompletableFuture<List<R>> future = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (future.isCancelled()) {
                job.abort(new CancellationException("mapAsync was cancelled"));
                job.cancel(); // chunks not sent yet are dropped
            }
        });
        Thread.ofVirtual().name("ringfork-mapAsync").start(() -> {
            List<R> out = new ArrayList<>(Math.max(0, expectedSize));
            try (results) {
                results.forEachRemaining(out::add);
                future.complete(out);
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e); // the first item that failed, as map; a no-op once cancelled
            }
        });
        return future;
    }
}
