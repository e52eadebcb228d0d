package dev.ringfork.core.sync;

import java.util.concurrent.TimeUnit;

/**
 * Deadlines of blocking calls, as {@link System#nanoTime()} values: the one place that turns a timeout
 * into a deadline (saturating, so a huge timeout means "none") and asks whether it has passed.
 */
public final class Deadline {

    /** "No deadline": waits that take it wait as long as it takes. */
    public static final long NONE = Long.MAX_VALUE;
    /** A timeout this long (about 146 years) or longer means "no deadline". */
    static final long FOREVER_NANOS = 1L << 62;

    private Deadline() {
    }

    /** The deadline {@code timeout} from now; {@link #NONE} for a timeout of 2^62 ns (146 years) or more. */
    public static long after(long timeout, TimeUnit unit) {
        return after(System.nanoTime(), timeout, unit);
    }

    /**
     * The deadline {@code timeout} after {@code now} (a {@link System#nanoTime()} the caller just read and
     * uses again, so a wait reads the clock once less); {@link #NONE} for a timeout of 2^62 ns (146 years) or more.
     */
    public static long after(long now, long timeout, TimeUnit unit) {
        long nanos = Math.max(0, unit.toNanos(timeout));
        if (nanos >= FOREVER_NANOS) {
            return NONE;
        }
        // nanoTime may be any long, negative included: the sum may wrap, which passed/left/earlier allow for.
        long deadline = now + nanos;
        return deadline == NONE ? NONE - 1 : deadline;
    }

    /** True if {@code deadline} has passed at {@code now}; never for {@link #NONE}. */
    public static boolean passed(long deadline, long now) {
        return deadline != NONE && now - deadline >= 0;
    }

    /** Nanoseconds left until {@code deadline} at {@code now} (at most {@code cap}), 0 if passed. */
    public static long left(long deadline, long now, long cap) {
        if (deadline == NONE) {
            return cap;
        }
        return Math.max(0, Math.min(cap, deadline - now));
    }

    /** The earlier of two deadlines. */
    public static long earlier(long a, long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }
}
