package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedLong;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the consumers of a trial have received, in shared memory so that it survives a killed consumer:
 * one bit per (producer, sequence number), set atomically, and a count of deliveries that found their
 * bit already set (duplicates). Payloads are self-checking: producer, sequence, and a checksum of both.
 */
final class Seen {

    static final int PRODUCERS = 4;
    static final int MAX_SEQ = 1 << 20;
    static final int PAYLOAD = 24;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment bits;
    private final SharedLong duplicates;
    private final SharedLong corrupt;

    private Seen(SharedRegion region) {
        this.bits = region.bytes("seen", (long) PRODUCERS * MAX_SEQ / 8, 128);
        this.duplicates = region.sharedLong("duplicates");
        this.corrupt = region.sharedLong("corrupt");
    }

    static Seen in(SharedRegion region) {
        return new Seen(region);
    }

    /** Region bytes a trial needs for this bitmap, its counters and a ring of {@code ring} bytes. */
    static long regionBytes(int ring) {
        return (long) PRODUCERS * MAX_SEQ / 8 + ring + (1 << 20);
    }

    static byte[] payload(int producer, long seq) {
        ByteBuffer b = ByteBuffer.allocate(PAYLOAD).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(producer).putLong(seq).putLong(checksum(producer, seq));
        return b.array();
    }

    static void write(MemorySegment target, int producer, long seq) {
        target.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, producer);
        target.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, seq);
        target.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, checksum(producer, seq));
    }

    private static long checksum(long producer, long seq) {
        return (producer * 0x9E3779B97F4A7C15L) ^ (seq * 0xC2B2AE3D27D4EB4FL) ^ 0x5DEECE66DL;
    }

    /** Records a delivered payload: marks its bit, counts it as a duplicate or as corrupt. */
    void deliver(MemorySegment message) {
        if (message.byteSize() != PAYLOAD) {
            corrupt.incrementAndGet();
            return;
        }
        long producer = message.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        long seq = message.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
        if (producer < 0 || producer >= PRODUCERS || seq < 0 || seq >= MAX_SEQ
                || message.get(ValueLayout.JAVA_LONG_UNALIGNED, 16) != checksum(producer, seq)) {
            corrupt.incrementAndGet();
            return;
        }
        long bit = producer * MAX_SEQ + seq;
        long mask = 1L << (bit & 63);
        // Volatile RMW: the bit is set once, whichever consumer (or redelivery) gets there first.
        long before = (long) LONG.getAndBitwiseOr(bits, (bit >>> 6) * 8, mask);
        if ((before & mask) != 0) {
            duplicates.incrementAndGet();
        }
    }

    void deliver(byte[] payload) {
        deliver(MemorySegment.ofArray(payload));
    }

    /**
     * About {@code micros} of busy work per delivery for a slow consumer: it is then the bottleneck, the
     * ring stays full, and a kill almost always lands while it holds a batch it has not released.
     */
    static void work(int micros) {
        long until = System.nanoTime() + micros * 1_000L;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    boolean has(int producer, long seq) {
        long bit = (long) producer * MAX_SEQ + seq;
        return ((long) LONG.getVolatile(bits, (bit >>> 6) * 8) & (1L << (bit & 63))) != 0;
    }

    /** The first sequence number of {@code producer} below {@code upTo} that was never delivered, or -1. */
    long firstMissing(int producer, long upTo) {
        for (long seq = 0; seq < upTo; seq++) {
            if (!has(producer, seq)) {
                return seq;
            }
        }
        return -1;
    }

    /** How many sequence numbers of {@code producer} were delivered at least once. */
    long count(int producer) {
        long n = 0;
        long first = (long) producer * MAX_SEQ / 64;
        for (long word = first; word < first + MAX_SEQ / 64; word++) {
            n += Long.bitCount((long) LONG.getVolatile(bits, word * 8));
        }
        return n;
    }

    long duplicates() {
        return duplicates.get();
    }

    long corrupt() {
        return corrupt.get();
    }
}
