package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.codec.CodecException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.ringfork.ipc.internal.pool.ChunkCodec.BOOLEAN;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.BYTES;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.DOUBLE;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.EMPTY;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.HEADER_BYTES;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.INT;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.INT_LE;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.LONG;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.LONG_LE;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.MAX_ITEMS;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.NULLS;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.SERIALIZED;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.STRING;
import static dev.ringfork.ipc.internal.pool.ChunkCodec.TAG_NAMES;

/**
 * {@link ChunkCodec#decode}: checks every length against the bytes before it reads or allocates, so
 * damaged bytes give a {@link CodecException} that names the tag, the count, the lengths and the first
 * bytes, never an {@code IndexOutOfBoundsException} or an outsized allocation.
 */
final class ChunkDecoder {

    private static final int SHOWN_BYTES = 32;

    private ChunkDecoder() {
    }

    /** The items of the chunk in {@code source[offset, offset + length)}; serialized classes via {@code loader}. */
    static List<Object> decode(MemorySegment source, long offset, long length, ClassLoader loader) {
        if (offset < 0 || length < 0 || offset > source.byteSize() - length) {
            throw new CodecException("cannot decode a chunk of " + length + " bytes at offset " + offset
                    + ": the segment has " + source.byteSize() + " bytes", null);
        }
        if (length < HEADER_BYTES) {
            throw damaged(source, offset, length, "a chunk has at least " + HEADER_BYTES + " bytes (tag and count)",
                    null);
        }
        byte tag = source.get(ValueLayout.JAVA_BYTE, offset);
        int count = source.get(INT_LE, offset + 1);
        if (count < 0 || count > MAX_ITEMS) {
            throw damaged(source, offset, length, "the count is not in [0, " + MAX_ITEMS + "]", null);
        }
        long at = offset + HEADER_BYTES;
        long payload = length - HEADER_BYTES;
        Object[] items;
        switch (tag) {
            case EMPTY -> {
                if (count != 0) {
                    throw damaged(source, offset, length, "an empty chunk has count 0", null);
                }
                expectPayload(source, offset, length, payload, 0, 0);
                items = new Object[0];
            }
            case NULLS -> {
                expectPayload(source, offset, length, payload, 0, count);
                items = new Object[count];
            }
            case BOOLEAN -> {
                expectPayload(source, offset, length, payload, 1, count);
                items = new Object[count];
                for (int i = 0; i < count; i++) {
                    byte b = source.get(ValueLayout.JAVA_BYTE, at + i);
                    if ((b & ~1) != 0) {
                        throw damaged(source, offset, length, "item " + i + " is byte " + b + ", not 0 or 1", null);
                    }
                    items[i] = b != 0;
                }
            }
            case INT -> {
                expectPayload(source, offset, length, payload, 4, count);
                items = new Object[count];
                for (int i = 0; i < count; i++) {
                    items[i] = source.get(INT_LE, at + 4L * i);
                }
            }
            case LONG -> {
                expectPayload(source, offset, length, payload, 8, count);
                items = new Object[count];
                for (int i = 0; i < count; i++) {
                    items[i] = source.get(LONG_LE, at + 8L * i);
                }
            }
            case DOUBLE -> {
                expectPayload(source, offset, length, payload, 8, count);
                items = new Object[count];
                for (int i = 0; i < count; i++) {
                    items[i] = Double.longBitsToDouble(source.get(LONG_LE, at + 8L * i));
                }
            }
            case STRING, BYTES -> items = decodeSized(source, offset, length, tag, count);
            case SERIALIZED -> items = deserialize(source, offset, length, count, loader);
            default -> throw damaged(source, offset, length, "unknown tag (a chunk's tag is 0 to "
                    + (TAG_NAMES.length - 1) + ")", null);
        }
        return Arrays.asList(items);
    }

