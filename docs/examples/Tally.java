import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;

/**
 * Adds 1,000,000 to a shared total under a shared lock, then prints it. Run it twice, one after the
 * other or at the same time in two terminals: the second to finish prints 2,000,000. "--reset" deletes
 * the region.
 *
 *   java --enable-native-access=ALL-UNNAMED -cp core/target/ringfork-core-0.1.0-SNAPSHOT.jar docs/examples/Tally.java
 */
public class Tally {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--reset")) {
            System.out.println(SharedRegion.unlink("tally") ? "removed" : "nothing to remove");
            return;
        }
        try (SharedRegion region = SharedRegion.openOrCreate("tally")) {
            SharedLong total = region.sharedLong("total");
            SharedLock lock = region.lock("total-lock");
            for (int i = 0; i < 1_000_000; i++) {
                try {
                    lock.lock();
                } catch (OwnerDiedException e) {
                    // an earlier run was killed while holding the lock; a single add needs no repair
                }
                try {
                    total.setPlain(total.getPlain() + 1);
                } finally {
                    lock.unlock();
                }
            }
            System.out.println("total = " + total.get() + " (region " + region.file() + ")");
        }
    }
}
// prints~: total = 1000000 \(region .*\)
