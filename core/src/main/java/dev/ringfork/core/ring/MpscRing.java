package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;

import java.lang.foreign.MemorySegment;

/**
 * Many producers (threads and processes), one consumer. Producers claim space with a compare-and-set on
 * the shared tail; per-producer order is kept. Use one {@link #consumer()} at a time, across all
 * processes (its process is registered until it closes it or dies; a second live one is refused).
 * Producers are thread-safe; every thread that writes holds one of the ring's producer slots
 * ({@link RingOptions#producerSlots()}) while it lives.
 */
public final class MpscRing extends Ring {

    private MpscRing(SharedRegion region, String name, RingOptions options) {
        super(region, name, RingKind.MPSC, options);
    }

    private MpscRing(MemorySegment memory, String name, RingOptions options) {
        super(memory, "(memory)", -1, name, RingKind.MPSC, options);
    }

    /** A ring in plain memory laid out by {@link Ring#initialise} (stress harnesses of this package). */
    static MpscRing over(MemorySegment memory, RingOptions options) {
        return new MpscRing(memory, "ring", options);
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
        return new SingleConsumer(this);
    }
}
