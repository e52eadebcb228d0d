package dev.ringfork.ipc.codec;

import dev.ringfork.ipc.internal.pool.LoaderObjectInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** {@link Codec#serializable}: Java serialisation, the fallback for anything {@link Serializable}. */
final class SerializableCodec<S extends Serializable> implements Codec<S> {

    private final Class<S> type;
    private final ObjectInputFilter filter;

    SerializableCodec(Class<S> type, ObjectInputFilter filter) {
        this.type = Objects.requireNonNull(type, "type");
        this.filter = filter;
    }

    @Override
    public byte[] toBytes(S value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw CodecException.encoding(this, value.getClass(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public S decode(MemorySegment message) {
        Object value;
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(message.toArray(ValueLayout.JAVA_BYTE)), type.getClassLoader())) {
            if (filter != null) {
                in.setObjectInputFilter(filter);
            }
            value = in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw CodecException.decoding(this, message, e.toString(), e);
        }
        if (!type.isInstance(value)) {
            throw CodecException.decoding(this, message, "it holds a "
                    + (value == null ? "null" : value.getClass().getName()), null);
        }
        return type.cast(value);
    }

    @Override
    public String name() {
        return "serializable";
    }

    @Override
    public Class<?> valueType() {
        return type;
    }
}
