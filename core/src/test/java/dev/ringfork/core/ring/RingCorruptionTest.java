package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingLayout.LONG;
import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged ring words (a stray write, a bad tool, a bug elsewhere) give one specific exception that names
 * the region, the ring, the position and the bad word, to every reader and on every call: never a hang,
 * a silent stall, or a raw IndexOutOfBounds/IllegalArgument exception.
 */
class RingCorruptionTest {

    static final int CAPACITY = 4096;
    static final long STALL_MILLIS = 200;
    static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private SharedRegion region;

    @AfterEach
    void close() {
        if (region != null) {
            region.close();
        }
    }

    private Ring ring(RingKind kind) {
        region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp));
        return RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, STALL_MILLIS));
    }

    private static void put(Ring ring, int count) {
        RingProducer producer = ring.producer();
        for (int seq = 0; seq < count; seq++) {
            assertTrue(producer.offer(TYPE, Payload.of(0, seq)));
        }
    }

    private static long headerAt(Ring ring, long position) {
        return (long) LONG.getVolatile(ring.buffer, (long) ((int) position & (ring.capacity - 1)));
    }

    private static void setHeader(Ring ring, long position, long header) {
        LONG.setVolatile(ring.buffer, (long) ((int) position & (ring.capacity - 1)), header);
    }

    private static int readWithTimeout(RingConsumer consumer) throws Exception {
        return consumer.read((type, message) -> Payload.verify(message), 16, 300, TimeUnit.MILLISECONDS);
    }

    /** Expects the corruption exception, within a bound, naming ring, region, position and word. */
    static RuntimeException assertCorrupt(RingWaitBoundsTest.Call<?> call, long position, long word) throws Exception {
        try {
            Object value = RingWaitBoundsTest.bounded(BOUND, "a call on a corrupted ring", call).value();
            throw new AssertionError("no exception: the call returned " + value);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            assertEquals("RingCorruptedException", e.getClass().getSimpleName(), "exception: " + e);
            assertTrue(message.contains("ring '" + RING + "'"), message);
            assertTrue(message.contains("region '" + RingTesting.REGION + "'"), message);
            assertTrue(message.contains("position " + position), message);
            assertTrue(message.contains("0x" + Long.toHexString(word)), message);
            return e;
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aNegativeTailIsReportedToEveryReader(RingKind kind) throws Exception {
        Ring ring = ring(kind);
        put(ring, 3);
        RingConsumer first = ring.consumer();
        assertEquals(3, first.read((type, message) -> Payload.verify(message), 16));
        long head = ring.consumedPosition();
        long bad = -8;
        LONG.setVolatile(ring.ring, RingLayout.TAIL_OFFSET, bad);
        assertCorrupt(() -> readWithTimeout(first), head, bad);
        assertCorrupt(() -> readWithTimeout(first), head, bad); // again: it does not go away
        // Every other reader and writer, old or new, gets the same report.
        assertCorrupt(() -> readWithTimeout(ring.consumer()), head, bad);
        if (kind != RingKind.SPSC) {
            assertCorrupt(() -> ring.producer().offer(TYPE, Payload.of(1, 0)), head, bad);
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void anImpossibleNegativeRecordLengthIsReported(RingKind kind) throws Exception {
        Ring ring = ring(kind);
        put(ring, 3);
        long header = headerAt(ring, 0);
        long bad = RecordLayout.header(-1, RecordLayout.type(header)); // -1: shorter than any record
        setHeader(ring, 0, bad);
        RingConsumer consumer = ring.consumer();
        assertCorrupt(() -> readWithTimeout(consumer), 0, bad);
        assertCorrupt(() -> readWithTimeout(consumer), 0, bad);
    }

    /**
     * A negative length with a plausible size reads as "being written by pid T" where T is the message
     * type; pid 1 is alive, but it is no writer of this ring. After the stall timeout the reader says so.
     */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aNegativeRecordLengthNamingALiveProcessThatIsNoWriterIsReported(RingKind kind) throws Exception {
        Ring ring = ring(kind);
        put(ring, 3);
        long bad = RecordLayout.header(-64, 1);
        setHeader(ring, 0, bad);
        RingConsumer consumer = ring.consumer();
        assertCorrupt(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() - deadline < 0) {
                readWithTimeout(consumer);
            }
            return "no exception within 5 s: the reader stalls silently";
        }, 0, bad);
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aHugeRecordLengthIsReportedOnEveryRead(RingKind kind) throws Exception {
        Ring ring = ring(kind);
        put(ring, 3);
        long header = headerAt(ring, 0);
        long bad = RecordLayout.header(1 << 30, RecordLayout.type(header));
        setHeader(ring, 0, bad);
        RingConsumer consumer = ring.consumer();
        assertCorrupt(() -> consumer.read((type, message) -> Payload.verify(message), 16), 0, bad);
        assertCorrupt(() -> readWithTimeout(consumer), 0, bad);
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aMisalignedHeadIsReported(RingKind kind) throws Exception {
        Ring ring = ring(kind);
        put(ring, 3);
        long bad = 4;
        LONG.setVolatile(ring.ring, RingLayout.HEAD_OFFSET, bad);
        assertCorrupt(() -> readWithTimeout(ring.consumer()), bad, bad);
    }
}
