import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool, as the README's tour shows it: a map, a lazy imap over blocks of numbers (primes counted in
 * worker JVMs) and a submitted call.
 */
public class PoolTour {

    /** Counts the primes in [start, start + 100,000). Runs in the workers. */
    static final class Primes {
        static long count(long start) {
            long count = 0;
            for (long n = Math.max(start, 2); n < start + 100_000; n++) {
                boolean prime = true;
                for (long d = 2; d * d <= n; d++) {
                    if (n % d == 0) {
                        prime = false;
                        break;
                    }
                }
                if (prime) {
                    count++;
                }
            }
            return count;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Long> blocks = List.of(0L, 100_000L, 200_000L, 300_000L);
        LongAdder total = new LongAdder();
        // region: pool
        try (ProcessPool pool = ProcessPool.create()) {                        // close() waits, then stops the workers
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));    // [1, 4, 9]
            try (PoolResults<Long> counts = pool.imap(Primes::count, blocks)) { // lazy and ordered; imapUnordered too
                counts.forEachRemaining(total::add);                           // a failed item throws RemoteTaskException
            }
            CompletableFuture<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
            System.out.println(squares + " " + total + " primes, a worker's pid " + pid.get(30, TimeUnit.SECONDS));
        }
        // endregion
        if (total.sum() != 33_860) {
            throw new AssertionError("there are 33,860 primes below 400,000, not " + total);
        }
    }
}
// prints~: \[1, 4, 9\] 33860 primes, a worker's pid [0-9]+
