package dev.ringfork.ipc.internal.cluster;

import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.internal.pool.ChunkCodec;
import dev.ringfork.ipc.internal.pool.LoaderObjectInputStream;
import dev.ringfork.ipc.internal.pool.RemoteFailure;
import dev.ringfork.ipc.internal.pool.TaskSerializer;
import dev.ringfork.ipc.pool.TaskNotSerializableException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What a cluster pool's work is inside a host's worker JVM: one local task per map chunk ({@link ChunkCall}) or per
 * {@code submit} ({@link TaskCall}). Both carry the user's function and items as opaque bytes, so the host agent that
 * passes them on never needs the user's classes; both answer with bytes ({@link #encode}) that only the submitter
 * decodes ({@link #decode}), with its own class loader.
 */
public final class WorkerCalls {

    private WorkerCalls() {
    }

    /**
     * The answers of one chunk or task, decoded: per item its value, or the failure (with {@code workerPid}); or, when
     * the host's local pool could not run it at all (its worker died past the retries, ...), {@code whole}.
     */
    public record Answers(long workerPid, long computeNanos, Object[] values, RemoteFailure[] failures, RuntimeException whole) {
    }

    /**
     * The answer of a host whose local pool could not run a chunk or task: {@code failure} (a WorkerDiedException, a
     * RemoteTaskException, ...) travels in the answer, not as a Hazelcast exception, so the submitter gets it as it is.
     */
    static byte[] failed(Throwable failure) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(ProcessHandle.current().pid());
            out.writeLong(0);
            out.writeInt(-1);
            byte[] thrown;
            try {
                thrown = serialize(failure instanceof RuntimeException ? failure : RemoteFailure.of(failure).toException(-1));
            } catch (CodecException e) {
                thrown = serialize(RemoteFailure.of(failure).toException(-1));
            }
            out.write(thrown);
        } catch (IOException e) {
            throw new CodecException("cannot encode a failure: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** Maps whose function a worker JVM keeps deserialized. */
    static final int FUNCTIONS_KEPT = 32;

    /**
     * The functions of the maps this worker JVM ran chunks of lately, by map: deserialized once per map and worker, as
     * the local pool's worker does, not once per chunk (Java deserialization was a fifth of a worker's CPU at chunk
     * 1000). Least recently used first; bounded, since the agent's local pool never says when a cluster map ends.
     */
    private static final Map<Long, KeptFunction> FUNCTIONS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, KeptFunction> eldest) {
            return size() > FUNCTIONS_KEPT;
        }
    };

    private record KeptFunction(byte[] bytes, Function<Object, Object> function) {
    }

    /** The function of map {@code map}, deserialized from {@code bytes} unless this JVM kept it. */
    static Function<Object, Object> keptFunction(long map, byte[] bytes, ClassLoader loader) {
        synchronized (FUNCTIONS) {
            KeptFunction kept = FUNCTIONS.get(map);
            if (kept != null && Arrays.equals(kept.bytes(), bytes)) { // the bytes too: a map id is random, not unique
                return kept.function();
            }
        }
        Function<Object, Object> fn = TaskSerializer.deserialize(bytes, loader); // a failure is not kept: it fails the chunk
        synchronized (FUNCTIONS) {
            FUNCTIONS.put(map, new KeptFunction(bytes, fn));
        }
        return fn;
    }

    /**
     * A map chunk of map {@code map} (a random id per cluster map): the serialized function and the serialized items
     * ({@link #items}); applies the function to each item in order, a failure per item (the others still run).
     */
    public record ChunkCall(long map, byte[] function, byte[] items) implements SerializableCallable<byte[]> {
        @Override
        public byte[] call() {
            ClassLoader loader = ChunkCall.class.getClassLoader();
            Object[] input = new ChunkCodec(loader).decode(MemorySegment.ofArray(items), 0, items.length).toArray();
            Function<Object, Object> fn = keptFunction(map, function, loader);
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
     * The items of a chunk as bytes, in order (the submitter encodes them, the worker decodes them): packed when
     * they are all Integer, Long, Double, Boolean, String or byte[], else by Java serialization.
     *
     * @throws TaskNotSerializableException if an item does not serialize
     */
    public static byte[] items(List<?> items) {
        try {
            return codecBytes(items);
        } catch (CodecException e) {
            throw new TaskNotSerializableException("an item of the map cannot be sent to a host: " + e.getMessage(), e);
        }
    }

    private static byte[] codecBytes(List<?> items) {
        ChunkCodec codec = new ChunkCodec();
        byte[] bytes = new byte[codec.encodedSize(items)];
        codec.encode(items, MemorySegment.ofArray(bytes), 0);
        return bytes;
    }

    /**
     * Results and failures as bytes: the worker's pid, the compute time, the failures by index, then the results
     * encoded as a chunk (null where an item failed). A result that does not serialize becomes that item's failure.
     */
    static byte[] encode(Object[] values, RemoteFailure[] failures, long nanos) {
        byte[] results;
        try {
            results = codecBytes(Arrays.asList(values));
        } catch (CodecException e) {
            for (int i = 0; i < values.length; i++) {
                if (failures[i] == null && !serializes(values[i])) {
                    failures[i] = RemoteFailure.of(new NotSerializableException("the result (a " + values[i].getClass().getName()
                            + ") cannot be sent back: it is not java.io.Serializable, or its serialization failed"));
                    values[i] = null;
                }
            }
            results = codecBytes(Arrays.asList(values));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(results.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(ProcessHandle.current().pid());
            out.writeLong(nanos);
            int failed = (int) Arrays.stream(failures).filter(Objects::nonNull).count();
            out.writeInt(failed);
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] != null) {
                    byte[] failure = serialize(failures[i]);
                    out.writeInt(i);
                    out.writeInt(failure.length);
                    out.write(failure);
                }
            }
            out.write(results);
        } catch (IOException e) {
            throw new CodecException("cannot encode the results of a chunk: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** The answers in {@code bytes}, their classes resolved with {@code loader}. */
    public static Answers decode(byte[] bytes, ClassLoader loader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long pid = in.readLong();
            long nanos = in.readLong();
            int failed = in.readInt();
            if (failed < 0) {
                try (ObjectInputStream objects = new LoaderObjectInputStream(in, loader)) {
                    return new Answers(pid, nanos, new Object[0], new RemoteFailure[0], (RuntimeException) objects.readObject());
                }
            }
            Map<Integer, RemoteFailure> failures = new HashMap<>();
            for (int i = 0; i < failed; i++) {
                int index = in.readInt();
                byte[] failure = in.readNBytes(in.readInt());
                try (ObjectInputStream objects = new LoaderObjectInputStream(new ByteArrayInputStream(failure), loader)) {
                    failures.put(index, (RemoteFailure) objects.readObject());
                }
            }
            int offset = bytes.length - in.available();
            Object[] values = new ChunkCodec(loader).decode(MemorySegment.ofArray(bytes), offset, bytes.length - offset).toArray();
            RemoteFailure[] byIndex = new RemoteFailure[values.length];
            failures.forEach((index, failure) -> byIndex[index] = failure);
            return new Answers(pid, nanos, values, byIndex, null);
        } catch (IOException | ClassNotFoundException e) {
            throw new CodecException("cannot decode the answers of a host (" + bytes.length + " bytes): " + e, e);
        }
    }

    private static boolean serializes(Object value) {
        try {
            serialize(value);
            return true;
        } catch (CodecException e) {
            return false;
        }
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot serialize a " + value.getClass().getName() + ": " + e, e);
        }
        return bytes.toByteArray();
    }
}
