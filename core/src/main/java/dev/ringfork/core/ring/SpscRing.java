package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.util.OptionalLong;

/**
 * One producer, one consumer: the fastest ring. Claiming is plain arithmetic on the producer's own tail;
 * the consumer reads committed records in place and moves its head once per batch. Use exactly one
 * {@link #producer()} and one {@link #consumer()} at a time, across all processes: the process that
 * makes each is registered in the ring until it releases it ({@link RingProducer#release()},
 * {@link RingConsumer#close()}) or dies, and a second live one in another process is refused. The
 * registrations tell each side whether its peer process died ({@link #producerDied()},
 * {@link #consumerDied()}), which is how a pipe notices a killed peer.
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

    private SpscRing(MemorySegment memory, String name, RingOptions options) {
        super(memory, "(memory)", -1, name, RingKind.SPSC, options);
    }

    /** A ring in plain memory laid out by {@link Ring#initialise} (stress harnesses of this package). */
    static SpscRing over(MemorySegment memory, RingOptions options) {
        return new SpscRing(memory, "ring", options);
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
        return new SingleConsumer(this);
    }

    /** The pid of the process registered as producer, or empty if none is. */
    public OptionalLong producerPid() {
        return pidOf(producers.singleOwner());
    }

    /** The pid of the process registered as consumer, or empty if none is. */
    public OptionalLong consumerPid() {
        return pidOf(consumers.singleOwner());
    }

    /** True if a producer process is registered and has died (it did not release its producer first). */
    public boolean producerDied() {
        return died(producers.singleOwner());
    }

    /** True if a consumer process is registered and has died (it did not close its consumer first). */
    public boolean consumerDied() {
        return died(consumers.singleOwner());
    }

    private static OptionalLong pidOf(long owner) {
        return owner == ConsumerSlot.FREE ? OptionalLong.empty() : OptionalLong.of(ProcessIdentity.packedPid(owner));
    }

    private static boolean died(long owner) {
        return owner != ConsumerSlot.FREE && !ProcessIdentity.isPackedAlive(owner);
    }
}
