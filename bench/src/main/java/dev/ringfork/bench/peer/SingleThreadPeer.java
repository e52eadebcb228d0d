package dev.ringfork.bench.peer;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.BatchClaim;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static dev.ringfork.bench.peer.RingforkPeer.ID;
import static dev.ringfork.bench.peer.RingforkPeer.SEQ;

/**
 * The CPU cost per message with nothing shared between cores: one thread writes 256 messages (63 of 4 KiB), then
 * reads them back, over and over, on the same SPSC ring as the cross-process runs (a mapped file on
 * /dev/shm). No cache line moves between cores and no side ever waits, so what remains is the code
 * path itself: claim, copy, commit, read, release. {@code impl=ringfork-claim|ringfork-batch|agrona}; at least
 * {@code count} messages (whole bursts), timed from the first to the last read.
 */
final class SingleThreadPeer {

    private static final int MAX_BURST = 256;

    private SingleThreadPeer() {
    }

    static void run(String role, Args args, Control control) {
        int size = args.size();
        // A burst fills at most a quarter of the 1 MiB ring, so every claim succeeds.
        int burst = Math.min(MAX_BURST, (1 << 18) / (size + 8));
        Meter meter = new Meter(1, args.count(), false);
        switch (args.str("impl")) {
            case "ringfork-claim", "ringfork-batch" -> ringfork(args, control, meter, size, burst);
            case "agrona" -> agrona(args, control, meter, size, burst);
            default -> throw new IllegalArgumentException("impl=ringfork-claim|ringfork-batch|agrona");
        }
        control.sent(0, meter.received);
        PeerChild.result("consumer", meter.result());
    }

    private static void ringfork(Args args, Control control, Meter meter, int size, int burst) {
        boolean batch = args.str("impl").equals("ringfork-batch");
        try (SharedRegion region = RingforkPeer.region(args)) {
            SpscRing ring = SpscRing.open(region, "ring", RingforkPeer.options(args));
            RingProducer producer = ring.producer();
            MemorySegment payload = Arena.ofAuto().allocate(size, 8);
            try (RingConsumer consumer = ring.consumer()) {
                dev.ringfork.core.ring.MessageHandler handler = RingforkPeer.checking(meter, size);
                control.signalReady();
                control.awaitPast(Control.INIT);
                long seq = 0;
                while (!meter.done()) {
                    if (batch) {
                        for (int left = burst; left > 0; ) {
                            BatchClaim run = producer.tryClaimBatch(1, size, left);
                            MemorySegment target = run.segment();
                            for (int i = 0; i < run.count(); i++) {
                                long offset = run.offset(i);
                                MemorySegment.copy(payload, 12, target, offset + 12, size - 12);
                                target.set(SEQ, offset, seq++);
                                target.set(ID, offset + 8, 0);
                            }
                            run.commit();
                            left -= run.count();
                        }
                    } else {
                        for (int i = 0; i < burst; i++) {
                            RingClaim claim = producer.tryClaim(1, size);
                            MemorySegment buffer = claim.buffer();
                            MemorySegment.copy(payload, 12, buffer, 12, size - 12);
                            buffer.set(SEQ, 0, seq++);
                            buffer.set(ID, 8, 0);
                            claim.commit();
                        }
                    }
                    while (consumer.read(handler, burst) > 0) {
                        // drain the burst
                    }
                }
            }
        }
    }

    private static void agrona(Args args, Control control, Meter meter, int size, int burst) {
        OneToOneRingBuffer ring = AgronaPeer.oneToOne(args.dir().resolve("ring.agrona"), 1 << 20);
        AtomicBuffer buffer = ring.buffer();
        UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        org.agrona.concurrent.MessageHandler handler = (type, b, index, length) ->
                meter.check(b.getLong(index), b.getInt(index + 8), length, size);
        control.signalReady();
        control.awaitPast(Control.INIT);
        long seq = 0;
        while (!meter.done()) {
            for (int i = 0; i < burst; i++) {
                int index = ring.tryClaim(1, size);
                buffer.putBytes(index + 12, payload, 12, size - 12);
                buffer.putLong(index, seq++);
                buffer.putInt(index + 8, 0);
                ring.commit(index);
            }
            while (ring.read(handler, burst) > 0) {
                // drain the burst
            }
        }
    }
}
