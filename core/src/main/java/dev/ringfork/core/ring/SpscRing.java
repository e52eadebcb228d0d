package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;

/**
 * One producer, one consumer: the fastest ring. Claiming is plain arithmetic on the producer's own tail;
 * the consumer reads committed records in place and moves its head once per batch. Use exactly one
 * {@link #producer()} and one {@link #consumer()} at a time, across all processes.
 * <pre>{@code
 * SpscRing ring = SpscRing.open(region, "prices");
 * RingProducer out = ring.producer();
 * out.offer(1, MemorySegment.ofArray(bytes));
 * // in another process:
 * SpscRing.open(region, "prices").consumer().read((type, msg) -> handle(msg), 100);
 * }</pre>
 */
public final class SpscRing extends Ring {

    private SpscRing(SharedRegion region, String name, RingOptions options) {
        super(region, name, RingKind.SPSC, options);
    }

    /** Creates the ring in slot {@code name} of the region, or attaches to it. */
    public static SpscRing open(SharedRegion region, String name, RingOptions options) {
        return new SpscRing(region, name, options);
    }

    /** {@link #open(SharedRegion, String, RingOptions)} with default options. */
    public static SpscRing open(SharedRegion region, String name) {
        return open(region, name, RingOptions.defaults());
    }

    @Override
    public RingProducer producer() {
        return new SingleProducer(this, SELF_PID);
    }

    @Override
    public RingConsumer consumer() {
        return new SingleConsumer(this, false);
    }
}
