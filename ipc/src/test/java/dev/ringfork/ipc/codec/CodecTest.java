package dev.ringfork.ipc.codec;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {

    enum Color { RED, GREEN }

    record Inner(int id, String tag) {
    }

    record Everything(boolean flag, byte b, short s, char c, int i, long l, float f, double d, String text,
                      byte[] raw, Integer boxed, Double boxedDouble, Color color, Inner inner) {
    }

    record Point(int x, int y, String label) {
    }

    record Unsupported(int id, List<String> names) {
    }

    record Validated(int positive) {
        Validated {
            if (positive <= 0) {
                throw new IllegalArgumentException("positive must be > 0");
            }
        }
    }

    static final class Job implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        final ArrayList<Integer> steps;

        Job(String name, List<Integer> steps) {
            this.name = name;
            this.steps = new ArrayList<>(steps);
        }
    }

    /** Encodes both ways (in place when the size is known, and to bytes), decodes from a read-only off-heap view. */
    private static <T> T roundTrip(Codec<T> codec, T value) {
        byte[] bytes = codec.toBytes(value);
        int size = codec.encodedSize(value);
        try (Arena arena = Arena.ofConfined()) {
            if (size >= 0) {
                assertEquals(bytes.length, size, "encodedSize matches what toBytes produces");
                MemorySegment target = arena.allocate(Math.max(1, size)).asSlice(0, size);
                codec.encode(value, target);
                assertArrayEquals(bytes, target.toArray(ValueLayout.JAVA_BYTE), "encode in place equals toBytes");
            }
            MemorySegment view = arena.allocate(Math.max(1, bytes.length)).asSlice(0, bytes.length);
            MemorySegment.copy(bytes, 0, view, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return codec.decode(view.asReadOnly());
        }
    }

    @Test
    void bytesRoundTrip() {
        assertArrayEquals(new byte[] {1, 2, 3, -1}, roundTrip(Codec.bytes(), new byte[] {1, 2, 3, -1}));
        assertArrayEquals(new byte[0], roundTrip(Codec.bytes(), new byte[0]));
    }

    @Test
    void stringsRoundTripAsUtf8LikeGetBytes() {
        for (String s : List.of("", "plain ascii", "héllo wörld", "日本語", "emoji 😀 and more 🎉", "lone \uD800 high",
                "lone \uDC00 low", "end \uD83D")) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Codec.string().toBytes(s), s);
            assertEquals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), roundTrip(Codec.string(), s));
        }
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
            }
            String s = new String(chars);
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Codec.string().toBytes(s));
        }
    }

    @Test
    void numbersRoundTrip() {
        for (int v : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(v, roundTrip(Codec.int32(), v));
        }
        for (long v : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L}) {
            assertEquals(v, roundTrip(Codec.int64(), v));
        }
        for (double v : new double[] {0.0, -0.0, Math.PI, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE}) {
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(roundTrip(Codec.float64(), v)));
        }
        assertArrayEquals(new byte[] {4, 3, 2, 1}, Codec.int32().toBytes(0x01020304), "little-endian");
    }

    @Test
    void memorySegmentsAreCopiedOnDecode() {
        MemorySegment source = MemorySegment.ofArray(new byte[] {9, 8, 7});
        byte[] bytes = Codec.memorySegment().toBytes(source);
        MemorySegment buffer = MemorySegment.ofArray(bytes.clone());
        MemorySegment decoded = Codec.memorySegment().decode(buffer.asReadOnly());
        buffer.fill((byte) 0); // the ring's space is zeroed after the handler returns
        assertArrayEquals(new byte[] {9, 8, 7}, decoded.toArray(ValueLayout.JAVA_BYTE));
        assertTrue(!decoded.isReadOnly(), "the copy is the caller's own");
        assertArrayEquals(new byte[] {9, 8, 7}, roundTrip(Codec.memorySegment(), source).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void byteBuffersEncodeTheirRemainingBytesWithoutMovingThePosition() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        buffer.position(1).limit(4);
        ByteBuffer decoded = roundTrip(Codec.byteBuffer(), buffer);
        assertEquals(ByteBuffer.wrap(new byte[] {2, 3, 4}), decoded);
        assertEquals(1, buffer.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 7, 7}).flip();
        assertEquals(ByteBuffer.wrap(new byte[] {7, 7, 7}), roundTrip(Codec.byteBuffer(), direct));
    }

    @Test
    void recordsOfPrimitivesStringsEnumsAndNestedRecordsRoundTrip() {
        Codec<Everything> codec = Codec.record(Everything.class);
        Everything full = new Everything(true, (byte) -3, (short) 300, 'é', 42, -7L, 1.5f, -2.25, "tëxt 😀",
                new byte[] {5, 6}, 17, null, Color.GREEN, new Inner(9, "in"));
        Everything back = roundTrip(codec, full);
        assertEquals(full.flag(), back.flag());
        assertEquals(full.b(), back.b());
        assertEquals(full.s(), back.s());
        assertEquals(full.c(), back.c());
        assertEquals(full.i(), back.i());
        assertEquals(full.l(), back.l());
        assertEquals(full.f(), back.f());
        assertEquals(full.d(), back.d());
        assertEquals(full.text(), back.text());
        assertArrayEquals(full.raw(), back.raw());
        assertEquals(17, back.boxed());
        assertNull(back.boxedDouble());
        assertEquals(Color.GREEN, back.color());
        assertEquals(new Inner(9, "in"), back.inner());

        Everything empty = new Everything(false, (byte) 0, (short) 0, '\0', 0, 0, 0, 0, null, null, null, null, null, null);
        Everything emptyBack = roundTrip(codec, empty);
        assertNull(emptyBack.text());
        assertNull(emptyBack.raw());
        assertNull(emptyBack.color());
        assertNull(emptyBack.inner());

        assertEquals(new Point(-1, 2, "p"), roundTrip(Codec.record(Point.class), new Point(-1, 2, "p")));
        assertTrue(Codec.record(Point.class) == Codec.record(Point.class), "the plan is made once per type");
    }

    @Test
    void recordsWithOtherComponentTypesAreRejectedUpFront() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codec.record(Unsupported.class));
        assertTrue(e.getMessage().contains("'names'") && e.getMessage().contains("List<java.lang.String>"), e.getMessage());
    }

    @Test
    void recordDecodeErrorsAreCodecExceptions() {
        Codec<Point> codec = Codec.record(Point.class);
        byte[] bytes = codec.toBytes(new Point(1, 2, "label"));
        CodecException truncated = assertThrows(CodecException.class,
                () -> codec.decode(MemorySegment.ofArray(bytes).asSlice(0, bytes.length - 2)));
        assertTrue(truncated.getMessage().contains(Point.class.getName()), truncated.getMessage());
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        CodecException extra = assertThrows(CodecException.class, () -> codec.decode(MemorySegment.ofArray(longer)));
        assertTrue(extra.getMessage().contains("3 bytes left over"), extra.getMessage());
        byte[] invalid = Codec.int32().toBytes(-5);
        CodecException rejected = assertThrows(CodecException.class,
                () -> Codec.record(Validated.class).decode(MemorySegment.ofArray(invalid)));
        assertTrue(rejected.getMessage().contains("positive must be > 0"), rejected.getMessage());
    }

    @Test
    void serializableRoundTripAndErrors() {
        Codec<Job> codec = Codec.serializable(Job.class);
        Job back = roundTrip(codec, new Job("resize", new ArrayList<>(List.of(1, 2, 3))));
        assertEquals("resize", back.name);
        assertEquals(List.of(1, 2, 3), back.steps);

        @SuppressWarnings({"unchecked", "rawtypes"})
        Codec<Serializable> any = (Codec) Codec.serializable(Serializable.class);
        CodecException notSerializable = assertThrows(CodecException.class,
                () -> any.toBytes(new ArrayList<Object>(List.of(new Object()))));
        assertTrue(notSerializable.getMessage().contains("cannot encode"), notSerializable.getMessage());

        byte[] aString = Codec.serializable(String.class).toBytes("not a job");
        CodecException wrongType = assertThrows(CodecException.class, () -> codec.decode(MemorySegment.ofArray(aString)));
        assertTrue(wrongType.getMessage().contains("java.lang.String"), wrongType.getMessage());

        Codec<Job> filtered = Codec.serializable(Job.class, info -> java.io.ObjectInputFilter.Status.REJECTED);
        byte[] job = codec.toBytes(new Job("x", List.of()));
        assertThrows(CodecException.class, () -> filtered.decode(MemorySegment.ofArray(job)));
    }

    @Test
    void userCodecsFromFunctions() {
        Codec<java.util.UUID> uuids = Codec.of("uuid", java.util.UUID.class,
                id -> ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array(),
                bytes -> {
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    return new java.util.UUID(b.getLong(), b.getLong());
                });
        java.util.UUID id = java.util.UUID.randomUUID();
        assertEquals(id, roundTrip(uuids, id));
        assertEquals(-1, uuids.encodedSize(id), "size unknown: encoded to a byte[] first");
        CodecException e = assertThrows(CodecException.class, () -> uuids.decode(MemorySegment.ofArray(new byte[] {1, 2})));
        assertTrue(e.getMessage().startsWith("codec uuid (java.util.UUID) cannot decode a 2-byte message [01 02]: "), e.getMessage());
    }

    @Test
    void decodeErrorNamesCodecTypeLengthAndFirstBytes() {
        CodecException e = assertThrows(CodecException.class,
                () -> Codec.int32().decode(MemorySegment.ofArray(new byte[] {1, 2, (byte) 0xAB})));
        assertEquals("codec int32 (java.lang.Integer) cannot decode a 3-byte message [01 02 ab]: expected 4 bytes", e.getMessage());
        byte[] forty = new byte[40];
        for (int i = 0; i < forty.length; i++) {
            forty[i] = (byte) i;
        }
        CodecException longer = assertThrows(CodecException.class, () -> Codec.int64().decode(MemorySegment.ofArray(forty)));
        assertTrue(longer.getMessage().contains("40-byte message [00 01 02 03") && longer.getMessage().contains("1e 1f ...]"),
                longer.getMessage());
    }
}
