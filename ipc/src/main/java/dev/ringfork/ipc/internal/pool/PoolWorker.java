package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.MpscRing;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.WaitStrategy;
import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.internal.SegmentMappings;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A pool worker JVM's main: reads its task ring, runs each chunk's function over its items (or a
 * call), and writes one RESULT per chunk into the pool's results ring. Exits when the parent closes its
 * task ring, after {@code maxTasks} chunks (saying RETIRING first), or when the parent dies (the launcher's
 * watchdog). Arguments: directory, pool region, max tasks, results capacity, wait, own region, slot,
 * generation.
 */
public final class PoolWorker implements MessageHandler {

    private static final ClassLoader LOADER = PoolWorker.class.getClassLoader();

    private final int slot;
    private final int generation;
    private final long maxTasks;
    private final RingProducer results;
    private final int maxResult;
    private final ChunkCodec codec = new ChunkCodec();
    private final Map<Long, Object> functions = new HashMap<>();
    private long tasksRun;
    private boolean retired;

    private PoolWorker(int slot, int generation, long maxTasks, MpscRing results) {
        this.slot = slot;
        this.generation = generation;
        this.maxTasks = maxTasks;
        this.results = results.producer();
        this.maxResult = results.maxMessageLength();
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        String poolRegion = args[1];
        long maxTasks = Long.parseLong(args[2]);
        int resultCapacity = Integer.parseInt(args[3]);
        WaitStrategy wait = switch (args[4]) {
            case "spin" -> WaitStrategy.busySpin();
            case "yield" -> WaitStrategy.yielding();
            default -> WaitStrategy.adaptive();
        };
        String ownRegion = args[5];
        int slot = Integer.parseInt(args[6]);
        int generation = Integer.parseInt(args[7]);
        RegionOptions regionOptions = RegionOptions.defaults().withDirectory(directory);
        try (SharedRegion pool = SharedRegion.open(poolRegion, regionOptions);
             SharedRegion own = SharedRegion.open(ownRegion, regionOptions)) {
            RingOptions options = RingOptions.defaults().withWaitStrategy(wait);
            MpscRing results = MpscRing.open(pool, "results", options.withCapacity(resultCapacity));
            RingOptions taskOptions = wait instanceof WaitStrategy.Adaptive ? options.withWaitStrategy(new HotWait(wait)) : options;
            try (RingConsumer tasks = SpscRing.open(own, "tasks", taskOptions).consumer()) {
                new PoolWorker(slot, generation, maxTasks, results).run(tasks);
            }
        }
    }

    private void run(RingConsumer tasks) throws InterruptedException {
        send(PoolMessages.READY, 8, target -> target.set(PoolMessages.LONG, PoolMessages.WORKER_HEADER, ProcessHandle.current().pid()));
        while (!retired) {
            // One message at a time: a chunk's record is released as soon as its result is written.
            if (tasks.read(this, 1, 1, TimeUnit.SECONDS) < 0) {
                return; // the parent closed our ring: everything sent was done
            }
        }
    }

    @Override
    public void onMessage(int type, MemorySegment message) {
        switch (type) {
            case PoolMessages.INIT -> initialise(PoolMessages.bytes(message, 8));
            case PoolMessages.FUNCTION -> functions.put(message.get(PoolMessages.LONG, 0), load(PoolMessages.bytes(message, 8)));
            case PoolMessages.FORGET -> forget(message.get(PoolMessages.LONG, 0));
            case PoolMessages.CHUNK -> runChunk(message);
            case PoolMessages.CALL -> runCall(message.get(PoolMessages.LONG, 0), PoolMessages.bytes(message, 8));
            default -> throw new IllegalStateException("unknown task message type " + type);
        }
    }

    /** The job ended: its function goes, and the shared segments only its tasks used are unmapped. */
    private void forget(long jobId) {
        functions.remove(jobId);
        SegmentMappings.end(jobId);
    }

    private void initialise(byte[] bytes) {
        try {
            SerializableRunnable initializer = TaskSerializer.deserialize(bytes, LOADER);
            initializer.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            byte[] failure = TaskSerializer.serialize(RemoteFailure.of(t), "the initializer's failure");
            send(PoolMessages.BROKEN, failure.length, target -> MemorySegment.copy(MemorySegment.ofArray(failure), 0,
                    target, PoolMessages.WORKER_HEADER, failure.length));
            retired = true;
        }
    }

