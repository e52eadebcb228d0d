package dev.ringfork.core.ring;

import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.testing.Fuzz;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ringfork.core.ring.RingLayout.INT;
import static dev.ringfork.core.ring.RingLayout.LONG;
import static dev.ringfork.core.ring.RingTesting.TYPE;

/**
 * A fuzzer over ring states: a ring of each kind is run to a random point (messages written, some read,
 * a claim left open), then random words of it are damaged (tail, head, record headers, producer and
 * consumer slots, the state line), and a random operation is made on it. Whatever the state, every call
 * returns by its deadline (plus a bound), sleeps rather than spins once its spin phase is over, and
 * throws only what the ring documents: {@link RingCorruptedException}, {@link RingClosedException}, or an
 * {@link IllegalStateException} about its slots. Never an index, alignment or null-pointer exception,
 * never a hang, never a JVM crash.
 */
class RingStateFuzzTest {

    static final int CAPACITY = 4096;
    static final RingOptions OPTIONS = RingOptions.defaults().withCapacity(CAPACITY).withStallTimeout(Duration.ofMillis(20))
            .withConsumerSlots(4).withProducerSlots(4);
    /** Timed calls wait this long; each must be back within {@link #BOUND}. */
    static final long TIMEOUT_MILLIS = 40;
    static final Duration BOUND = Duration.ofSeconds(3);

    /** One damage: which word, and the value written there. */
    record Damage(Target target, int where, long value) {
    }

    enum Target { TAIL, HEAD, HEADER, PRODUCER_OWNER, PRODUCER_CLAIM, CONSUMER_READING, CONSUMER_OWNER, CONSUMER_END,
        CONSUMER_PHASE, CLOSED, ORPHANS, CORRUPT_FLAG }

    enum Operation { READ, READ_TIMED, OFFER, CLAIM_TIMED, BATCH_TIMED, NEW_CONSUMER, NEW_PRODUCER, END_OF_STREAM }

    static Damage damage(Random random) {
        long value = switch (random.nextInt(7)) {
            case 0 -> random.nextLong(); // anything
            case 1 -> Fuzz.between(random, -2L * CAPACITY, 4L * CAPACITY); // near the live positions
            case 2 -> Fuzz.between(random, -CAPACITY, 4L * CAPACITY) & ~7L; // near and aligned
            case 3 -> RecordLayout.header(random.nextInt(), TYPE); // a header of any length
            case 4 -> RecordLayout.header((int) Fuzz.between(random, -CAPACITY, CAPACITY), 1);
            case 5 -> RecordLayout.header(-64, random.nextInt()); // "being written" by anyone
            default -> Fuzz.pick(random, 0L, -1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE, 1L, 8L);
        };
        return new Damage(Fuzz.pick(random, Target.values()), random.nextInt(64), value);
    }

    @Test
    void everyCallReturnsInTimeAndThrowsOnlyWhatIsDocumented() {
        Fuzz.run("ring states", random -> trial(Fuzz.pick(random, RingKind.values()), random.nextInt(81),
                random.nextInt(81), random.nextBoolean(),
                Stream.generate(() -> damage(random)).limit(1 + random.nextInt(4)).toList(),
                Fuzz.pick(random, Operation.values())));
    }

