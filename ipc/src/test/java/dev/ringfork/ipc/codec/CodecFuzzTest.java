package dev.ringfork.ipc.codec;

import dev.ringfork.core.testing.Fuzz;
import dev.ringfork.ipc.internal.pool.ChunkCodec;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A fuzzer over codec input: random bytes, and valid encodings with random bytes changed, decoded by every
 * built-in codec and by the pool's chunk codec. A message either decodes or gives a {@link CodecException}
 * (which names the codec, the type, the length and the first bytes): never another exception, never a
 * hang, never a JVM crash.
 */
class CodecFuzzTest {

    enum Colour { RED, GREEN }

    record Point(int x, long y, double z, String label, byte[] data, Colour colour, Inner inner) {
    }

    record Inner(short s, boolean flag, char c, float f) {
    }

    record Job(String name, int size) implements Serializable {
    }

    static final List<Codec<?>> CODECS = List.of(Codec.bytes(), Codec.string(), Codec.int32(), Codec.int64(), Codec.float64(),
            Codec.memorySegment(), Codec.byteBuffer(), Codec.record(Point.class), Codec.serializable(Job.class));

    static final Point SAMPLE = new Point(1, -2, 3.5, "héllo", new byte[] {1, 2, 3}, Colour.GREEN,
            new Inner((short) 7, true, 'x', 1.5f));

    @Test
    void randomBytesDecodeOrGiveACodecException() {
        Fuzz.run("random codec input", random -> {
            byte[] bytes = new byte[random.nextInt(97)];
            random.nextBytes(bytes);
            int decoded = 0;
            for (Codec<?> codec : CODECS) {
                decoded += decodeOrCodecException(codec, bytes);
            }
            return decoded + " of " + (CODECS.size() + 1) + " decoded" + (chunkOrCodecException(bytes) > 0 ? ", chunk too" : "");
        });
    }

    @Test
    void damagedValidMessagesDecodeOrGiveACodecException() {
        byte[][] valid = {
                Codec.record(Point.class).toBytes(SAMPLE),
                Codec.serializable(Job.class).toBytes(new Job("resize", 42)),
                Codec.string().toBytes("a string, é€"),
                chunkBytes(List.of("one", "two", "three")),
                chunkBytes(List.of(1L, 2L, 3L)),
                chunkBytes(List.<Object>of(1, "mixed", 2.5)),
        };
        Fuzz.run("damaged codec input", random -> {
            byte[] damaged = valid[random.nextInt(valid.length)].clone();
            for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            int decoded = 0;
            for (Codec<?> codec : CODECS) {
                decoded += decodeOrCodecException(codec, damaged);
            }
            return decoded + chunkOrCodecException(damaged) + " decoded";
        });
    }

    /** 1 if the codec decoded the bytes, 0 if it gave a CodecException; anything else fails the trial. */
    private static int decodeOrCodecException(Codec<?> codec, byte[] bytes) {
        try {
            codec.decode(MemorySegment.ofArray(bytes)); // the codec itself, not the wrapper that turns anything into a CodecException
            return 1;
        } catch (CodecException expected) {
            return 0;
        }
    }

    private static int chunkOrCodecException(byte[] bytes) {
        try {
            new ChunkCodec().decode(MemorySegment.ofArray(bytes), 0, bytes.length);
            return 1;
        } catch (CodecException expected) {
            return 0;
        }
    }

    private static byte[] chunkBytes(List<?> items) {
        ChunkCodec codec = new ChunkCodec();
        byte[] bytes = new byte[codec.encodedSize(items)];
        codec.encode(items, MemorySegment.ofArray(bytes), 0);
        return bytes;
    }
}
