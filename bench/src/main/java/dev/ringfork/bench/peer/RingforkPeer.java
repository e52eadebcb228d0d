package dev.ringfork.bench.peer;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.BatchClaim;
import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.MpmcRing;
import dev.ringfork.core.ring.MpscRing;
import dev.ringfork.core.ring.Ring;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.WaitStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Ringfork's roles: rings in a region in the measurement's directory. Runs with no --add-opens or
 * --add-exports, only --enable-native-access.
 */
final class RingforkPeer {

    static final ValueLayout.OfLong SEQ = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt ID = ValueLayout.JAVA_INT_UNALIGNED;
    static final String REGION = "peers";
    static final int BATCH = 64;
    /**
     * Ping and pong rings (both peers): 4 KiB, so they wrap every ~100 trips and the wrap paths are
     * compiled during the warm-up, not first met (and deoptimized) in the measured trips.
     */
    static final int PING_RING = 4096;

    private RingforkPeer() {
    }

    static void run(String role, Args args, Control control) throws InterruptedException {
        try (SharedRegion region = region(args)) {
            RingOptions options = options(args);
            switch (role) {
                case "consumer" -> consumer(ring(region, args.str("kind"), "ring", options), args, control);
                case "producer" -> producer(ring(region, args.str("kind"), "ring", options), args, control);
                case "pinger" -> pinger(region, options, args, control);
                case "ponger" -> ponger(region, options, args, control);
                default -> throw new IllegalArgumentException("unknown role " + role);
            }
        }
    }

    /** The measurement's region, 64 MiB in its directory, created by whichever child comes first. */
    static SharedRegion region(Args args) {
        return SharedRegion.openOrCreate(REGION, RegionOptions.defaults().withDirectory(args.dir()).withSize(64L << 20));
    }

    static RingOptions options(Args args) {
        WaitStrategy wait = switch (args.str("wait", "spin")) {
            case "spin" -> WaitStrategy.busySpin();
            case "adaptive" -> WaitStrategy.adaptive();
            default -> throw new IllegalArgumentException("wait=spin|adaptive");
        };
        return RingOptions.defaults().withCapacity(args.integer("capacity", 1 << 20)).withWaitStrategy(wait)
                .withConsumerSlots(4);
    }

    static Ring ring(SharedRegion region, String kind, String name, RingOptions options) {
        return switch (kind) {
            case "spsc" -> SpscRing.open(region, name, options);
            case "mpsc" -> MpscRing.open(region, name, options);
            case "mpmc" -> MpmcRing.open(region, name, options);
            default -> throw new IllegalArgumentException("kind=spsc|mpsc|mpmc");
        };
    }

    /** A handler that checks each message (sequence number at 0, producer id at 8, its length) with the meter. */
    static MessageHandler checking(Meter meter, int size) {
        return (type, message) -> meter.check(message.get(SEQ, 0), message.get(ID, 8), message.byteSize(), size);
    }

    /**
     * Reads with no limit of its own (every message there is, as Agrona's samples read), checking every
     * message, until all the producers' messages arrived; nothing but the read runs between polls.
     * Competing (MPMC) consumers do not know their share: they read until the producers stopped and the
     * ring is empty.
     */
    static void consumer(Ring ring, Args args, Control control) {
        int size = args.size();
        int producers = args.producers();
        int limit = args.limit();
        boolean competing = ring instanceof MpmcRing;
        Meter meter = new Meter(producers, competing ? Long.MAX_VALUE : args.count() * producers, competing);
        MessageHandler handler = checking(meter, size);
        try (RingConsumer consumer = ring.consumer()) {
            control.signalReady();
            if (competing) {
                meter.drainCompeting(control, producers, () -> consumer.read(handler, limit) > 0, () -> ring.backlogBytes() == 0);
            } else {
                while (!meter.done()) {
                    if (consumer.read(handler, limit) == 0) {
                        Thread.onSpinWait();
                    }
                }
            }
            PeerChild.consumerDone(control, args.id(), meter);
        }
    }

