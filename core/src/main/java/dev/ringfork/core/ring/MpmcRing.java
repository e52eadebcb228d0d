package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.SharedRegion;

import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * Many producers, many competing consumers: every message goes to exactly one consumer, which reads it
 * in place (the work-distribution queue). Each consumer owns a slot of the consumer table while it
 * exists ({@link RingOptions#consumerSlots()}, default 16); close consumers you no longer use.
 *
 * <p>A consumer that dies while holding records is found by a producer that waits for room longer than
 * the stall timeout: its records are counted in {@link #lostMessages()}, its space and slot are freed.
 */
public final class MpmcRing extends Ring {

    private MpmcRing(SharedRegion region, String name, RingOptions options) {
        super(region, name, RingKind.MPMC, options);
    }

    /** Creates the ring in slot {@code name} of the region, or attaches to it. */
    public static MpmcRing open(SharedRegion region, String name, RingOptions options) {
        return new MpmcRing(region, name, options);
    }

    /** {@link #open(SharedRegion, String, RingOptions)} with default options. */
    public static MpmcRing open(SharedRegion region, String name) {
        return open(region, name, RingOptions.defaults());
    }

    @Override
    public RingProducer producer() {
        return new MultiProducer(this, SELF_PID);
    }

    /**
     * A new consumer, in a free slot of the consumer table.
     *
     * @throws IllegalStateException if every slot is held by a live consumer
     */
    @Override
    public RingConsumer consumer() {
        int slot = ConsumerSlot.acquire(ring, consumerSlots, ProcessIdentity.current());
        if (slot < 0) {
            recoverDeadConsumers();
            slot = ConsumerSlot.acquire(ring, consumerSlots, ProcessIdentity.current());
        }
        if (slot < 0) {
            throw new IllegalStateException("all " + consumerSlots + " consumer slots of ring '" + name
                    + "' are in use: close unused consumers, or create the ring with more consumerSlots");
        }
        return new SharedConsumer(this, slot);
    }

    /** The head, or the earliest position a consumer still reads from, whichever is smaller. */
    @Override
    long freePosition() {
        // Head first, then the slots (acquire: pairs with each consumer's release of IDLE after zeroing).
        long free = (long) LONG.getAcquire(ring, RingLayout.HEAD_OFFSET);
        for (int i = 0; i < consumerSlots; i++) {
            long reading = (long) LONG.getAcquire(ring, ConsumerSlot.base(i) + ConsumerSlot.READING_OFFSET);
            if (reading < free) {
                free = reading;
            }
        }
        return free;
    }

    /**
     * Frees the slots of dead consumers: the records such a consumer took are counted as lost, their space
     * zeroed and given back. One recoverer per slot (the owner word moves to RECOVERING first).
     */
    @Override
    void recoverDeadConsumers() {
        for (int i = 0; i < consumerSlots; i++) {
            long base = ConsumerSlot.base(i);
            long owner = (long) LONG.getVolatile(ring, base + ConsumerSlot.OWNER_OFFSET);
            if (owner == ConsumerSlot.FREE || owner == ConsumerSlot.RECOVERING || ConsumerSlot.ownerAlive(owner)
                    || !LONG.compareAndSet(ring, base + ConsumerSlot.OWNER_OFFSET, owner, ConsumerSlot.RECOVERING)) {
                continue;
            }
            long reading = (long) LONG.getVolatile(ring, base + ConsumerSlot.READING_OFFSET);
            if (reading != ConsumerSlot.IDLE) {
                long limit = (long) LONG.getVolatile(ring, RingLayout.HEAD_OFFSET);
                for (int j = 0; j < consumerSlots; j++) {
                    long other = (long) LONG.getVolatile(ring, ConsumerSlot.base(j) + ConsumerSlot.READING_OFFSET);
                    if (j != i && other > reading && other < limit) {
                        limit = other; // a live consumer's records start there: not ours to free
                    }
                }
                countLost(countMessages(buffer, capacity - 1, reading, limit));
                zero(reading, limit);
            }
            ConsumerSlot.free(ring, i);
            spaceBell.ring();
        }
    }
}
