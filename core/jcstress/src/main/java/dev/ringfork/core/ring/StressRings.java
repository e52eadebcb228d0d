package dev.ringfork.core.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/** Small rings in plain native memory, one per jcstress state, and the payload the tests write. */
final class StressRings {

    static final RingOptions OPTIONS = RingOptions.defaults().withCapacity(RingLayout.MIN_CAPACITY)
            .withConsumerSlots(4).withProducerSlots(4).withStallTimeout(Duration.ofSeconds(10));
    static final int TYPE = 1;
    /** Every message is two copies of one long: a torn one shows as two different halves. */
    static final int LENGTH = 16;

    private StressRings() {
    }

    static Ring ring(RingKind kind) {
        int[] slots = RingLayout.slots(kind, OPTIONS);
        MemorySegment memory = Arena.ofAuto().allocate(RingLayout.totalLength(OPTIONS.capacity(), slots[0], slots[1]), 4096);
        Ring.initialise(memory, kind, OPTIONS);
        return switch (kind) {
            case SPSC -> SpscRing.over(memory, OPTIONS);
            case MPSC -> MpscRing.over(memory, OPTIONS);
            case MPMC -> MpmcRing.over(memory, OPTIONS);
        };
    }

    /** Claims, writes {@code value} twice, commits. */
    static void send(RingProducer producer, long value) {
        RingClaim claim = producer.tryClaim(TYPE, LENGTH);
        if (claim == null) {
            throw new IllegalStateException("no room in a fresh ring");
        }
        MemorySegment buffer = claim.buffer();
        buffer.set(ValueLayout.JAVA_LONG, 0, value);
        buffer.set(ValueLayout.JAVA_LONG, 8, value);
        claim.commit();
    }

    /** The value of a message, or -2 if its halves differ (torn) or its length is wrong. */
    static long value(int type, MemorySegment message) {
        if (type != TYPE || message.byteSize() != LENGTH) {
            return -3;
        }
        long first = message.get(ValueLayout.JAVA_LONG, 0);
        return first == message.get(ValueLayout.JAVA_LONG, 8) ? first : -2;
    }
}
