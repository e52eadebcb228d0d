package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.cluster.Member;
import dev.ringfork.ipc.internal.pool.Source;
import dev.ringfork.ipc.internal.pool.TaskSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cuts a cluster map's chunks from its source, on the reader's thread only: how many items (fixed, or sized from the
 * compute time the hosts report), split while their bytes are too many, each as the {@link PoolTask} a host runs.
 */
final class ChunkCutter {

    /** Items per automatic chunk at most, and the first automatic chunk's. */
    static final int MAX_AUTO = 16_384;
    static final int FIRST_AUTO = 64;
    /** Compute time an automatic chunk aims at: a network round trip is well under a millisecond. */
    static final long TARGET_NANOS = 30_000_000;
    /** Serialized items of one chunk at most (a host's task ring takes 1 MiB): larger chunks are split. */
    static final int MAX_CHUNK_BYTES = 512 << 10;

    /** One chunk cut: its item count and its task. */
    record Cut(int size, PoolTask task) {
    }

    private final ClusterEngine engine;
    private final byte[] function;
    /** This map's id in the workers, which keep its function deserialized by it. */
    private final long mapId = ThreadLocalRandom.current().nextLong();
    private final Source<?> source;
    private final long knownSize;
    private final int fixedChunk;
    private double nanosPerItem = -1;

    ChunkCutter(ClusterEngine engine, byte[] function, Source<?> source, long knownSize, int fixedChunk) {
        this.engine = engine;
        this.function = function;
        this.source = source;
        this.knownSize = knownSize;
        this.fixedChunk = fixedChunk;
    }

    /**
     * Pulls the next chunk's items from the source: its tasks in source order (more than one if it was split), or none
     * when the source has no more.
     */
    List<Cut> next(List<Member> hosts) {
        int size = chunkSize(hosts);
        List<Object> items = new ArrayList<>(Math.min(size, 1024));
        while (items.size() < size && source.hasNext()) {
            items.add(source.next());
        }
        List<Cut> cuts = new ArrayList<>(1);
        if (!items.isEmpty()) {
            split(items, cuts);
        }
        return cuts;
    }

    /** A host computed {@code items} items in {@code nanos}: automatic chunks follow what items cost. */
    void computed(long nanos, int items) {
        if (items > 0) {
            double sample = (double) nanos / items;
            nanosPerItem = nanosPerItem < 0 ? sample : 0.7 * nanosPerItem + 0.3 * sample;
        }
    }

    private void split(List<Object> items, List<Cut> cuts) {
        byte[] bytes = WorkerCalls.items(items);
        if (bytes.length > MAX_CHUNK_BYTES && items.size() > 1) {
            int half = items.size() / 2;
            split(new ArrayList<>(items.subList(0, half)), cuts); // the halves stay in source order
            split(new ArrayList<>(items.subList(half, items.size())), cuts);
            return;
        }
        byte[] call = TaskSerializer.serialize(new WorkerCalls.ChunkCall(mapId, function, bytes), "a chunk");
        cuts.add(new Cut(items.size(), new PoolTask(engine.spec.poolId(), engine.specBytes, call, true)));
    }

    private int chunkSize(List<Member> hosts) {
        if (fixedChunk > 0) {
            return fixedChunk;
        }
        int workers = hosts.stream().mapToInt(ClusterEngine::workersOf).sum();
        long cap = knownSize < 0 ? MAX_AUTO : Math.max(1, Math.min(MAX_AUTO, knownSize / (4L * workers) + 1));
        if (nanosPerItem < 0) {
            return (int) Math.min(FIRST_AUTO, cap);
        }
        long items = nanosPerItem <= 0 ? cap : (long) (TARGET_NANOS / nanosPerItem);
        return (int) Math.max(1, Math.min(cap, items));
    }
}
