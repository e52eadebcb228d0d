import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;

/** Values and a lock in a region, found by name, as the README's tour shows them. */
public class SharedMemoryTour {
    public static void main(String[] args) {
        // region: shared-memory
        try (SharedRegion region = SharedRegion.openOrCreate("jobs")) {   // /dev/shm/ringfork-<user>/jobs, mode 0600
            SharedLong total = region.sharedLong("total");                 // created as 0, attached afterwards
            SharedLock lock = region.lock("total-lock");                   // robust futex mutex
            lock.lock();
            try {
                total.setPlain(total.getPlain() + 1);                      // safe: the lock orders it
            } finally {
                lock.unlock();
            }
            total.getAndAdd(5);                                            // or lock-free, like AtomicLong
            System.out.println("total = " + total.get());
        }
        // endregion
    }
}
// prints: total = 6