    private static Object[] deserialize(MemorySegment source, long offset, long length, int count,
                                        ClassLoader loader) {
        byte[] bytes = source.asSlice(offset + HEADER_BYTES, length - HEADER_BYTES).toArray(ValueLayout.JAVA_BYTE);
        Object value;
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            // Each array element takes at least a byte: a longer array is damage, not a reason to run out of memory.
            ObjectInputFilter arrays = info -> info.arrayLength() > bytes.length ? ObjectInputFilter.Status.REJECTED
                    : ObjectInputFilter.Status.UNDECIDED;
            ObjectInputFilter configured = in.getObjectInputFilter();
            in.setObjectInputFilter(configured == null ? arrays : ObjectInputFilter.merge(arrays, configured));
            value = in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw damaged(source, offset, length, "Java deserialization failed: " + e, e);
        }
        if (!(value instanceof Object[] items) || items.length != count) {
            throw damaged(source, offset, length, "the serialized value is a "
                    + (value instanceof Object[] array ? "Object[" + array.length + "]" : value == null ? "null"
                    : value.getClass().getName()) + ", not an Object[" + count + "]", null);
        }
        return items;
    }

    /** Reads the {@code count} length-prefixed strings or byte arrays of a chunk. */
    private static Object[] decodeSized(MemorySegment source, long offset, long length, byte tag, int count) {
        long payload = length - HEADER_BYTES;
        if (payload < 4L * count) {
            throw damaged(source, offset, length, "the payload of " + payload + " bytes cannot hold " + count
                    + " lengths of 4 bytes", null);
        }
        if (payload > Integer.MAX_VALUE - 64) {
            throw damaged(source, offset, length, "the payload is larger than a chunk can be", null);
        }
        byte[] bytes = source.asSlice(offset + HEADER_BYTES, payload).toArray(ValueLayout.JAVA_BYTE);
        Object[] items = new Object[count];
        MemorySegment view = MemorySegment.ofArray(bytes);
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (bytes.length - at < 4) {
                throw damaged(source, offset, length, "the length of item " + i + " is cut off at payload byte " + at,
                        null);
            }
            int size = view.get(INT_LE, at);
            at += 4;
            if (size < 0 || size > bytes.length - at) {
                throw damaged(source, offset, length, "item " + i + " claims " + size + " bytes at payload byte " + at
                        + " but " + (bytes.length - at) + " remain", null);
            }
            items[i] = tag == STRING ? new String(bytes, at, size, StandardCharsets.UTF_8)
                    : Arrays.copyOfRange(bytes, at, at + size);
            at += size;
        }
        if (at != bytes.length) {
            throw damaged(source, offset, length, (bytes.length - at) + " bytes are left after the last item", null);
        }
        return items;
    }

    private static void expectPayload(MemorySegment source, long offset, long length, long payload, int width,
                                      int count) {
        if (payload != (long) width * count) {
            throw damaged(source, offset, length, "the payload has " + payload + " bytes, but " + count + " items of "
                    + width + " bytes need " + (long) width * count, null);
        }
    }

    /** A decode failure naming the tag, the count, the length and the first bytes, then the problem. */
    private static CodecException damaged(MemorySegment source, long offset, long length, String problem,
                                          Throwable cause) {
        StringBuilder message = new StringBuilder("cannot decode a chunk of ").append(length).append(" bytes");
        if (length >= HEADER_BYTES) {
            int tag = source.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
            message.append(" (tag ").append(tag).append(' ')
                    .append(tag < TAG_NAMES.length ? TAG_NAMES[tag] : "unknown")
                    .append(", count ").append(source.get(INT_LE, offset + 1)).append(')');
        }
        message.append(' ').append('[');
        int shown = (int) Math.min(length, SHOWN_BYTES);
        for (int i = 0; i < shown; i++) {
            int b = source.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
            message.append(i == 0 ? "" : " ").append(Character.forDigit(b >>> 4, 16))
                    .append(Character.forDigit(b & 0xF, 16));
        }
        message.append(length > shown ? " ...]: " : "]: ").append(problem)
                .append(" (the bytes are damaged, or are not a chunk)");
        return new CodecException(message.toString(), cause);
    }
}
