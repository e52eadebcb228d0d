import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.ipc.process.JvmProcess;

/**
 * A process dies holding a SharedLock (halted in the middle of an update); the next one to lock is told,
 * while holding the lock, and repairs what the lock guards.
 */
public class LockRepair {

    public static void main(String[] args) throws Exception {
        try (SharedRegion region = SharedRegion.openOrCreate("accounts")) {
            SharedLock lock = region.lock("state-lock");
            SharedLong state = region.sharedLong("state");
            JvmProcess doomed = JvmProcess.builder().name("doomed").task(() -> {
                try (SharedRegion r = SharedRegion.open("accounts")) {
                    r.lock("state-lock").lock();
                    r.sharedLong("state").set(-1);          // half way through an update...
                    Runtime.getRuntime().halt(9);           // ...and gone, holding the lock
                }
            }).start();
            System.out.println("the other process exited with " + doomed.join());

            // region: owner-died
            try {
                lock.lock();
            } catch (OwnerDiedException e) {        // e.deadOwnerPid(): we hold the lock now
                repair(state);
            }
            try { update(state); } finally { lock.unlock(); }
            // endregion
            System.out.println("state = " + state.get());
        }
    }

    static void repair(SharedLong state) {
        System.out.println("repairing state " + state.get());
        state.set(0);
    }

    static void update(SharedLong state) {
        state.incrementAndGet();
    }
}
// prints: the other process exited with 9
// prints: repairing state -1
// prints: state = 1
