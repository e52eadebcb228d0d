package dev.ringfork.ipc.codec;

import dev.ringfork.ipc.channel.Connection;
import dev.ringfork.ipc.channel.SharedQueue;

import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values into message bytes and back, for {@link SharedQueue} and {@link Connection}.
 *
 * <p>A codec that knows a value's size up front ({@link #encodedSize} returns it) is written straight
 * into the ring's claimed space, with no copy. One that does not (it returns -1) is asked for a
 * {@code byte[]} ({@link #toBytes}), which is then copied in. Implement either {@code encodedSize} and
 * {@code encode}, or {@code toBytes}; and always {@code decode}.
 *
 * <p>{@code decode} reads a read-only view into the ring that dies when the call returns: copy out what
 * you keep (the built-ins do). A decode failure is a {@link CodecException} naming the codec, the value
 * type and the record; {@link CodecException#decoding} builds one.
 * <pre>{@code
 * Codec<String> text = Codec.string();
 * Codec<Point> points = Codec.record(Point.class);          // record Point(int x, int y, String label)
 * Codec<Job> jobs = Codec.serializable(Job.class);          // any Serializable, via ObjectOutputStream
 * Codec<Uuid> ids = Codec.of("uuid", Uuid.class, Uuid::toBytes, Uuid::fromBytes);
 * }</pre>
 *
 * @param <T> the value type
 */
public interface Codec<T> {

    /**
     * The number of bytes {@link #encode} writes for {@code value}, or -1 if that is not known without
     * encoding (then {@link #toBytes} is used). The default is -1.
     */
    default int encodedSize(T value) {
        return -1;
    }

    /**
     * Writes {@code value} into {@code target}, which is exactly {@link #encodedSize}{@code (value)} bytes
     * long (zeroed). The default copies {@link #toBytes}.
     */
    default void encode(T value, MemorySegment target) {
        byte[] bytes = toBytes(value);
        if (bytes.length != target.byteSize()) {
            throw new CodecException("codec " + name() + " encoded " + bytes.length + " bytes but announced "
                    + target.byteSize(), null);
        }
        MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    /** The encoded bytes of {@code value}. The default allocates {@link #encodedSize} bytes and {@link #encode}s. */
    default byte[] toBytes(T value) {
        int size = encodedSize(value);
        if (size < 0) {
            throw new UnsupportedOperationException("codec " + name()
                    + " must implement toBytes, or encodedSize and encode");
        }
        byte[] bytes = new byte[size];
        encode(value, MemorySegment.ofArray(bytes));
        return bytes;
    }

    /**
     * Reads a value from {@code message}, a read-only view valid only during this call.
     *
     * @throws CodecException if the bytes are not a valid encoding
     */
    T decode(MemorySegment message);

    /** A short name for messages; the default is the class's simple name. */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple;
    }

    /** The type of the values, for messages; the default is {@code Object.class}. */
    default Class<?> valueType() {
        return Object.class;
    }

    /** Raw bytes, as they are. */
    static Codec<byte[]> bytes() {
        return BuiltinCodecs.BYTES;
    }

    /** Strings as UTF-8 (unpaired surrogates become {@code '?'}, as in {@link String#getBytes}). */
    static Codec<String> string() {
        return BuiltinCodecs.STRING;
    }

    /** Integers as 4 little-endian bytes. */
    static Codec<Integer> int32() {
        return BuiltinCodecs.INT;
    }

    /** Longs as 8 little-endian bytes. */
    static Codec<Long> int64() {
        return BuiltinCodecs.LONG;
    }

    /** Doubles as 8 little-endian bytes (IEEE 754, NaN payloads kept). */
    static Codec<Double> float64() {
        return BuiltinCodecs.DOUBLE;
    }

    /** Memory segments, copied in; decoded into a new heap segment (the ring's view dies after decode). */
    static Codec<MemorySegment> memorySegment() {
        return BuiltinCodecs.SEGMENT;
    }

    /**
     * Byte buffers: the bytes from position to limit, without moving the position; decoded into a new
     * heap buffer.
     */
    static Codec<ByteBuffer> byteBuffer() {
        return BuiltinCodecs.BYTE_BUFFER;
    }

    /**
     * Records whose components are primitives, boxed primitives, {@code String}, {@code byte[]}, enums,
     * or such records in turn; the layout is worked out once, here, by reflection. {@code null} is allowed
     * for the non-primitive components. The record must be public in an exported package, or its package
     * opened to {@code dev.ringfork.ipc}.
     *
     * @throws IllegalArgumentException if a component has another type
     */
    static <R extends Record> Codec<R> record(Class<R> type) {
        return RecordCodec.of(type);
    }

    /**
     * Any {@link Serializable} value, through {@link java.io.ObjectOutputStream}: the fallback, slower and
     * larger than the others. Decoding checks the result is a {@code type}. Deserialising runs code
     * chosen by the bytes: use only between processes you trust (a region is mode 0600), or add a filter
     * with {@link #serializable(Class, ObjectInputFilter)}.
     */
    static <S extends Serializable> Codec<S> serializable(Class<S> type) {
        return new SerializableCodec<>(type, null);
    }

    /** {@link #serializable(Class)}, with {@code filter} applied while decoding. */
    static <S extends Serializable> Codec<S> serializable(Class<S> type, ObjectInputFilter filter) {
        return new SerializableCodec<>(type, Objects.requireNonNull(filter, "filter"));
    }

    /**
     * A codec from two functions over byte arrays: the quickest way to add your own. Exceptions from
     * {@code decoder} become a {@link CodecException}.
     */
    static <T> Codec<T> of(String name, Class<T> type, Function<? super T, byte[]> encoder,
                           Function<byte[], ? extends T> decoder) {
        return new FunctionCodec<>(name, type, encoder, decoder);
    }
}
