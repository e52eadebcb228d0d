package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.map.EntryProcessor;

import java.io.Serial;
import java.util.Map;

/**
 * One atomic operation of a cluster counter, run by the member that owns the counter's partition on its entry (an
 * absent entry is 0), then on the backup's copy. Returns the value before or after, or the witness of a
 * compare-and-exchange.
 */
public final class LongOp implements EntryProcessor<String, Long, Long> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** What an operation does. */
    public enum Kind { GET_AND_SET, GET_AND_ADD, ADD_AND_GET, COMPARE_AND_EXCHANGE }

    private final Kind kind;
    private final long first;
    private final long second;

    private LongOp(Kind kind, long first, long second) {
        this.kind = kind;
        this.first = first;
        this.second = second;
    }

    public static LongOp getAndSet(long value) {
        return new LongOp(Kind.GET_AND_SET, value, 0);
    }

    public static LongOp getAndAdd(long delta) {
        return new LongOp(Kind.GET_AND_ADD, delta, 0);
    }

    public static LongOp addAndGet(long delta) {
        return new LongOp(Kind.ADD_AND_GET, delta, 0);
    }

    /** Sets {@code newValue} if the value is {@code expected}; returns the value found (the witness). */
    public static LongOp compareAndExchange(long expected, long newValue) {
        return new LongOp(Kind.COMPARE_AND_EXCHANGE, expected, newValue);
    }

    @Override
    public Long process(Map.Entry<String, Long> entry) {
        long value = entry.getValue() == null ? 0 : entry.getValue();
        switch (kind) {
            case GET_AND_SET -> entry.setValue(first);
            case GET_AND_ADD -> entry.setValue(value + first);
            case ADD_AND_GET -> {
                entry.setValue(value + first);
                return value + first;
            }
            case COMPARE_AND_EXCHANGE -> {
                if (value == first) {
                    entry.setValue(second);
                }
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return kind + "(" + first + (kind == Kind.COMPARE_AND_EXCHANGE ? ", " + second : "") + ")";
    }
}