    /** The job's function, or the failure to load it (each item of its chunks then fails with it). */
    private Object load(byte[] bytes) {
        try {
            return TaskSerializer.deserialize(bytes, LOADER);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return RemoteFailure.of(t);
        }
    }

    @SuppressWarnings("unchecked")
    private void runChunk(MemorySegment message) {
        long started = System.nanoTime();
        Object function = functions.get(message.get(PoolMessages.LONG, 0));
        long chunkId = message.get(PoolMessages.LONG, 8);
        List<Object> items = codec.decode(message, PoolMessages.CHUNK_HEADER, message.byteSize() - PoolMessages.CHUNK_HEADER);
        List<Object> values = new ArrayList<>(items.size());
        long jobId = message.get(PoolMessages.LONG, 0);
        SegmentMappings.enter(jobId); // segments the tasks map stay mapped until the job's FORGET
        try {
            for (Object item : items) {
                if (function instanceof SerializableFunction<?, ?> f) {
                    values.add(apply((SerializableFunction<Object, Object>) f, item));
                } else {
                    values.add(function instanceof RemoteFailure failure ? failure
                            : RemoteFailure.of(new IllegalStateException("no function for this chunk's job")));
                }
            }
        } finally {
            SegmentMappings.leave();
        }
        if (function == null) {
            SegmentMappings.end(jobId); // a job this worker does not know: no FORGET will come for it
        }
        answer(chunkId, values, System.nanoTime() - started);
    }

    private static Object apply(SerializableFunction<Object, Object> function, Object item) {
        try {
            return function.apply(item);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return RemoteFailure.of(t);
        }
    }

    private void runCall(long chunkId, byte[] bytes) {
        long started = System.nanoTime();
        Object value;
        SegmentMappings.enter(chunkId); // a call is a job of its own: its segments go once it is answered
        try {
            Callable<?> callable = TaskSerializer.deserialize(bytes, LOADER);
            value = callable.call();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            value = RemoteFailure.of(t);
        } finally {
            SegmentMappings.leave();
        }
        List<Object> values = new ArrayList<>(1);
        values.add(value);
        answer(chunkId, values, System.nanoTime() - started);
        SegmentMappings.end(chunkId);
    }

    /** Writes the RESULT, then retires if this was the last task this worker may run. */
    private void answer(long chunkId, List<Object> values, long nanos) {
        int size;
        try {
            size = PoolMessages.RESULT_HEADER + codec.encodedSize(values);
        } catch (CodecException unsendable) {
            values = UnsendableResults.replace(values, unsendable, codec); // only the items that cannot travel fail
            size = PoolMessages.RESULT_HEADER + codec.encodedSize(values);
        }
        int room = maxResult;
        if (size > room) {
            RemoteFailure tooLarge = RemoteFailure.of(new IllegalStateException("this chunk's results are " + size
                    + " bytes encoded; the results ring takes at most " + room
                    + ": lower the chunk size, or raise the pool's resultRingCapacity"));
            values = new ArrayList<>(java.util.Collections.nCopies(values.size(), tooLarge));
            size = PoolMessages.RESULT_HEADER + codec.encodedSize(values);
        }
        List<Object> encoded = values;
        send(PoolMessages.RESULT, size - PoolMessages.WORKER_HEADER, target -> {
            target.set(PoolMessages.LONG, 8, chunkId);
            target.set(PoolMessages.LONG, 16, nanos);
            codec.encode(encoded, target, PoolMessages.RESULT_HEADER);
        });
        if (maxTasks > 0 && ++tasksRun >= maxTasks) {
            send(PoolMessages.RETIRING, 0, target -> { });
            retired = true;
        }
    }

    /** Claims {@code bodyLength} bytes after the worker header in the results ring (waiting for room), fills, commits. */
    private void send(int type, int bodyLength, java.util.function.Consumer<MemorySegment> fill) {
        try {
            RingClaim claim;
            while ((claim = results.claim(type, PoolMessages.WORKER_HEADER + bodyLength, 1, TimeUnit.SECONDS)) == null) {
                // the parent is slow to read; its death ends us through the launcher's watchdog
            }
            MemorySegment target = claim.buffer();
            PoolMessages.workerHeader(target, slot, generation);
            fill.accept(target);
            claim.commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the pool's results ring", e);
        }
    }
}
