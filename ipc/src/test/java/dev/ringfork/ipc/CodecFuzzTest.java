package dev.ringfork.ipc;

import dev.ringfork.ipc.pool.ChunkCodec;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

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

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void randomBytesDecodeOrGiveACodecException(@ForAll @Size(max = 96) byte[] bytes) {
        for (Codec<?> codec : CODECS) {
            decodeOrCodecException(codec, bytes);
        }
        chunkOrCodecException(bytes);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void damagedValidMessagesDecodeOrGiveACodecException(@ForAll @Size(min = 1, max = 6) List<Integer> positions,
                                                         @ForAll @Size(min = 6, max = 6) List<Byte> values) {
        byte[][] valid = {
                Codec.record(Point.class).toBytes(SAMPLE),
                Codec.serializable(Job.class).toBytes(new Job("resize", 42)),
                Codec.string().toBytes("a string, é€"),
                new ChunkCodec().toBytes(List.of("one", "two", "three")),
                new ChunkCodec().toBytes(List.of(1L, 2L, 3L)),
                new ChunkCodec().toBytes(List.<Object>of(1, "mixed", 2.5)),
        };
        for (byte[] message : valid) {
            byte[] damaged = message.clone();
            for (int i = 0; i < positions.size(); i++) {
                damaged[Math.floorMod(positions.get(i), damaged.length)] = values.get(i);
            }
            for (Codec<?> codec : CODECS) {
                decodeOrCodecException(codec, damaged);
            }
            chunkOrCodecException(damaged);
        }
    }

    private static void decodeOrCodecException(Codec<?> codec, byte[] bytes) {
        try {
            codec.decode(MemorySegment.ofArray(bytes)); // the codec itself, not the wrapper that turns anything into a CodecException
        } catch (CodecException expected) {
            // documented
        }
    }

    private static void chunkOrCodecException(byte[] bytes) {
        try {
            new ChunkCodec().decode(bytes);
        } catch (CodecException expected) {
            // documented
        }
    }
}
