import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedEvent;
import dev.ringfork.core.sync.SharedSemaphore;
import dev.ringfork.ipc.process.JvmProcess;

import java.util.concurrent.TimeUnit;

/** A child process waits for an event, then takes one of four slots. */
public class EventsAndSemaphores {
    public static void main(String[] args) throws Exception {
        try (SharedRegion region = SharedRegion.openOrCreate("gates")) {
            // region: events
            SharedEvent ready = region.event("ready");          // set(), clear(), isSet(), await(), await(timeout, unit)
            SharedSemaphore slots = region.semaphore("slots", 4); // acquire(), tryAcquire(timeout, unit), release(n)
            // endregion
            JvmProcess child = JvmProcess.builder().name("waiter").task(() -> {
                try (SharedRegion r = SharedRegion.open("gates")) {
                    if (!r.event("ready").await(30, TimeUnit.SECONDS)
                            || !r.semaphore("slots", 4).tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not ready, or no slot, within 30 s");
                    }
                    System.out.println("took a slot");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            ready.set();
            System.out.println("child exit code " + child.join() + ", slots left " + slots.availablePermits());
        }
    }
}
// prints~: \[waiter [0-9]+\] took a slot
// prints: child exit code 0, slots left 3
