package dev.ringfork.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
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
        try (ObjectInputStream in = new TypeLoaderStream(new ByteArrayInputStream(message.toArray(ValueLayout.JAVA_BYTE)), type)) {
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

    /** Resolves classes with the value type's loader first (it can see the application's classes). */
    private static final class TypeLoaderStream extends ObjectInputStream {
        private final ClassLoader loader;

        TypeLoaderStream(InputStream in, Class<?> type) throws IOException {
            super(in);
            this.loader = type.getClassLoader();
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // primitives and classes the type's loader does not see: the default way
                }
            }
            return super.resolveClass(desc);
        }
    }
}