    private static String trial(RingKind kind, int written, int read, boolean leaveClaimOpen, List<Damage> damages,
                                Operation operation) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            Ring ring = ring(kind, arena);
            RingProducer producer = ring.producer();
            RingConsumer consumer = ring.consumer();
            for (int seq = 0; seq < written && producer.offer(TYPE, Payload.of(0, seq)); seq++) {
                if (seq < read) {
                    consumer.read((type, message) -> { }, 1);
                }
            }
            if (leaveClaimOpen) {
                producer.tryClaim(TYPE, 24); // never committed: a writer stopped mid-message
            }
            for (Damage damage : damages) {
                apply(ring, damage);
            }
            RingWaitBoundsTest.Timed<Object> call;
            try {
                call = RingWaitBoundsTest.bounded(BOUND, operation + " on a damaged " + kind + " ring " + damages,
                        () -> operate(ring, producer, consumer, operation));
            } catch (RingCorruptedException | RingClosedException expected) {
                return expected.getClass().getSimpleName();
            } catch (IllegalStateException e) {
                String message = String.valueOf(e.getMessage());
                if (message.contains("slots") || message.contains("already has a") || message.contains("is closed")) {
                    return "slot refusal"; // documented: a table full of (apparently) live owners, or a role held elsewhere
                }
                throw e;
            }
            if (!call.slept()) {
                throw new AssertionError(operation + " spun: " + call.describe() + " on " + damages);
            }
            return "returned";
        }
    }

    private static Ring ring(RingKind kind, Arena arena) {
        int[] slots = RingLayout.slots(kind, OPTIONS);
        MemorySegment memory = arena.allocate(RingLayout.totalLength(CAPACITY, slots[0], slots[1]), 4096);
        Ring.initialise(memory, kind, OPTIONS);
        return switch (kind) {
            case SPSC -> SpscRing.over(memory, OPTIONS);
            case MPSC -> MpscRing.over(memory, OPTIONS);
            case MPMC -> MpmcRing.over(memory, OPTIONS);
        };
    }

    private static void apply(Ring ring, Damage damage) {
        MemorySegment m = ring.ring;
        int producerSlot = damage.where() % ring.producerSlots;
        int consumerSlot = damage.where() % ring.consumerSlots;
        switch (damage.target()) {
            case TAIL -> LONG.setVolatile(m, RingLayout.TAIL_OFFSET, damage.value());
            case HEAD -> LONG.setVolatile(m, RingLayout.HEAD_OFFSET, damage.value());
            case HEADER -> {
                long head = (long) LONG.getVolatile(m, RingLayout.HEAD_OFFSET);
                long at = ((head & ~7L) + 8L * damage.where()) & (ring.capacity - 1);
                LONG.setVolatile(ring.buffer, at, damage.value());
            }
            case PRODUCER_OWNER -> LONG.setVolatile(m, ProducerSlot.base(producerSlot) + ProducerSlot.OWNER_OFFSET, damage.value());
            case PRODUCER_CLAIM -> LONG.setVolatile(m, ProducerTable.claiming(producerSlot), damage.value());
            case CONSUMER_READING -> LONG.setVolatile(m, ring.consumers.at(consumerSlot, ConsumerSlot.READING_OFFSET), damage.value());
            case CONSUMER_OWNER -> LONG.setVolatile(m, ring.consumers.at(consumerSlot, ConsumerSlot.OWNER_OFFSET), damage.value());
            case CONSUMER_END -> LONG.setVolatile(m, ring.consumers.at(consumerSlot, ConsumerSlot.END_OFFSET), damage.value());
            case CONSUMER_PHASE -> INT.setVolatile(m, ring.consumers.at(consumerSlot, ConsumerSlot.PHASE_OFFSET), (int) damage.value());
            case CLOSED -> INT.setVolatile(m, RingLayout.CLOSED_OFFSET, (int) damage.value());
            case ORPHANS -> INT.setVolatile(m, RingLayout.ORPHANS_OFFSET, (int) damage.value());
            case CORRUPT_FLAG -> INT.setVolatile(m, RingLayout.CORRUPT_OFFSET, (int) damage.value());
        }
    }

    private static Object operate(Ring ring, RingProducer producer, RingConsumer consumer, Operation operation) throws Exception {
        MessageHandler ignore = (type, message) -> message.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return switch (operation) {
            case READ -> consumer.read(ignore, 16);
            case READ_TIMED -> consumer.read(ignore, 16, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            case OFFER -> producer.offer(TYPE, Payload.of(1, 0));
            case CLAIM_TIMED -> {
                RingClaim claim = producer.claim(TYPE, 32, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                if (claim != null) {
                    claim.commit();
                }
                yield claim != null;
            }
            case BATCH_TIMED -> {
                BatchClaim batch = producer.claimBatch(TYPE, 16, 8, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    batch.commit();
                }
                yield batch != null;
            }
            case NEW_CONSUMER -> {
                try (RingConsumer other = ring.consumer()) {
                    yield other.read(ignore, 16, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
            case NEW_PRODUCER -> ring.producer().offer(TYPE, Payload.of(2, 0), TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            case END_OF_STREAM -> consumer.isEndOfStream();
        };
    }
}
