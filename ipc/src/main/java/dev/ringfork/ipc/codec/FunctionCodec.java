package dev.ringfork.ipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.function.Function;

/** {@link Codec#of}: a codec from an encoder and a decoder over byte arrays. */
final class FunctionCodec<T> implements Codec<T> {

    private final String name;
    private final Class<T> type;
    private final Function<? super T, byte[]> encoder;
    private final Function<byte[], ? extends T> decoder;

    FunctionCodec(String name, Class<T> type, Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public byte[] toBytes(T value) {
        return Objects.requireNonNull(encoder.apply(value), () -> "codec " + name + " encoded a value as null");
    }

    @Override
    public T decode(MemorySegment message) {
        T value;
        try {
            value = decoder.apply(message.toArray(ValueLayout.JAVA_BYTE));
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw CodecException.decoding(this, message, e.toString(), e);
        }
        if (value == null) {
            throw CodecException.decoding(this, message, "the decoder returned null", null);
        }
        if (!type.isInstance(value)) {
            throw CodecException.decoding(this, message, "the decoder returned a " + value.getClass().getName(), null);
        }
        return value;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<?> valueType() {
        return type;
    }
}
