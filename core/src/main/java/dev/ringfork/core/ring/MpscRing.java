package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;

/**
 * Many producers (threads and processes), one consumer. Producers claim space with a compare-and-set on
 * the shared tail; per-producer order is kept. Use one {@link #consumer()} at a time, across all
 * processes; producers are thread-safe.
 */
public final class MpscRing extends Ring {

    private MpscRing(SharedRegion region, String name, RingOptions options) {
        super(region, name, RingKind.MPSC, options);
    }

    /** Creates the ring in slot {@code name} of the region, or attaches to it. */
    public static MpscRing open(SharedRegion region, String name, RingOptions options) {
        return new MpscRing(region, name, options);
    }

    /** {@link #open(SharedRegion, String, RingOptions)} with default options. */
    public static MpscRing open(SharedRegion region, String name) {
        return open(region, name, RingOptions.defaults());
    }

    @Override
    public RingProducer producer() {
        return new MultiProducer(this, SELF_PID);
    }

    @Override
    public RingConsumer consumer() {
        return new SingleConsumer(this, true);
    }
}
