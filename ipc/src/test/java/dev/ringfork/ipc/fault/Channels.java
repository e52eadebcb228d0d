package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.MpmcRing;
import dev.ringfork.core.ring.MpscRing;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.ipc.channel.ElementHandler;
import dev.ringfork.ipc.channel.QueueOptions;
import dev.ringfork.ipc.channel.SharedQueue;
import dev.ringfork.ipc.codec.Codec;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The structures the ring and queue cells run over, behind one face: a writer that sends self-checking
 * payloads, a reader that records them in {@link Seen} before the structure releases them.
 */
enum Channels {
    SPSC, MPSC, MPMC, QUEUE;

    static final int CAPACITY = 16 * 1024;
    static final int BATCH = 64;
    static final Duration STALL = Duration.ofMillis(200);
    private static final int TYPE = 1;

    boolean sharedReaders() {
        return this == MPMC || this == QUEUE;
    }

    boolean sharedWriters() {
        return this != SPSC;
    }

    Ring ring(SharedRegion region) {
        RingOptions options = RingOptions.defaults().withCapacity(CAPACITY).withStallTimeout(STALL);
        return switch (this) {
            case SPSC -> SpscRing.open(region, "r", options);
            case MPSC -> MpscRing.open(region, "r", options);
            case MPMC -> MpmcRing.open(region, "r", options);
            case QUEUE -> throw new IllegalStateException("a queue, not a ring");
        };
    }

    SharedQueue<byte[]> queue(SharedRegion region) {
        return SharedQueue.open(region, "q", Codec.bytes(), QueueOptions.defaults().withCapacity(CAPACITY).withStallTimeout(STALL));
    }

    /** Closes the stream for writing (the trial's parent does it when every writer is done). */
    void close(SharedRegion region) {
        if (this == QUEUE) {
            queue(region).close();
        } else {
            ring(region).close();
        }
    }

    long lost(SharedRegion region) {
        return this == QUEUE ? queue(region).lostElements() : ring(region).lostMessages();
    }

    /** Sends seq 0..count-1 of {@code producer}, counting each commit in {@code committed} right after it. */
    void write(SharedRegion region, int producer, long count, Runnable afterEach) throws InterruptedException {
        if (this == QUEUE) {
            SharedQueue<byte[]> queue = queue(region);
            for (long seq = 0; seq < count; seq++) {
                queue.put(Seen.payload(producer, seq));
                afterEach.run();
            }
            return;
        }
        RingProducer out = ring(region).producer();
        for (long seq = 0; seq < count; seq++) {
            RingClaim claim = out.claim(TYPE, Seen.PAYLOAD, 60, TimeUnit.SECONDS);
            if (claim == null) {
                throw new IllegalStateException("no room for 60 s at seq " + seq);
            }
            Seen.write(claim.buffer(), producer, seq);
            claim.commit();
            afterEach.run();
        }
    }

    /**
     * Reads until the end of the stream, recording each payload before it is released, with {@code micros}
     * of work per payload.
     */
    void read(SharedRegion region, Seen seen, int micros) throws InterruptedException {
        if (this == QUEUE) {
            SharedQueue<byte[]> queue = queue(region);
            ElementHandler<byte[]> record = payload -> {
                seen.deliver(payload);
                Seen.work(micros);
            };
            for (int n; (n = queue.drain(record, BATCH, 60, TimeUnit.SECONDS)) >= 0; ) {
                if (n == 0) {
                    throw new IllegalStateException("nothing and no end of stream for 60 s");
                }
            }
            queue.detach();
            return;
        }
        MessageHandler record = (type, message) -> {
            seen.deliver(message);
            Seen.work(micros);
        };
        try (RingConsumer in = ring(region).consumer()) {
            for (int n; (n = in.read(record, BATCH, 60, TimeUnit.SECONDS)) >= 0; ) {
                if (n == 0) {
                    throw new IllegalStateException("nothing and no end of stream for 60 s");
                }
            }
        }
    }
}
