package dev.ringfork.core.ring;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;

/**
 * Shared helpers of the ring tests: opening a ring of any kind, self-checking payloads, and a consumer-side
 * tracker that proves exactly-once delivery and per-producer order.
 */
final class RingTesting {

    static final String REGION = "rings";
    static final String RING = "ring";
    static final int TYPE = 7;
    /** Every wait on a child or a ring in these tests; generous, the machine is small and shared. */
    static final Duration STEP = Duration.ofSeconds(60);

    private RingTesting() {
    }

    static RegionOptions regionOptions(Path directory) {
        return RegionOptions.defaults().withDirectory(directory).withSize(2 << 20);
    }

    static RingOptions options(int capacity, long stallMillis) {
        return RingOptions.defaults().withCapacity(capacity).withStallTimeout(Duration.ofMillis(stallMillis));
    }

    /**
     * How many records of {@code aligned} bytes an empty ring of {@code capacity} bytes takes: an SPSC
     * ring keeps a header's room free past its tail (its producer zeroes that word, see SingleProducer).
     */
    static int recordsThatFit(RingKind kind, int capacity, int aligned) {
        return (capacity - (kind == RingKind.SPSC ? RecordLayout.HEADER_LENGTH : 0)) / aligned;
    }

    static Ring open(RingKind kind, SharedRegion region, String name, RingOptions options) {
        return switch (kind) {
            case SPSC -> SpscRing.open(region, name, options);
            case MPSC -> MpscRing.open(region, name, options);
            case MPMC -> MpmcRing.open(region, name, options);
        };
    }

    /**
     * Self-checking message: producer id (4), sequence number (4), filler derived from both, then an FNV-1a
     * checksum (8) over everything before it. Its length is a function of producer and sequence, so a
     * torn, truncated or misplaced record is caught too.
     */
    /** Offers messages {@code from} until {@code to} (producer 0) of {@code length} bytes; each must fit now. */
    static void offerSeqs(RingProducer producer, int from, int to, int length) {
        for (int seq = from; seq < to; seq++) {
            org.junit.jupiter.api.Assertions.assertTrue(producer.offer(TYPE, Payload.ofLength(0, seq, length)), "room for " + seq);
        }
    }

    static final class Payload {
        static final int MIN_LENGTH = 16;

        private Payload() {
        }

        /** Lengths 16..(16 + spread - 1), deliberately not multiples of 8. */
        static int length(int producer, int seq, int spread) {
            return MIN_LENGTH + Math.floorMod(seq * 37 + producer * 11, spread);
        }

        static int length(int producer, int seq) {
            return length(producer, seq, 241);
        }

        static MemorySegment of(int producer, int seq) {
            MemorySegment segment = MemorySegment.ofArray(new byte[length(producer, seq)]);
            write(segment, producer, seq);
            return segment;
        }

        static void write(MemorySegment target, int producer, int seq) {
            int length = (int) target.byteSize();
            target.set(ValueLayout.JAVA_INT_UNALIGNED, 0, producer);
            target.set(ValueLayout.JAVA_INT_UNALIGNED, 4, seq);
            for (int i = 8; i < length - 8; i++) {
                target.set(ValueLayout.JAVA_BYTE, i, filler(producer, seq, i));
            }
            target.set(ValueLayout.JAVA_LONG_UNALIGNED, length - 8, checksum(target, length - 8));
        }

        /** Checks the message and returns {@code producer << 32 | seq}; throws AssertionError if damaged. */
        static long verify(MemorySegment message, int spread) {
            int length = (int) message.byteSize();
            if (length < MIN_LENGTH) {
                throw new AssertionError("message of " + length + " bytes is shorter than any payload");
            }
            int producer = message.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            int seq = message.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
            if (length != length(producer, seq, spread)) {
                throw new AssertionError("producer " + producer + " seq " + seq + ": length " + length
                        + ", expected " + length(producer, seq, spread));
            }
            return verifyContent(message);
        }

        /** A payload of {@code length} bytes (at least {@link #MIN_LENGTH}), whatever its producer and seq. */
        static MemorySegment ofLength(int producer, int seq, int length) {
            MemorySegment segment = MemorySegment.ofArray(new byte[length]);
            write(segment, producer, seq);
            return segment;
        }

