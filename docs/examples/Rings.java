import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/** docs/rings.md: a price written into an SPSC ring and read in place. */
public class Rings {
    public static void main(String[] args) throws Exception {
        long instrumentId = 7;
        double price = 101.25;
        // region: rings-doc
        try (SharedRegion region = SharedRegion.openOrCreate("feeds")) {
            SpscRing ring = SpscRing.open(region, "prices", RingOptions.defaults().withCapacity(1 << 20));

            // producer side: write straight into the ring
            RingProducer out = ring.producer();
            RingClaim claim = out.tryClaim(1, 16);           // type 1, 16 bytes; null if full
            if (claim != null) {
                claim.buffer().set(ValueLayout.JAVA_LONG, 0, instrumentId);
                claim.buffer().set(ValueLayout.JAVA_DOUBLE, 8, price);
                claim.commit();                               // visible to the consumer from here on
            }

            // consumer side (usually another process): read in place
            RingConsumer in = ring.consumer();
            int n = in.read((type, msg) -> update(msg.get(ValueLayout.JAVA_LONG, 0), msg.get(ValueLayout.JAVA_DOUBLE, 8)),
                            256, 1, TimeUnit.SECONDS);       // >0 messages, 0 timeout, -1 end of stream
            System.out.println(n + " message");
        }
        // endregion
    }

    static void update(long instrument, double price) {
        System.out.println("instrument " + instrument + " at " + price);
    }
}
// prints: instrument 7 at 101.25
// prints: 1 message
