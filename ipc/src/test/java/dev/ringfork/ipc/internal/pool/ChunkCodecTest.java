package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.codec.CodecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(10)
class ChunkCodecTest {

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Point(int x, String label) implements Serializable {
    }

    static final class Opaque {
    }

    record Holder(Object value) implements Serializable {
    }

    private final ChunkCodec codec = new ChunkCodec();

    /**
     * Encodes in place at an odd offset of an off-heap segment (checking the bytes around are untouched),
     * compares with encoded(), decodes from a read-only view, and returns the decoded items.
     */
    private List<Object> roundTrip(List<?> items, byte expectedTag) {
        int size = codec.encodedSize(items);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(size + 16L);
            ring.fill((byte) 0x5A);
            assertEquals(size, codec.encode(items, ring, 7));
            for (long i = 0; i < 7; i++) {
                assertEquals((byte) 0x5A, ring.get(ValueLayout.JAVA_BYTE, i));
            }
            for (long i = 7 + size; i < ring.byteSize(); i++) {
                assertEquals((byte) 0x5A, ring.get(ValueLayout.JAVA_BYTE, i));
            }
            assertEquals(expectedTag, ring.get(ValueLayout.JAVA_BYTE, 7), "tag");
            assertEquals(items.size(), ring.get(INT_LE, 8), "count");
            byte[] bytes = encoded(items);
            assertArrayEquals(bytes, ring.asSlice(7, size).toArray(ValueLayout.JAVA_BYTE));
            List<Object> decoded = codec.decode(ring.asReadOnly(), 7, size);
            assertEquals(items.size(), decoded.size());
            return decoded;
        }
    }

    private void assertRoundTrips(List<?> items, byte expectedTag) {
        assertEquals(items, roundTrip(items, expectedTag));
    }

    private static <T> List<T> listOf(int count, IntFunction<T> item) {
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(item.apply(i));
        }
        return items;
    }

    @Test
    void packedTagsRoundTripAtEverySize() {
        for (int count : new int[] {1, 2, 10_000}) {
            assertRoundTrips(listOf(count, i -> i * 31 - 5000), ChunkCodec.INT);
            assertRoundTrips(listOf(count, i -> (long) i << 33 | i), ChunkCodec.LONG);
            assertRoundTrips(listOf(count, i -> i / 7.0 - 3), ChunkCodec.DOUBLE);
            assertRoundTrips(listOf(count, i -> i % 3 == 0), ChunkCodec.BOOLEAN);
            assertRoundTrips(listOf(count, i -> "item-" + i), ChunkCodec.STRING);
            assertRoundTrips(listOf(count, i -> null), ChunkCodec.NULLS);
        }
        assertEquals(5 + 4 * 10_000, codec.encodedSize(listOf(10_000, i -> i)));
        assertEquals(5, codec.encodedSize(listOf(10_000, i -> null)));
    }

    @Test
    void emptyChunk() {
        assertRoundTrips(List.of(), ChunkCodec.EMPTY);
        assertEquals(ChunkCodec.HEADER_BYTES, codec.encodedSize(List.of()));
    }

    @Test
    void extremeNumbersKeepTheirBits() {
        assertRoundTrips(List.of(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE), ChunkCodec.INT);
        assertRoundTrips(List.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE), ChunkCodec.LONG);
        List<Object> doubles = roundTrip(List.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                Double.longBitsToDouble(0x7ff8_0000_0000_0001L)), ChunkCodec.DOUBLE);
        assertEquals(0x7ff8_0000_0000_0001L, Double.doubleToRawLongBits((Double) doubles.get(4)), "NaN payload kept");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) doubles.get(1)));
    }

    @Test
    void unicodeStrings() {
        assertRoundTrips(List.of("", "a", "héllo wörld", "日本語のテキスト", "emoji 😀🎉 mixed", "\u0000 nul inside",
                "x".repeat(100_000)), ChunkCodec.STRING);
        // An unpaired surrogate becomes '?', as in String.getBytes(UTF_8).
        assertEquals(List.of("a?b"), roundTrip(List.of("a\uD800b"), ChunkCodec.STRING));
    }

    @Test
    void byteArrays() {
        List<byte[]> arrays = List.of(new byte[0], new byte[] {1, 2, 3}, new byte[70_000]);
        arrays.get(2)[69_999] = 42;
        List<Object> decoded = roundTrip(arrays, ChunkCodec.BYTES);
        for (int i = 0; i < arrays.size(); i++) {
            assertArrayEquals(arrays.get(i), (byte[]) decoded.get(i));
        }
    }

    @Test
    void mixedChunksAndNullsFallBackToSerialization() {
        assertRoundTrips(Arrays.asList(1, "two", 3L, 4.0, List.of(5), new Point(6, "six")), ChunkCodec.SERIALIZED);
        assertRoundTrips(Arrays.asList(1, null, 3), ChunkCodec.SERIALIZED);
        assertRoundTrips(Arrays.asList(null, "b"), ChunkCodec.SERIALIZED);
        assertRoundTrips(List.of(1, 2L), ChunkCodec.SERIALIZED);
        assertRoundTrips(listOf(1000, i -> new Point(i, "p" + i)), ChunkCodec.SERIALIZED);
        assertRoundTrips(List.of((short) 1, (short) 2), ChunkCodec.SERIALIZED);
    }

    @Test
    void encodeWorksWithoutEncodedSizeAndChecksRoom() {
        List<String> items = List.of("a", "bb");
        int size = new ChunkCodec().encodedSize(items);
        MemorySegment target = MemorySegment.ofArray(new byte[size]);
        assertEquals(size, codec.encode(items, target, 0));
        assertEquals(items, codec.decode(target, 0, size));
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(items, MemorySegment.ofArray(new byte[size]), 1));
        assertTrue(tooSmall.getMessage().contains(size + " bytes"), tooSmall.getMessage());
    }

    @Test
    void aChunkChangedBetweenSizingAndEncodingIsReported() {
        List<Object> items = new ArrayList<>(List.of(1, 2, 3));
        int size = codec.encodedSize(items);
        items.set(1, "two");
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encode(items, MemorySegment.ofArray(new byte[size]), 0));
        assertTrue(e.getMessage().contains("changed between encodedSize and encode"), e.getMessage());
    }

    @Test
    void aNonSerializableItemIsNamed() {
        CodecException e = assertThrows(CodecException.class,
                () -> codec.encodedSize(List.of(1, new Holder(new Opaque()), 3)));
        assertTrue(e.getMessage().contains(Opaque.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("item 1 is a " + Holder.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("implement java.io.Serializable"), e.getMessage());
    }

    @Test
    void millionIntegersInChunksOfAThousand() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(1 << 16);
            List<Integer> chunk = new ArrayList<>(1000);
            long sum = 0;
            int next = 0;
            for (int c = 0; c < 1000; c++) {
                chunk.clear();
                for (int i = 0; i < 1000; i++) {
                    chunk.add(next++);
                }
                int size = codec.encodedSize(chunk);
                codec.encode(chunk, ring, 64);
                List<Object> decoded = codec.decode(ring, 64, size);
                for (int i = 0; i < 1000; i++) {
                    int value = (Integer) decoded.get(i);
                    if (value != c * 1000 + i) {
                        fail("chunk " + c + " item " + i + " is " + value);
                    }
                    sum += value;
                }
            }
            assertEquals(999_999L * 1_000_000L / 2, sum);
        }
    }

    /** Decoding {@code bytes} must fail with a CodecException whose message holds every one of {@code words}. */
    private void assertDamaged(byte[] bytes, String... words) {
        CodecException e = assertThrows(CodecException.class, () -> decode(bytes));
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), () -> "'" + word + "' is missing from: " + e.getMessage());
        }
    }

    private byte[] encoded(List<?> items) {
        byte[] bytes = new byte[codec.encodedSize(items)];
        codec.encode(items, MemorySegment.ofArray(bytes), 0);
        return bytes;
    }

    private List<Object> decode(byte[] bytes) {
        return codec.decode(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    @Test
    void damagedInputIsReportedClearly() {
        assertDamaged(new byte[] {3, 0}, "2 bytes", "at least 5 bytes");
        byte[] unknown = encoded(List.of(1));
        unknown[0] = 99;
        assertDamaged(unknown, "tag 99 unknown", "unknown tag", "9 bytes");
        byte[] negative = encoded(List.of(1));
        MemorySegment.ofArray(negative).set(INT_LE, 1, -4);
        assertDamaged(negative, "count -4", "not in [0");
        byte[] ints = encoded(List.of(1, 2, 3));
        assertDamaged(Arrays.copyOf(ints, ints.length - 1), "tag 3 Integer", "count 3", "16 bytes",
                "3 items of 4 bytes need 12");
        byte[] strings = encoded(List.of("abc", "de"));
        MemorySegment.ofArray(strings).set(INT_LE, 5, 1000);
        assertDamaged(strings, "tag 6 String", "item 0 claims 1000 bytes");
        assertDamaged(Arrays.copyOf(encoded(List.of("abc")), 14), "tag 6 String", "2 bytes are left after the last item");
        assertDamaged(Arrays.copyOf(encoded(List.of("abc", "de")), 13), "count 2", "cut off");
        byte[] booleans = encoded(List.of(true, false));
        booleans[6] = 7;
        assertDamaged(booleans, "tag 2 Boolean", "item 1 is byte 7");
        byte[] empty = encoded(List.of());
        MemorySegment.ofArray(empty).set(INT_LE, 1, 3);
        assertDamaged(empty, "tag 0 empty", "count 0");
        byte[] serialized = encoded(Arrays.asList(1, "x", null));
        serialized[serialized.length / 2] ^= 0x55;
        serialized[serialized.length - 3] ^= 0x55;
        assertDamaged(serialized, "tag 8 serialized", "deserialization failed");
        byte[] wrongCount = encoded(Arrays.asList(1, "x"));
        MemorySegment.ofArray(wrongCount).set(INT_LE, 1, 5);
        assertDamaged(wrongCount, "not an Object[5]");
        CodecException outside = assertThrows(CodecException.class,
                () -> codec.decode(MemorySegment.ofArray(new byte[10]), 8, 5));
        assertTrue(outside.getMessage().contains("the segment has 10 bytes"), outside.getMessage());
    }

    @Test
    void randomDamageGivesACodecExceptionOrAValidChunk() {
        Random random = new Random(42);
        List<List<?>> chunks = List.of(listOf(50, i -> i), listOf(50, i -> (long) i), listOf(50, i -> i * 0.5),
                listOf(50, i -> "s" + i + "é"), listOf(50, i -> new byte[i % 5]), listOf(50, i -> i % 2 == 0),
                Arrays.asList(1, "two", null, new Point(3, "p")), List.of());
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = encoded(chunks.get(round % chunks.size()));
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            try {
                decode(bytes);
            } catch (CodecException expected) {
                // the damage was noticed
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": damage gave " + e + " instead of a CodecException", e);
            }
        }
    }
}
