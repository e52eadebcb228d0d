package dev.ringfork.ipc.internal.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One {@code submit}ted call: its result completes a future; cancelling the future cancels the call. */
final class CallJob extends Job {

    private static final System.Logger LOG = System.getLogger(CallJob.class.getName());
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
            settle(() -> future.completeExceptionally(failure.toException(workerPid)));
        } else {
            settle(() -> future.complete(value));
        }
    }

    @Override
    void fail(Chunk chunk, RuntimeException failure) {
        settle(() -> future.completeExceptionally(failure));
    }

    @Override
    void abort(RuntimeException failure) {
        settle(() -> future.completeExceptionally(failure));
    }

    /**
     * Completes the future on the dispatcher's thread. Its dependent stages run here too; one whose executor
     * refuses it (a CompletableFuture async stage given the pool itself as executor) throws out of the
     * completion, which must not stop the dispatcher: it is logged, and that stage is left incomplete.
     */
    private static void settle(Runnable completion) {
        try {
            completion.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a stage depending on a pool task's future could not be run", e);
        }
    }
}
