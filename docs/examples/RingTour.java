import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.SpscRing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/** One message through an SPSC ring, written and read in place, as the README's tour shows it. */
public class RingTour {
    public static void main(String[] args) throws Exception {
        long id = 42;
        // region: ring
        SharedRegion region = SharedRegion.openOrCreate("market");            // 4 MiB by default: room for the ring
        SpscRing ring = SpscRing.open(region, "prices", RingOptions.defaults().withCapacity(1 << 20));     // 1 MiB of messages
        RingClaim claim = ring.producer().tryClaim(1, 16);          // type 1, 16 bytes; null when full
        claim.buffer().set(ValueLayout.JAVA_LONG, 0, id);
        claim.commit();                                              // invisible to consumers until here
        // usually in another process:
        int n = SpscRing.open(region, "prices").consumer()
                .read((type, msg) -> use(msg), 256, 1, TimeUnit.SECONDS);  // >0 read, 0 timeout, -1 end of stream
        // endregion
        System.out.println("read " + n);
        region.close();
    }

    static void use(MemorySegment msg) {
        System.out.println("id " + msg.get(ValueLayout.JAVA_LONG, 0));
    }
}
// prints: id 42
// prints: read 1