        /** {@link #verify} without the length rule, for payloads made by {@link #ofLength}. */
        static long verifyContent(MemorySegment message) {
            int length = (int) message.byteSize();
            if (length < MIN_LENGTH) {
                throw new AssertionError("message of " + length + " bytes is shorter than any payload");
            }
            int producer = message.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            int seq = message.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
            long sum = message.get(ValueLayout.JAVA_LONG_UNALIGNED, length - 8);
            if (sum != checksum(message, length - 8)) {
                throw new AssertionError("producer " + producer + " seq " + seq + ": bad checksum");
            }
            for (int i = 8; i < length - 8; i++) {
                if (message.get(ValueLayout.JAVA_BYTE, i) != filler(producer, seq, i)) {
                    throw new AssertionError("producer " + producer + " seq " + seq + ": bad filler at " + i);
                }
            }
            return ((long) producer << 32) | (seq & 0xFFFF_FFFFL);
        }

        static long verify(MemorySegment message) {
            return verify(message, 241);
        }

        private static byte filler(int producer, int seq, int i) {
            return (byte) (producer * 31 + seq * 7 + i);
        }

        private static long checksum(MemorySegment segment, int length) {
            long hash = 0xcbf29ce484222325L;
            for (int i = 0; i < length; i++) {
                hash ^= segment.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                hash *= 0x100000001b3L;
            }
            return hash;
        }
    }

    /**
     * What one consumer received: a bit per (producer, seq), duplicates and order violations as errors.
     * Strict order: every producer's messages arrive as 0, 1, 2, ... (SPSC, MPSC). Otherwise each
     * producer's sequence numbers only grow within this consumer (MPMC).
     */
    static final class Tracker implements MessageHandler {
        final int producers;
        final boolean strictOrder;
        /** No order check at all: only integrity and exactly-once. */
        private boolean anyOrder;
        final BitSet[] seen;
        final int[] last;
        final List<String> errors = new ArrayList<>();
        long count;

        Tracker(int producers, boolean strictOrder) {
            this.producers = producers;
            this.strictOrder = strictOrder;
            this.seen = new BitSet[producers];
            this.last = new int[producers];
            for (int p = 0; p < producers; p++) {
                seen[p] = new BitSet();
                last[p] = -1;
            }
        }

        /** A tracker that checks integrity and exactly-once, not order (redelivered messages arrive late). */
        static Tracker anyOrder(int producers) {
            Tracker tracker = new Tracker(producers, false);
            tracker.anyOrder = true;
            return tracker;
        }

        @Override
        public void onMessage(int type, MemorySegment message) {
            long id;
            try {
                if (type != TYPE) {
                    throw new AssertionError("type " + type + ", expected " + TYPE);
                }
                id = Payload.verify(message);
            } catch (AssertionError e) {
                error(e.getMessage());
                return;
            }
            int producer = (int) (id >>> 32);
            int seq = (int) id;
            if (producer < 0 || producer >= producers || seq < 0) {
                error("unknown producer " + producer + " seq " + seq);
                return;
            }
            if (seen[producer].get(seq)) {
                error("duplicate: producer " + producer + " seq " + seq);
            } else if (!anyOrder && (strictOrder ? seq != last[producer] + 1 : seq <= last[producer])) {
                error("order: producer " + producer + " seq " + seq + " after " + last[producer]);
            }
            seen[producer].set(seq);
            last[producer] = Math.max(last[producer], seq);
            count++;
        }

        private void error(String message) {
            if (errors.size() < 20) {
                errors.add(message);
            }
        }

        /** Report lines for a child's stdout: "SEEN p base64", "ERROR text", then "DONE count errors". */
        List<String> report() {
            List<String> lines = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                lines.add("SEEN " + p + " " + Base64.getEncoder().encodeToString(seen[p].toByteArray()));
            }
            errors.forEach(e -> lines.add("ERROR " + e));
            lines.add("DONE " + count + " " + errors.size());
            return lines;
        }

        static BitSet decode(String base64) {
            return BitSet.valueOf(Base64.getDecoder().decode(base64));
        }
    }
}
