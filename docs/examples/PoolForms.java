import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.pool.Futures;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.TimeUnit;

/**
 * The pool's other forms: tasks that return nothing, supplyAsync, ExecutorCompletionService, Python's
 * as_completed, wait, map_async, imap(...).next(timeout), starmap of three, shutdown(cancel_futures).
 */
public class PoolForms {

    /** A task that returns nothing: runs in a worker. */
    static void warmCache() {
    }

    static long square(long x) {
        return x * x;
    }

    public static void main(String[] args) throws Exception {
        List<Long> numbers = List.of(1L, 2L, 3L, 4L);
        // region: pool-forms
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            pool.submit(() -> warmCache()).get(30, TimeUnit.SECONDS);           // void: CompletableFuture<Void>
            pool.submit(PoolForms::warmCache);                                   // a void method reference too
            CompletableFuture<Long> pid = pool.supplyAsync(() -> ProcessHandle.current().pid());
            pid.thenAccept(p -> System.out.println("ran in pid " + p))           // a callback, in this JVM
                    .get(30, TimeUnit.SECONDS);

            var completion = new ExecutorCompletionService<Long>(pool);          // tasks run in workers
            completion.submit((SerializableCallable<Long>) () -> square(7));
            System.out.println("completion service: " + completion.take().get());

            List<CompletableFuture<Long>> squares = new ArrayList<>();
            for (long n : numbers) {
                squares.add(pool.submit(() -> square(n)));
            }
            long sum = 0;
            for (CompletableFuture<Long> done : Futures.asCompleted(squares, 30, TimeUnit.SECONDS)) {  // as_completed
                sum += done.join();
            }
            var firstDone = Futures.wait(squares, 30, TimeUnit.SECONDS, Futures.ReturnWhen.FIRST_COMPLETED);  // wait
            System.out.println("sum " + sum + ", at least one done: " + !firstDone.done().isEmpty());

            CompletableFuture<List<Long>> mapped = pool.mapAsync(PoolForms::square, numbers);  // map_async
            System.out.println("mapAsync " + mapped.get(30, TimeUnit.SECONDS));
            try (PoolResults<Long> lazy = pool.imap(PoolForms::square, numbers)) {
                System.out.println("first of imap " + lazy.next(30, TimeUnit.SECONDS));   // next(timeout)
            }
            List<String> cut = pool.starmap((s, from, to) -> s.substring(from, to),
                    List.of("ringfork", "python"), List.of(0, 2), List.of(4, 6));        // starmap of three
            System.out.println("starmap " + cut);
            pool.shutdown(true);            // shutdown(cancel_futures=True): what no worker has yet is cancelled
        }
        // endregion
    }
}
// prints~: ran in pid [0-9]+
// prints: completion service: 49
// prints: sum 30, at least one done: true
// prints: mapAsync [1, 4, 9, 16]
// prints: first of imap 1
// prints: starmap [ring, thon]
