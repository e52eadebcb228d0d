package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.sync.WaitStrategy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SharedQueue} is made and waited on. Capacity, consumer slots and the SPSC choice matter
 * only when the queue is created (later openers attach to what exists); the wait strategy and stall
 * timeout are per attachment.
 * <pre>{@code
 * QueueOptions opts = QueueOptions.defaults().withCapacity(1 << 20).withWaitStrategy(WaitStrategy.yielding());
 * }</pre>
 *
 * @param capacity           ring bytes, a power of two from 1 KiB to 1 GiB (default 256 KiB); the largest
 *                           element is an eighth of it less 8 bytes. The region must have room for it.
 * @param consumerSlots      how many threads, over all processes, may take at once (default 64): each
 *                           taking thread holds one slot until it ends or {@link SharedQueue#detach()}
 * @param waitStrategy       how blocking calls wait (default {@link WaitStrategy#adaptive()})
 * @param stallTimeout       after how long a dead producer's or consumer's share of the ring is reclaimed
 *                           (default 1 s)
 * @param singleProducerSingleConsumer the SPSC fast path: exactly one producing and one consuming handle
 *                           over all processes (each may still be used by several threads, in turn)
 */
public record QueueOptions(int capacity, int consumerSlots, WaitStrategy waitStrategy, Duration stallTimeout,
                           boolean singleProducerSingleConsumer) {

    public static final int DEFAULT_CAPACITY = 256 << 10;
    public static final int DEFAULT_CONSUMER_SLOTS = 64;

    public QueueOptions {
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        toRingOptions(capacity, consumerSlots, waitStrategy, stallTimeout); // validates
    }

    public static QueueOptions defaults() {
        return new QueueOptions(DEFAULT_CAPACITY, DEFAULT_CONSUMER_SLOTS, WaitStrategy.adaptive(), Duration.ofSeconds(1), false);
    }

    public QueueOptions withCapacity(int capacity) {
        return new QueueOptions(capacity, consumerSlots, waitStrategy, stallTimeout, singleProducerSingleConsumer);
    }

    public QueueOptions withConsumerSlots(int consumerSlots) {
        return new QueueOptions(capacity, consumerSlots, waitStrategy, stallTimeout, singleProducerSingleConsumer);
    }

    public QueueOptions withWaitStrategy(WaitStrategy waitStrategy) {
        return new QueueOptions(capacity, consumerSlots, waitStrategy, stallTimeout, singleProducerSingleConsumer);
    }

    public QueueOptions withStallTimeout(Duration stallTimeout) {
        return new QueueOptions(capacity, consumerSlots, waitStrategy, stallTimeout, singleProducerSingleConsumer);
    }

    /** The SPSC fast path (an {@code SpscRing}): one producer and one consumer, over all processes. */
    public QueueOptions withSingleProducerSingleConsumer(boolean spsc) {
        return new QueueOptions(capacity, consumerSlots, waitStrategy, stallTimeout, spsc);
    }

    /** The options of the underlying ring. */
    public RingOptions ringOptions() {
        return toRingOptions(capacity, consumerSlots, waitStrategy, stallTimeout);
    }

    private static RingOptions toRingOptions(int capacity, int consumerSlots, WaitStrategy waitStrategy, Duration stallTimeout) {
        return RingOptions.defaults().withCapacity(capacity).withConsumerSlots(consumerSlots)
                .withWaitStrategy(waitStrategy).withStallTimeout(stallTimeout);
    }
}
