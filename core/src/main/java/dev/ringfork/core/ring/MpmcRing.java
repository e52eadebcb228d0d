package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;

import java.lang.foreign.MemorySegment;


/**
 * Many producers, many competing consumers: every message goes to one consumer, which reads it in place
 * (the work-distribution queue). Each consumer owns a slot of the consumer table while it exists
 * ({@link RingOptions#consumerSlots()}, default 16); close consumers you no longer use.
 *
 * <p>Delivery is at least once. A consumer that dies while it holds records (reading them in place) is
 * noticed by whoever waits next (a producer waiting for room, a consumer waiting for data or a new
 * consumer, within about a stall timeout): the records it held go to the next consumer that reads,
 * counted in {@link #redeliveredMessages()}. Records whose delivery killed
 * {@value ConsumerTable#MAX_DELIVERIES} consumers are dropped and counted in {@link #lostMessages()}.
 */
public final class MpmcRing extends Ring {

    private MpmcRing(SharedRegion region, String name, RingOptions options) {
        super(region, name, RingKind.MPMC, options);
    }

    private MpmcRing(MemorySegment memory, String name, RingOptions options) {
        super(memory, "(memory)", -1, name, RingKind.MPMC, options);
    }

    /** Creates the ring in slot {@code name} of the region, or attaches to it. */
    public static MpmcRing open(SharedRegion region, String name, RingOptions options) {
        return new MpmcRing(region, name, options);
    }

    /** {@link #open(SharedRegion, String, RingOptions)} with default options. */
    public static MpmcRing open(SharedRegion region, String name) {
        return open(region, name, RingOptions.defaults());
    }

    /** A ring in plain memory laid out by {@link Ring#initialise} (stress harnesses of this package). */
    static MpmcRing over(MemorySegment memory, RingOptions options) {
        return new MpmcRing(memory, "ring", options);
    }

    @Override
    public RingProducer producer() {
        return new MultiProducer(this, SELF_PID);
    }

    /**
     * A new consumer, in a free slot of the consumer table (dead consumers' slots are freed first).
     *
     * @throws IllegalStateException if every slot is held by a live consumer
     */
    @Override
    public RingConsumer consumer() {
        integrity.check();
        return new SharedConsumer(this, consumers.acquire());
    }

    /** The head, or the earliest position a consumer still reads from, whichever is smaller. */
    @Override
    long freePosition(long tail) {
        return consumers.freePosition(tail);
    }

    @Override
    void maintain() {
        super.maintain();
        consumers.recover();
    }
}
