package dev.ringfork.ipc.codec;

import dev.ringfork.ipc.internal.WholeCodec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.ringfork.ipc.codec.BuiltinCodecs.INT_LE;
import static dev.ringfork.ipc.codec.BuiltinCodecs.LONG_LE;

/**
 * {@link Codec#record}: a record's components in declaration order, little-endian. Primitives take their
 * size; a boxed primitive or nested record takes a presence byte first; a String, byte[] or enum (by name)
 * takes a 4-byte length (-1 for null), then its bytes. The plan is made once per record type.
 */
final class RecordCodec<R extends Record> implements WholeCodec<R> {

    private static final ClassValue<RecordCodec<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordCodec<?> computeValue(Class<?> type) {
            return build(type.asSubclass(Record.class), new HashSet<>());
        }
    };

    private final Class<R> type;
    private final Field[] fields;
    private final MethodHandle constructor; // (Object[]) Object

    private RecordCodec(Class<R> type, Field[] fields, MethodHandle constructor) {
        this.type = type;
        this.fields = fields;
        this.constructor = constructor;
    }

    @SuppressWarnings("unchecked")
    static <R extends Record> RecordCodec<R> of(Class<R> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        try {
            return (RecordCodec<R>) CACHE.get(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // the caller's stack, not the ClassValue's
        }
    }

    private static <R extends Record> RecordCodec<R> build(Class<R> type, Set<Class<?>> visiting) {
        if (!visiting.add(type)) {
            throw new IllegalArgumentException("record " + type.getName() + " contains itself: recursive records are not supported");
        }
        RecordComponent[] components = type.getRecordComponents();
        Field[] fields = new Field[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            types[i] = component.getType();
            MethodHandle accessor = handle(type, component.getAccessor(), unreflected -> MethodHandles.publicLookup().unreflect(unreflected));
            accessor = accessor.asType(MethodType.methodType(Object.class, Object.class));
            fields[i] = new Field(component.getName(), kindOf(type, component), component.getType(), accessor,
                    component.getType().isRecord() ? build(component.getType().asSubclass(Record.class), visiting) : null);
        }
        Constructor<R> canonical;
        try {
            canonical = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("record " + type.getName() + " has no canonical constructor", e);
        }
        MethodHandle constructor = handle(type, canonical, unreflected -> MethodHandles.publicLookup().unreflectConstructor(unreflected))
                .asType(MethodType.methodType(Object.class, types))
                .asSpreader(Object[].class, types.length);
        visiting.remove(type);
        return new RecordCodec<>(type, fields, constructor);
    }

    private interface Unreflector<A extends AccessibleObject> {
        MethodHandle apply(A member) throws IllegalAccessException;
    }

    private static <A extends AccessibleObject> MethodHandle handle(Class<?> type, A member, Unreflector<A> unreflector) {
        try {
            return unreflector.apply(member);
        } catch (IllegalAccessException notPublic) {
            try {
                member.setAccessible(true);
                return unreflector.apply(member);
            } catch (IllegalAccessException | InaccessibleObjectException | SecurityException e) {
                throw new IllegalArgumentException("record " + type.getName() + " is not accessible to Ringfork: make it"
                        + " public in an exported package (on the module path: 'exports " + type.getPackageName()
                        + " to dev.ringfork.ipc;' in module-info.java), or open its package to module dev.ringfork.ipc", e);
            }
        }
    }

    private static Kind kindOf(Class<?> record, RecordComponent component) {
        Class<?> c = component.getType();
        if (c == boolean.class) return Kind.BOOLEAN;
        if (c == byte.class) return Kind.BYTE;
        if (c == short.class) return Kind.SHORT;
        if (c == char.class) return Kind.CHAR;
        if (c == int.class) return Kind.INT;
        if (c == long.class) return Kind.LONG;
        if (c == float.class) return Kind.FLOAT;
        if (c == double.class) return Kind.DOUBLE;
        if (c == Boolean.class) return Kind.BOXED_BOOLEAN;
        if (c == Byte.class) return Kind.BOXED_BYTE;
        if (c == Short.class) return Kind.BOXED_SHORT;
        if (c == Character.class) return Kind.BOXED_CHAR;
        if (c == Integer.class) return Kind.BOXED_INT;
        if (c == Long.class) return Kind.BOXED_LONG;
        if (c == Float.class) return Kind.BOXED_FLOAT;
        if (c == Double.class) return Kind.BOXED_DOUBLE;
        if (c == String.class) return Kind.STRING;
        if (c == byte[].class) return Kind.BYTES;
        if (c.isEnum()) return Kind.ENUM;
        if (c.isRecord()) return Kind.RECORD;
        throw new IllegalArgumentException("record " + record.getName() + " component '" + component.getName() + "' has type "
                + component.getGenericType().getTypeName() + ": Codec.record takes primitives, boxed primitives, String,"
                + " byte[], enums and such records; use Codec.serializable or your own Codec for others");
    }

    private enum Kind {
        BOOLEAN(1), BYTE(1), SHORT(2), CHAR(2), INT(4), LONG(8), FLOAT(4), DOUBLE(8),
        BOXED_BOOLEAN(1), BOXED_BYTE(1), BOXED_SHORT(2), BOXED_CHAR(2), BOXED_INT(4), BOXED_LONG(8), BOXED_FLOAT(4), BOXED_DOUBLE(8),
        STRING(-1), BYTES(-1), ENUM(-1), RECORD(-1);

        final int size;

        Kind(int size) {
            this.size = size;
        }

        boolean boxed() {
            return ordinal() >= BOXED_BOOLEAN.ordinal() && ordinal() <= BOXED_DOUBLE.ordinal();
        }
    }

    private record Field(String name, Kind kind, Class<?> type, MethodHandle accessor, RecordCodec<?> nested) {
    }

    @Override
    public int encodedSize(R value) {
        long size = sizeOf(value);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("record of " + size + " bytes is too large for a message");
        }
        return (int) size;
    }

    @Override
    public void encode(R value, MemorySegment target) {
        write(value, target, 0);
    }

    @Override
    public R decode(MemorySegment message) {
        Cursor cursor = new Cursor(message);
        R value;
        try {
            value = read(cursor);
        } catch (IndexOutOfBoundsException e) {
            throw CodecException.decoding(this, message, "truncated (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw CodecException.decoding(this, message, e.getMessage(), e);
        }
        if (cursor.at != message.byteSize()) {
            throw CodecException.decoding(this, message, (message.byteSize() - cursor.at) + " bytes left over after the record", null);
        }
        return value;
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public Class<?> valueType() {
        return type;
    }

    private long sizeOf(Object record) {
        long size = 0;
        for (Field field : fields) {
            Kind kind = field.kind;
            if (kind.size > 0 && !kind.boxed()) {
                size += kind.size;
                continue;
            }
            Object v = get(field, record);
            switch (kind) {
                case STRING -> size += 4 + (v == null ? 0 : Utf8.length((String) v));
                case BYTES -> size += 4 + (v == null ? 0 : ((byte[]) v).length);
                case ENUM -> size += 4 + (v == null ? 0 : Utf8.length(((Enum<?>) v).name()));
                case RECORD -> size += 1 + (v == null ? 0 : field.nested.sizeOf(v));
                default -> size += 1 + (v == null ? 0 : kind.size); // boxed
            }
        }
        return size;
    }

    private long write(Object record, MemorySegment target, long at) {
        for (Field field : fields) {
            Object v = get(field, record);
            Kind kind = field.kind;
            if (kind.boxed() || kind == Kind.RECORD) {
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (v == null ? 0 : 1));
                if (v == null) {
                    continue;
                }
            }
            switch (kind) {
                case BOOLEAN, BOXED_BOOLEAN -> target.set(ValueLayout.JAVA_BYTE, at, (byte) ((Boolean) v ? 1 : 0));
                case BYTE, BOXED_BYTE -> target.set(ValueLayout.JAVA_BYTE, at, (Byte) v);
                case SHORT, BOXED_SHORT -> target.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(INT_LE.order()), at, (Short) v);
                case CHAR, BOXED_CHAR -> target.set(ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(INT_LE.order()), at, (Character) v);
                case INT, BOXED_INT -> target.set(INT_LE, at, (Integer) v);
                case LONG, BOXED_LONG -> target.set(LONG_LE, at, (Long) v);
                case FLOAT, BOXED_FLOAT -> target.set(INT_LE, at, Float.floatToRawIntBits((Float) v));
                case DOUBLE, BOXED_DOUBLE -> target.set(LONG_LE, at, Double.doubleToRawLongBits((Double) v));
                case STRING, ENUM -> {
                    if (v == null) {
                        target.set(INT_LE, at, -1);
                        at += 4;
                    } else {
                        String s = kind == Kind.STRING ? (String) v : ((Enum<?>) v).name();
                        target.set(INT_LE, at, Utf8.length(s));
                        at = Utf8.write(s, target, at + 4);
                    }
                    continue;
                }
                case BYTES -> {
                    if (v == null) {
                        target.set(INT_LE, at, -1);
                        at += 4;
                    } else {
                        byte[] bytes = (byte[]) v;
                        target.set(INT_LE, at, bytes.length);
                        MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, at + 4, bytes.length);
                        at += 4 + bytes.length;
                    }
                    continue;
                }
                case RECORD -> {
                    at = field.nested.write(v, target, at);
                    continue;
                }
            }
            at += kind.size;
        }
        return at;
    }

    private R read(Cursor in) {
        Object[] args = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Field field = fields[i];
            Kind kind = field.kind;
            if (kind.boxed() || kind == Kind.RECORD) {
                byte present = in.segment.get(ValueLayout.JAVA_BYTE, in.at++);
                if (present == 0) {
                    continue; // null
                }
                if (present != 1) {
                    throw new IllegalStateException("component '" + field.name + "': presence byte " + present + " at offset " + (in.at - 1));
                }
            }
            long at = in.at;
            MemorySegment s = in.segment;
            args[i] = switch (kind) {
                case BOOLEAN, BOXED_BOOLEAN -> s.get(ValueLayout.JAVA_BYTE, at) != 0;
                case BYTE, BOXED_BYTE -> s.get(ValueLayout.JAVA_BYTE, at);
                case SHORT, BOXED_SHORT -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(INT_LE.order()), at);
                case CHAR, BOXED_CHAR -> s.get(ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(INT_LE.order()), at);
                case INT, BOXED_INT -> s.get(INT_LE, at);
                case LONG, BOXED_LONG -> s.get(LONG_LE, at);
                case FLOAT, BOXED_FLOAT -> Float.intBitsToFloat(s.get(INT_LE, at));
                case DOUBLE, BOXED_DOUBLE -> Double.longBitsToDouble(s.get(LONG_LE, at));
                case STRING, ENUM, BYTES -> readVariable(field, in);
                case RECORD -> field.nested.read(in);
            };
            if (kind.size > 0) {
                in.at += kind.size;
            }
        }
        try {
            Object record = (Object) constructor.invokeExact(args);
            return type.cast(record);
        } catch (RuntimeException | Error e) {
            throw new IllegalStateException("the constructor of " + type.getName() + " rejected the values: " + e, e);
        } catch (Throwable e) {
            throw new IllegalStateException("the constructor of " + type.getName() + " threw " + e, e);
        }
    }

    private static Object readVariable(Field field, Cursor in) {
        int length = in.segment.get(INT_LE, in.at);
        in.at += 4;
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.segment.byteSize() - in.at) {
            throw new IllegalStateException("component '" + field.name + "': length " + length + " at offset " + (in.at - 4)
                    + " runs past the end");
        }
        long at = in.at;
        in.at += length;
        return switch (field.kind) {
            case BYTES -> in.segment.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
            case STRING -> Utf8.read(in.segment, at, length);
            default -> enumConstant(field, Utf8.read(in.segment, at, length));
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Field field, String name) {
        try {
            return Enum.valueOf((Class) field.type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("component '" + field.name + "': " + field.type.getName() + " has no constant " + name, e);
        }
    }

    private static Object get(Field field, Object record) {
        try {
            return field.accessor.invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("accessor " + field.name + " threw " + e, e);
        }
    }

    private static final class Cursor {
        final MemorySegment segment;
        long at;

        Cursor(MemorySegment segment) {
            this.segment = segment;
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Field field : fields) {
            names.add(field.name + ":" + field.kind);
        }
        return "RecordCodec[" + type.getName() + " " + names + "]";
    }
}
