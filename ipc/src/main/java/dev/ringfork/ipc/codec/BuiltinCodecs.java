package dev.ringfork.ipc.codec;

import dev.ringfork.ipc.internal.WholeCodec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The codecs behind {@link Codec}'s factories for plain types. */
final class BuiltinCodecs {

    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final Codec<byte[]> BYTES = new WholeCodec<>() {
        @Override
        public int encodedSize(byte[] value) {
            return value.length;
        }

        @Override
        public void encode(byte[] value, MemorySegment target) {
            MemorySegment.copy(value, 0, target, ValueLayout.JAVA_BYTE, 0, value.length);
        }

        @Override
        public byte[] toBytes(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(MemorySegment message) {
            return message.toArray(ValueLayout.JAVA_BYTE);
        }

        @Override
        public String name() {
            return "bytes";
        }

        @Override
        public Class<?> valueType() {
            return byte[].class;
        }
    };

    static final Codec<String> STRING = new WholeCodec<>() {
        @Override
        public int encodedSize(String value) {
            return Utf8.length(value);
        }

        @Override
        public void encode(String value, MemorySegment target) {
            Utf8.write(value, target, 0);
        }

        @Override
        public String decode(MemorySegment message) {
            if (message.byteSize() > Integer.MAX_VALUE) {
                throw CodecException.decoding(this, message, "too long for a String", null);
            }
            return Utf8.read(message, 0, (int) message.byteSize());
        }

        @Override
        public String name() {
            return "string";
        }

        @Override
        public Class<?> valueType() {
            return String.class;
        }
    };

    static final Codec<Integer> INT = new Fixed<>("int32", Integer.class, 4) {
        @Override
        public void encode(Integer value, MemorySegment target) {
            target.set(INT_LE, 0, value);
        }

        @Override
        Integer read(MemorySegment message) {
            return message.get(INT_LE, 0);
        }
    };

    static final Codec<Long> LONG = new Fixed<>("int64", Long.class, 8) {
        @Override
        public void encode(Long value, MemorySegment target) {
            target.set(LONG_LE, 0, value);
        }

        @Override
        Long read(MemorySegment message) {
            return message.get(LONG_LE, 0);
        }
    };

    static final Codec<Double> DOUBLE = new Fixed<>("float64", Double.class, 8) {
        @Override
        public void encode(Double value, MemorySegment target) {
            target.set(LONG_LE, 0, Double.doubleToRawLongBits(value));
        }

        @Override
        Double read(MemorySegment message) {
            return Double.longBitsToDouble(message.get(LONG_LE, 0));
        }
    };

    static final Codec<MemorySegment> SEGMENT = new WholeCodec<>() {
        @Override
        public int encodedSize(MemorySegment value) {
            if (value.byteSize() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("segment of " + value.byteSize() + " bytes is too large for a message");
            }
            return (int) value.byteSize();
        }

        @Override
        public void encode(MemorySegment value, MemorySegment target) {
            MemorySegment.copy(value, 0, target, 0, value.byteSize());
        }

        @Override
        public MemorySegment decode(MemorySegment message) {
            return MemorySegment.ofArray(message.toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public String name() {
            return "memorySegment";
        }

        @Override
        public Class<?> valueType() {
            return MemorySegment.class;
        }
    };

    static final Codec<ByteBuffer> BYTE_BUFFER = new WholeCodec<>() {
        @Override
        public int encodedSize(ByteBuffer value) {
            return value.remaining();
        }

        @Override
        public void encode(ByteBuffer value, MemorySegment target) {
            MemorySegment.copy(MemorySegment.ofBuffer(value), 0, target, 0, value.remaining());
        }

        @Override
        public ByteBuffer decode(MemorySegment message) {
            return ByteBuffer.wrap(message.toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public String name() {
            return "byteBuffer";
        }

        @Override
        public Class<?> valueType() {
            return ByteBuffer.class;
        }
    };

    private BuiltinCodecs() {
    }

    /** A codec of a fixed size: checks the message length before reading. */
    private abstract static class Fixed<T> implements WholeCodec<T> {
        private final String name;
        private final Class<T> type;
        private final int size;

        Fixed(String name, Class<T> type, int size) {
            this.name = name;
            this.type = type;
            this.size = size;
        }

        @Override
        public int encodedSize(T value) {
            return size;
        }

        @Override
        public T decode(MemorySegment message) {
            if (message.byteSize() != size) {
                throw CodecException.decoding(this, message, "expected " + size + " bytes", null);
            }
            return read(message);
        }

        abstract T read(MemorySegment message);

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<?> valueType() {
            return type;
        }
    }
}
