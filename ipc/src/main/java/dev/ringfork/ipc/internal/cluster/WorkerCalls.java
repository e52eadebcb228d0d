package dev.ringfork.ipc.internal.cluster;

import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.internal.pool.LoaderObjectInputStream;
import dev.ringfork.ipc.internal.pool.RemoteFailure;
import dev.ringfork.ipc.internal.pool.TaskSerializer;
import dev.ringfork.ipc.pool.TaskNotSerializableException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What a cluster pool's work is inside a host's worker JVM: one local task per map chunk ({@link ChunkCall}) or per
 * {@code submit} ({@link TaskCall}). Both carry the user's function and items as opaque bytes, so the host agent that
 * passes them on never needs the user's classes; both answer with bytes ({@link #encode}) that only the submitter
 * decodes ({@link #decode}), with its own class loader.
 */
public final class WorkerCalls {

    private static final byte OK = 0;
    private static final byte FAILED = 1;
    private static final byte OK_BYTES = 2;

    private WorkerCalls() {
    }

    /** The answers of one chunk or task, decoded: per item its value, or the failure (with {@code workerPid}). */
    public record Answers(long workerPid, long computeNanos, Object[] values, RemoteFailure[] failures) {
    }

    /**
     * A map chunk: the serialized function and the serialized items ({@link #items}); applies the function to each
     * item in order, a failure per item (the others still run).
     */
    public record ChunkCall(byte[] function, byte[] items) implements SerializableCallable<byte[]> {
        @Override
        public byte[] call() {
            ClassLoader loader = ChunkCall.class.getClassLoader();
            Object[] input = (Object[]) read(items, loader);
            Function<Object, Object> fn = TaskSerializer.deserialize(function, loader);
            long start = System.nanoTime();
            Object[] values = new Object[input.length];
            RemoteFailure[] failures = new RemoteFailure[input.length];
            for (int i = 0; i < input.length; i++) {
                try {
                    values[i] = fn.apply(input[i]);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable t) {
                    failures[i] = RemoteFailure.of(t);
                }
            }
            return encode(values, failures, System.nanoTime() - start);
        }
    }

    /** A task ({@code submit}): the serialized callable; its value or its failure. */
    public record TaskCall(byte[] callable) implements SerializableCallable<byte[]> {
        @Override
        public byte[] call() {
            Callable<?> task = TaskSerializer.deserialize(callable, TaskCall.class.getClassLoader());
            long start = System.nanoTime();
            Object[] values = new Object[1];
            RemoteFailure[] failures = new RemoteFailure[1];
            try {
                values[0] = task.call();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                failures[0] = RemoteFailure.of(t);
            }
            return encode(values, failures, System.nanoTime() - start);
        }
    }

    /**
     * The items of a chunk as bytes, in order (the submitter serializes them, the worker reads them).
     *
     * @throws TaskNotSerializableException if an item does not serialize
     */
    public static byte[] items(List<?> items) {
        try {
            return write(items.toArray());
        } catch (NotSerializableException e) {
            throw new TaskNotSerializableException("an item of the map cannot be sent to a host: it is or refers to a "
                    + e.getMessage() + ", which is not java.io.Serializable", e);
        } catch (IOException | RuntimeException e) {
            throw new TaskNotSerializableException("an item of the map cannot be sent to a host: serializing it failed with " + e, e);
        }
    }

    /** Results and failures as bytes: one stream for all, or (if a result does not serialize) one per result. */
    static byte[] encode(Object[] values, RemoteFailure[] failures, long nanos) {
        try {
            return encode(values, failures, nanos, false);
        } catch (IOException | RuntimeException e) {
            try {
                return encode(values, failures, nanos, true);
            } catch (IOException again) {
                throw new CodecException("cannot encode the results of a chunk: " + again, again);
            }
        }
    }

    private static byte[] encode(Object[] values, RemoteFailure[] failures, long nanos, boolean each) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + values.length * 16);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeLong(ProcessHandle.current().pid());
            out.writeLong(nanos);
            out.writeInt(values.length);
            for (int i = 0; i < values.length; i++) {
                if (failures[i] != null) {
                    out.writeByte(FAILED);
                    out.writeObject(failures[i]);
                } else if (!each) {
                    out.writeByte(OK);
                    out.writeObject(values[i]);
                } else {
                    try {
                        byte[] one = write(values[i]);
                        out.writeByte(OK_BYTES);
                        out.writeObject(one);
                    } catch (IOException | RuntimeException e) {
                        out.writeByte(FAILED);
                        out.writeObject(RemoteFailure.of(new NotSerializableException("the result "
                                + (values[i] == null ? "" : "(a " + values[i].getClass().getName() + ") ")
                                + "cannot be sent back: " + e)));
                    }
                }
            }
        }
        return bytes.toByteArray();
    }

    /** The answers in {@code bytes}, their classes resolved with {@code loader}. */
    public static Answers decode(byte[] bytes, ClassLoader loader) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            long pid = in.readLong();
            long nanos = in.readLong();
            int count = in.readInt();
            Object[] values = new Object[count];
            RemoteFailure[] failures = new RemoteFailure[count];
            for (int i = 0; i < count; i++) {
                byte kind = in.readByte();
                Object value = in.readObject();
                switch (kind) {
                    case OK -> values[i] = value;
                    case OK_BYTES -> values[i] = read((byte[]) value, loader);
                    default -> failures[i] = (RemoteFailure) value;
                }
            }
            return new Answers(pid, nanos, values, failures);
        } catch (IOException | ClassNotFoundException e) {
            throw new CodecException("cannot decode the answers of a host (" + bytes.length + " bytes): " + e
                    + "; this JVM must have the classes of the results", e);
        }
    }

    private static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Object read(byte[] bytes, ClassLoader loader) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new CodecException("cannot deserialize " + bytes.length + " bytes: " + e
                    + "; the worker's class path must hold the items' classes (ringfork worker --class-path)", e);
        }
    }
}
