package dev.ringfork.ipc.internal.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One {@code submit}ted call: its result completes a future; cancelling the future cancels the call. */
final class CallJob extends Job {

    final CompletableFuture<Object> future = new SpinFirstFuture<>();

    CallJob(long id) {
        super(id, null);
        future.whenComplete((value, failure) -> {
            if (future.isCancelled()) {
                cancel();
            }
        });
    }

    @Override
    int perWorkerLimit() {
        return PoolConfig.WINDOW_PER_WORKER;
    }

    @Override
    void complete(Chunk chunk, List<Object> values, long workerPid, long computeNanos) {
        Object value = values.isEmpty() ? null : values.getFirst();
        if (value instanceof RemoteFailure failure) {
            future.completeExceptionally(failure.toException(workerPid));
        } else {
            future.complete(value);
        }
    }

    @Override
    void fail(Chunk chunk, RuntimeException failure) {
        future.completeExceptionally(failure);
    }

    @Override
    void abort(RuntimeException failure) {
        future.completeExceptionally(failure);
    }
}
