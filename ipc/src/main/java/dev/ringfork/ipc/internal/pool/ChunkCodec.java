package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.codec.CodecException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Turns a chunk (a list of items or results) into message bytes and back. A chunk is a tag byte, the
 * item count (4 bytes, little-endian), then the payload. When every item is non-null and of one class
 * the payload is packed: {@code Integer} 4 bytes each, {@code Long} and {@code Double} 8,
 * {@code Boolean} 1, {@code String} a 4-byte length and UTF-8, {@code byte[]} a 4-byte length and the
 * bytes; a chunk of nulls only has no payload. Any other chunk is an {@code Object[]} in Java
 * serialization (the items must be {@link java.io.Serializable}).
 *
 * <p>Made for writing straight into a ring: {@link #encodedSize} works out the bytes (for strings and
 * the serialized fallback it encodes them, and keeps the result), then {@link #encode} writes them at a
 * claimed offset. Pass the same, unchanged chunk to both. Not thread-safe: one per thread.
 */
public final class ChunkCodec {

    /** Bytes before the payload: the tag and the count. */
    public static final int HEADER_BYTES = 5;
    /** The most items a chunk may hold. */
    public static final int MAX_ITEMS = 1 << 24;

    static final byte EMPTY = 0;
    static final byte NULLS = 1;
    static final byte BOOLEAN = 2;
    static final byte INT = 3;
    static final byte LONG = 4;
    static final byte DOUBLE = 5;
    static final byte STRING = 6;
    static final byte BYTES = 7;
    static final byte SERIALIZED = 8;
    static final String[] TAG_NAMES = {"empty", "nulls", "Boolean", "Integer", "Long", "Double", "String",
            "byte[]", "serialized Object[]"};

    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ClassLoader loader;

    // The plan of the chunk last passed to encodedSize, reused by encode for the same chunk.
    private Object plannedFor;
    private int plannedCount;
    private byte plannedTag;
    private int plannedSize;
    private byte[][] parts = new byte[64][];  // the UTF-8 of strings, or the byte[] items
    private byte[] serialized;

    /** A codec that resolves classes of serialized items with the thread's context class loader. */
    public ChunkCodec() {
        this(LoaderObjectInputStream.defaultLoader());
    }

    /** A codec that resolves classes of serialized items with {@code loader} first. */
    public ChunkCodec(ClassLoader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * The bytes {@link #encode} will write for {@code items}. Strings and serialized chunks are encoded
     * here and kept until {@code encode} is called with the same list.
     *
     * @throws CodecException if an item of a mixed chunk cannot be serialized, or the chunk is too large
     */
    public int encodedSize(List<?> items) {
        plan(items, items);
        return plannedSize;
    }

    /**
     * Writes {@code items} at {@code target[offset]}; returns the bytes written, which is what
     * {@link #encodedSize} returned for them.
     *
     * @throws IllegalArgumentException if the chunk does not fit in {@code target} from {@code offset}
     * @throws CodecException if an item cannot be serialized, or the list changed since {@code encodedSize}
     */
    public int encode(List<?> items, MemorySegment target, long offset) {
        return encode(items, items, target, offset);
    }

    /**
     * The items of the chunk in {@code source[offset, offset + length)}, copied out (the source may be
     * reused once this returns), as a fixed-size list.
     *
     * @throws CodecException if the bytes are not a valid chunk: the message names the tag, the count,
     *         the lengths and the first bytes
     */
    public List<Object> decode(MemorySegment source, long offset, long length) {
        return ChunkDecoder.decode(source, offset, length, loader);
    }

    private int encode(Object key, List<?> items, MemorySegment target, long offset) {
        if (plannedFor != key || plannedCount != items.size()) {
            plan(key, items);
        }
        int size = plannedSize;
        int count = plannedCount;
        if (offset < 0 || offset > target.byteSize() - size) {
            throw new IllegalArgumentException("a chunk of " + count + " items needs " + size + " bytes at offset "
                    + offset + ", but the target has " + target.byteSize() + " bytes: claim encodedSize(items) bytes");
        }
        try {
            target.set(ValueLayout.JAVA_BYTE, offset, plannedTag);
            target.set(INT_LE, offset + 1, count);
            long at = offset + HEADER_BYTES;
            switch (plannedTag) {
                case BOOLEAN -> {
                    for (int i = 0; i < count; i++) {
                        target.set(ValueLayout.JAVA_BYTE, at + i, (Boolean) items.get(i) ? (byte) 1 : (byte) 0);
                    }
                }
                case INT -> {
                    for (int i = 0; i < count; i++) {
                        target.set(INT_LE, at + 4L * i, (Integer) items.get(i));
                    }
                }
                case LONG -> {
                    for (int i = 0; i < count; i++) {
                        target.set(LONG_LE, at + 8L * i, (Long) items.get(i));
                    }
                }
                case DOUBLE -> {
                    for (int i = 0; i < count; i++) {
                        target.set(LONG_LE, at + 8L * i, Double.doubleToRawLongBits((Double) items.get(i)));
                    }
                }
                case STRING, BYTES -> {
                    byte[][] bytes = parts;
                    for (int i = 0; i < count; i++) {
                        byte[] part = bytes[i];
                        target.set(INT_LE, at, part.length);
                        MemorySegment.copy(part, 0, target, ValueLayout.JAVA_BYTE, at + 4, part.length);
                        at += 4 + part.length;
                        bytes[i] = null;
                    }
                }
                case SERIALIZED -> MemorySegment.copy(serialized, 0, target, ValueLayout.JAVA_BYTE, at, serialized.length);
                default -> {
                    // EMPTY and NULLS: no payload
                }
            }
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new CodecException("a chunk of " + count + " items changed between encodedSize and encode (" + e
                    + "): do not modify a chunk while it is encoded", e);
        } finally {
            plannedFor = null;
            serialized = null;
        }
        return size;
    }

    /** Works out the tag and size of {@code items}, encoding strings and serialized chunks. */
    private void plan(Object key, List<?> items) {
        plannedFor = null;
        int count = items.size();
        if (count > MAX_ITEMS) {
            throw new CodecException("a chunk of " + count + " items is too large: chunks hold at most " + MAX_ITEMS
                    + " items; use a smaller chunk size", null);
        }
        byte tag = classify(items, count);
        long size = HEADER_BYTES;
        switch (tag) {
            case BOOLEAN -> size += count;
            case INT -> size += 4L * count;
            case LONG, DOUBLE -> size += 8L * count;
            case STRING, BYTES -> {
                if (parts.length < count) {
                    parts = new byte[Math.max(count, parts.length * 2)][];
                }
                byte[][] bytes = parts;
                for (int i = 0; i < count; i++) {
                    Object item = items.get(i);
                    byte[] part = tag == STRING ? ((String) item).getBytes(StandardCharsets.UTF_8) : (byte[]) item;
                    bytes[i] = part;
                    size += 4 + part.length;
                }
            }
            case SERIALIZED -> {
                serialized = serialize(items, count);
                size += serialized.length;
            }
            default -> {
                // EMPTY and NULLS: no payload
            }
        }
        if (size > Integer.MAX_VALUE - 64) {
            throw new CodecException("a chunk of " + count + " " + TAG_NAMES[tag] + " items needs " + size
                    + " bytes, more than a message can hold: use a smaller chunk size", null);
        }
        plannedFor = key;
        plannedCount = count;
        plannedTag = tag;
        plannedSize = (int) size;
    }

    /** The packed tag if every item is non-null and of one packable class (or all are null), else SERIALIZED. */
    private static byte classify(List<?> items, int count) {
        if (count == 0) {
            return EMPTY;
        }
        Object first = items.get(0);
        Class<?> type = first == null ? null : first.getClass();
        byte tag;
        if (type == null) {
            tag = NULLS;
        } else if (type == Integer.class) {
            tag = INT;
        } else if (type == String.class) {
            tag = STRING;
        } else if (type == Long.class) {
            tag = LONG;
        } else if (type == Double.class) {
            tag = DOUBLE;
        } else if (type == Boolean.class) {
            tag = BOOLEAN;
        } else if (type == byte[].class) {
            tag = BYTES;
        } else {
            return SERIALIZED;
        }
        for (int i = 1; i < count; i++) {
            Object item = items.get(i);
            if ((item == null ? null : item.getClass()) != type) {
                return SERIALIZED;
            }
        }
        return tag;
    }

    private static byte[] serialize(List<?> items, int count) {
        Object[] array = items.toArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 16 * count);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(array);
        } catch (IOException | RuntimeException e) {
            throw new CodecException(serializationFailure(array, e), e);
        }
        return bytes.toByteArray();
    }

    /** Names the first item that cannot be serialized on its own, and the fix. */
    private static String serializationFailure(Object[] items, Exception failure) {
        StringBuilder message = new StringBuilder("cannot encode a chunk of ").append(items.length)
                .append(" items by Java serialization: ").append(failure);
        for (int i = 0; i < items.length; i++) {
            try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
                out.writeObject(items[i]);
            } catch (IOException | RuntimeException e) {
                message.append(" (item ").append(i).append(" is a ").append(items[i].getClass().getName())
                        .append(')');
                break;
            }
        }
        String culprit = failure instanceof NotSerializableException ? failure.getMessage() : "the item's class";
        return message.append(". Items and results other than Integer, Long, Double, Boolean, String and byte[]")
                .append(" (all of one class, without nulls) travel by Java serialization: make ").append(culprit)
                .append(" implement java.io.Serializable, or return a value that is").toString();
    }
}