    /**
     * mode=claim: one zero-copy claim and commit per message. mode=batch: batch claims of up to 64
     * messages, written in place and published with one release store per batch. Writes {@code count}
     * messages once the harness says RUN.
     */
    static void producer(Ring ring, Args args, Control control) {
        int size = args.size();
        int id = args.id();
        long count = args.count();
        RingProducer producer = ring.producer();
        MemorySegment payload = Arena.ofAuto().allocate(size, 8);
        for (int i = 0; i < size; i++) {
            payload.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        control.signalReady();
        long seq = 0;
        if (control.awaitPast(Control.INIT)) {
            seq = args.str("mode", "claim").equals("claim")
                    ? writeClaimed(producer, payload, size, id, count)
                    : writeBatches(producer, payload, size, id, count);
        }
        PeerChild.producerDone(control, id, seq);
    }

    /**
     * One zero-copy claim and commit per message: {@code size} bytes, the sequence number at 0, the
     * producer id at 8, the rest copied from {@code payload}; {@code count} messages. Returns how many were written.
     */
    static long writeClaimed(RingProducer producer, MemorySegment payload, int size, int id, long count) {
        long seq = 0;
        while (seq < count) {
            RingClaim claim = producer.tryClaim(1, size);
            if (claim == null) {
                Thread.onSpinWait();
                continue;
            }
            MemorySegment buffer = claim.buffer();
            MemorySegment.copy(payload, 12, buffer, 12, size - 12);
            buffer.set(SEQ, 0, seq);
            buffer.set(ID, 8, id);
            claim.commit();
            seq++;
        }
        return seq;
    }

    /** Batch claims of up to {@link #BATCH} messages, each filled in place as in {@link #writeClaimed} and committed together. */
    static long writeBatches(RingProducer producer, MemorySegment payload, int size, int id, long count) {
        long seq = 0;
        while (seq < count) {
            BatchClaim run = producer.tryClaimBatch(1, size, (int) Math.min(BATCH, count - seq));
            if (run == null) {
                Thread.onSpinWait();
                continue;
            }
            MemorySegment ring = run.segment();
            for (int i = 0; i < run.count(); i++) {
                long offset = run.offset(i);
                MemorySegment.copy(payload, 12, ring, offset + 12, size - 12);
                ring.set(SEQ, offset, seq++);
                ring.set(ID, offset + 8, id);
            }
            run.commit();
        }
        return seq;
    }

    static void pinger(SharedRegion region, RingOptions options, Args args, Control control) throws InterruptedException {
        RingProducer out = SpscRing.open(region, "ping", options.withCapacity(PING_RING)).producer();
        Trips trips = new Trips(args);
        long[] reply = {-1};
        MessageHandler onReply = (type, message) -> reply[0] = message.get(SEQ, 0);
        try (RingConsumer in = SpscRing.open(region, "pong", options.withCapacity(PING_RING)).consumer()) {
            control.signalReady();
            if (!control.awaitPast(Control.INIT)) {
                return;
            }
            trips.run((seq, intended) -> {
                RingClaim claim;
                while ((claim = out.tryClaim(1, 32)) == null) {
                    Thread.onSpinWait();
                }
                MemorySegment buffer = claim.buffer();
                buffer.set(SEQ, 0, seq);
                buffer.set(SEQ, 8, intended);
                long publish = -1;
                if (trips.parked()) {
                    long t0 = System.nanoTime();
                    claim.commit();
                    publish = System.nanoTime() - t0;
                } else {
                    claim.commit();
                }
                while (in.read(onReply, 1, 1, TimeUnit.SECONDS) <= 0) {
                    if (control.phase() >= Control.STOP) {
                        throw new IllegalStateException("stopped waiting for reply " + seq);
                    }
                }
                if (reply[0] != seq) {
                    throw new IllegalStateException("reply " + reply[0] + " to ping " + seq);
                }
                return publish;
            });
        }
        PeerChild.pingerDone(control, trips);
    }

    /** Echoes each ping into the pong ring until the harness says STOP (seen within a second: it blocks in read as an idle consumer does). */
    static void ponger(SharedRegion region, RingOptions options, Args args, Control control) throws InterruptedException {
        RingProducer out = SpscRing.open(region, "pong", options.withCapacity(PING_RING)).producer();
        MessageHandler echo = (type, message) -> {
            RingClaim claim;
            while ((claim = out.tryClaim(1, 32)) == null) {
                Thread.onSpinWait();
            }
            MemorySegment.copy(message, 0, claim.buffer(), 0, 32);
            claim.commit();
        };
        long echoed = 0;
        try (RingConsumer in = SpscRing.open(region, "ping", options.withCapacity(PING_RING)).consumer()) {
            control.signalReady();
            while (control.phase() < Control.STOP) {
                // Blocks as an idle consumer does (its idle CPU is measured); STOP is seen within a second.
                int n = in.read(echo, 16, 1, TimeUnit.SECONDS);
                if (n > 0) {
                    echoed += n;
                }
            }
        }
        PeerChild.result("ponger", "echoed=" + echoed);
    }
}
