import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedInt;
import dev.ringfork.ipc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;

/** A SharedInt counted up by several processes; the last one to finish says so. */
public class SharedValues {
    public static void main(String[] args) throws Exception {
        int workers = 3;
        try (SharedRegion parent = SharedRegion.openOrCreate("values")) {
            List<JvmProcess> children = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                children.add(JvmProcess.builder().name("counter").task(() -> {
                    try (SharedRegion region = SharedRegion.open("values")) {
                        // region: values
                        SharedInt done = region.sharedInt("done");            // like multiprocessing.Value('i'), in every process
                        if (done.incrementAndGet() == workers) {              // atomic across processes, no lock needed
                            System.out.println("everyone finished");          // printed by the last one, whichever it is
                        }
                        // endregion
                    }
                }).start());
            }
            for (JvmProcess child : children) {
                if (child.join() != 0) {
                    throw new AssertionError(child + " failed");
                }
            }
            System.out.println("done = " + parent.sharedInt("done").get());
        }
    }
}
// prints~: \[counter [0-9]+\] everyone finished
// prints: done = 3
