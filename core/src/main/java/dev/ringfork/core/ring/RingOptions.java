package dev.ringfork.core.ring;

import dev.ringfork.core.sync.WaitStrategy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a ring is made and waited on. Capacity and consumer slots matter only when the ring is created;
 * the rest is per attachment.
 * <pre>{@code
 * RingOptions opts = RingOptions.defaults().withCapacity(1 << 20).withWaitStrategy(WaitStrategy.busySpin());
 * }</pre>
 *
 * @param capacity      buffer bytes, a power of two from 1 KiB to 1 GiB (default 1 MiB); the largest
 *                      message is an eighth of it less 8 bytes
 * @param consumerSlots MPMC only: how many consumers may attach at once (default 16)
 * @param producerSlots MPSC and MPMC only: how many producing threads (over all processes) may write at
 *                      once (default 64); each thread that writes holds one while it lives
 * @param waitStrategy  how blocking calls wait (default {@link WaitStrategy#adaptive()})
 * @param stallTimeout  how long a record may stay unfinished before consumers check whether its writer
 *                      died and skip it, and how often a waiting reader or writer checks for dead peers
 *                      (default 1 s, at least {@link #MIN_STALL_TIMEOUT})
 */
public record RingOptions(int capacity, int consumerSlots, int producerSlots, WaitStrategy waitStrategy, Duration stallTimeout) {

    public static final int DEFAULT_CAPACITY = 1 << 20;
    public static final int DEFAULT_CONSUMER_SLOTS = 16;
    public static final int DEFAULT_PRODUCER_SLOTS = 64;
    /** The shortest stall timeout: a waiting call sleeps between upkeeps, so they must be this far apart. */
    public static final Duration MIN_STALL_TIMEOUT = Duration.ofMillis(10);

    public RingOptions {
        if (Integer.bitCount(capacity) != 1 || capacity < RingLayout.MIN_CAPACITY || capacity > RingLayout.MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity must be a power of two from " + RingLayout.MIN_CAPACITY
                    + " to " + RingLayout.MAX_CAPACITY + " bytes, was " + capacity);
        }
        if (consumerSlots < 1 || consumerSlots > RingLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("consumerSlots must be 1 to " + RingLayout.MAX_SLOTS + ", was " + consumerSlots);
        }
        if (producerSlots < 1 || producerSlots > RingLayout.MAX_SLOTS) {
            throw new IllegalArgumentException("producerSlots must be 1 to " + RingLayout.MAX_SLOTS + ", was " + producerSlots);
        }
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (stallTimeout.compareTo(MIN_STALL_TIMEOUT) < 0) {
            throw new IllegalArgumentException("stallTimeout must be at least " + MIN_STALL_TIMEOUT.toMillis()
                    + " ms (it also paces the upkeep of every waiting reader and writer, which would then spin), was "
                    + stallTimeout);
        }
    }

    public static RingOptions defaults() {
        return new RingOptions(DEFAULT_CAPACITY, DEFAULT_CONSUMER_SLOTS, DEFAULT_PRODUCER_SLOTS, WaitStrategy.adaptive(),
                Duration.ofSeconds(1));
    }

    public RingOptions withCapacity(int capacity) {
        return new RingOptions(capacity, consumerSlots, producerSlots, waitStrategy, stallTimeout);
    }

    public RingOptions withConsumerSlots(int consumerSlots) {
        return new RingOptions(capacity, consumerSlots, producerSlots, waitStrategy, stallTimeout);
    }

    public RingOptions withProducerSlots(int producerSlots) {
        return new RingOptions(capacity, consumerSlots, producerSlots, waitStrategy, stallTimeout);
    }

    public RingOptions withWaitStrategy(WaitStrategy waitStrategy) {
        return new RingOptions(capacity, consumerSlots, producerSlots, waitStrategy, stallTimeout);
    }

    public RingOptions withStallTimeout(Duration stallTimeout) {
        return new RingOptions(capacity, consumerSlots, producerSlots, waitStrategy, stallTimeout);
    }
}
