import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedBarrier;
import dev.ringfork.core.sync.SharedCondition;
import dev.ringfork.core.sync.SharedDouble;
import dev.ringfork.core.sync.SharedLongArray;
import dev.ringfork.core.sync.SharedReentrantLock;
import dev.ringfork.core.sync.SharedSemaphore;
import dev.ringfork.ipc.process.JvmProcess;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Python's RLock, Condition, Barrier, BoundedSemaphore, Value('d') and Array('l') across two JVMs: a child
 * restocks a shared array under a reentrant lock and signals a condition the parent waits on.
 */
public class Coordination {

    /** The child's side: meets the parent at the barrier, then restocks shelf 2 and signals. */
    static void restock() throws Exception {
        try (SharedRegion region = SharedRegion.open("shop")) {
            // region: coordination-child
            region.barrier("open", 2).await(30, TimeUnit.SECONDS);           // both sides are here
            SharedReentrantLock lock = region.reentrantLock("books");
            lock.lock();
            try {
                region.longArray("stock", 4).getAndAdd(2, 5);                // shelf 2 gets 5 more
                region.condition("restocked", lock).signalAll();             // with the lock held
            } finally {
                lock.unlock();
            }
            // endregion
        }
    }

    public static void main(String[] args) throws Exception {
        try (SharedRegion region = SharedRegion.openOrCreate("shop")) {
            // region: coordination
            SharedReentrantLock lock = region.reentrantLock("books");             // RLock
            SharedCondition restocked = region.condition("restocked", lock);      // Condition(lock)
            SharedBarrier open = region.barrier("open", 2);                       // Barrier(2)
            SharedSemaphore tills = region.boundedSemaphore("tills", 2);          // BoundedSemaphore(2)
            SharedDouble price = region.sharedDouble("price", 10.0);              // Value('d', 10.0)
            SharedLongArray stock = region.longArray("stock", 4);                 // Array('l', 4)

            JvmProcess supplier = JvmProcess.builder().task(() -> {
                try {
                    Coordination.restock();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            open.await(30, TimeUnit.SECONDS);
            lock.lock();
            lock.lock();                                   // reentrant: held twice, released by two unlocks
            try {
                boolean arrived = restocked.waitFor(() -> stock.get(2) == 5, 30, TimeUnit.SECONDS);
                System.out.println("restocked " + arrived + ": " + Arrays.toString(stock.toArray()));
            } finally {
                lock.unlock();
                lock.unlock();
            }
            price.updateAndGet(p -> p * 1.5);
            tills.acquire();
            tills.release();
            try {
                tills.release();                           // a third permit would pass the bound of 2
            } catch (IllegalStateException e) {
                System.out.println("bounded: " + tills.availablePermits() + " permits");
            }
            System.out.println("price " + price.get() + ", supplier exit " + supplier.join());
            // endregion
        }
    }
}
// prints: restocked true: [0, 0, 5, 0]
// prints: bounded: 2 permits
// prints: price 15.0, supplier exit 0
