package dev.ringfork.ipc.cluster;

import com.hazelcast.map.IMap;
import dev.ringfork.ipc.internal.cluster.ClusterNames;
import dev.ringfork.ipc.internal.cluster.LongOp;
import dev.ringfork.ipc.internal.cluster.Outcomes;

import java.util.Objects;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A long counter across hosts with the atomic operations of {@link dev.ringfork.core.sync.SharedLong}: every host's
 * JVMs that open the same name on the same cluster share one value (0 until first set).
 * <pre>{@code
 * ClusterLong done = ClusterLong.open(cluster, "done");
 * done.incrementAndGet();
 * }</pre>
 *
 * <p><b>Built on</b> an entry of a Hazelcast IMap ({@code ringfork.long}, key NAME, one backup): each operation is
 * an entry processor that the member owning the entry's partition applies atomically, then its backup. Hazelcast
 * Community has no CP subsystem (IAtomicLong is Enterprise-only). {@code updateAndGet}, {@code getAndUpdate} and
 * {@code accumulateAndGet} run the function here, in a compare-and-set loop (so it may run several times).
 *
 * <p><b>Failures:</b> an operation is never applied twice. If the member applying it dies or its connection drops
 * before it answers, the operation is not resent (the client runs with {@code redoOperation=false}) and the call
 * throws {@link ClusterOutcomeUnknownException}: it may or may not have been applied; read the value to know
 * ({@link #set} alone, which may be applied twice without harm, is sent again for up to 30 s). What
 * was acknowledged survives the death of one member (the backup takes over). A split brain lets each side count on
 * its own; when they merge, the larger side's value wins and the other side's updates are lost (docs/cluster.md).
 * Each call is a network round trip (about 0.2 ms on loopback). Thread-safe.
 */
public final class ClusterLong {

    private final String name;
    private final IMap<String, Long> values;

    private ClusterLong(String name, IMap<String, Long> values) {
        this.name = name;
        this.values = values;
    }

    /**
     * The counter {@code name} of the cluster.
     *
     * @param name 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'
     */
    public static ClusterLong open(Cluster cluster, String name) {
        Objects.requireNonNull(cluster, "cluster");
        ClusterNames.check("counter", name);
        return new ClusterLong(name, cluster.hazelcast().getMap(ClusterNames.LONG_MAP));
    }

    /** The value. */
    public long get() {
        try {
            Long value = values.get(name);
            return value == null ? 0 : value;
        } catch (RuntimeException e) {
            throw Outcomes.of(e, "counter '" + name + "': get");
        }
    }

    /** Sets the value. */
    public void set(long value) {
        Outcomes.idempotent(() -> {
            values.set(name, value);
            return null;
        }, "counter '" + name + "': set(" + value + ")");
    }

    /** Sets {@code value}; returns the value before. */
    public long getAndSet(long value) {
        return apply(LongOp.getAndSet(value));
    }

    /** Sets {@code newValue} if the value is {@code expected}; true if it did. */
    public boolean compareAndSet(long expected, long newValue) {
        return compareAndExchange(expected, newValue) == expected;
    }

    /** Sets {@code newValue} if the value is {@code expected}; returns the value found (the witness). */
    public long compareAndExchange(long expected, long newValue) {
        return apply(LongOp.compareAndExchange(expected, newValue));
    }

    /** Adds {@code delta}; returns the value before. */
    public long getAndAdd(long delta) {
        return apply(LongOp.getAndAdd(delta));
    }

    /** Adds {@code delta}; returns the value after. */
    public long addAndGet(long delta) {
        return apply(LongOp.addAndGet(delta));
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    public long decrementAndGet() {
        return addAndGet(-1);
    }

    public long getAndIncrement() {
        return getAndAdd(1);
    }

    /** Applies {@code update} atomically (a compare-and-set loop; it may run more than once); returns the new value. */
    public long updateAndGet(LongUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long current = get();
        for (;;) {
            long next = update.applyAsLong(current);
            long witness = compareAndExchange(current, next);
            if (witness == current) {
                return next;
            }
            current = witness;
        }
    }

    /** Applies {@code update} atomically (a compare-and-set loop; it may run more than once); returns the old value. */
    public long getAndUpdate(LongUnaryOperator update) {
        Objects.requireNonNull(update, "update");
        long current = get();
        for (;;) {
            long witness = compareAndExchange(current, update.applyAsLong(current));
            if (witness == current) {
                return current;
            }
            current = witness;
        }
    }

    /** Combines the value with {@code x} atomically; returns the new value. */
    public long accumulateAndGet(long x, LongBinaryOperator accumulator) {
        Objects.requireNonNull(accumulator, "accumulator");
        return updateAndGet(v -> accumulator.applyAsLong(v, x));
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ClusterLong[" + name + "]";
    }

    private long apply(LongOp op) {
        try {
            return values.executeOnKey(name, op);
        } catch (RuntimeException e) {
            throw Outcomes.of(e, "counter '" + name + "': " + op);
        }
    }
}
