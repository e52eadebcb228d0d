package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.sync.SemaphoreLayout.BOUND_OFFSET;
import static dev.ringfork.core.sync.SemaphoreLayout.VALUE_OFFSET;

/**
 * A counting semaphore in shared memory (the {@code multiprocessing.Semaphore} of Ringfork), on the
 * futex ({@link FutexSleepers}). Permits have no owner: a process that dies holding permits does not
 * give them back. Get one by name with {@code region.semaphore("slots", 4)}.
 *
 * <p>A <b>bounded</b> semaphore ({@code multiprocessing.BoundedSemaphore}; {@code region.boundedSemaphore("slots", 4)})
 * refuses a release that would raise its free permits past its bound, the initial permits, with an
 * {@link IllegalStateException}: a release without an acquire is a bug it reports at once.
 *
 * <p>If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedSemaphore {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;
    private final long value;
    private final long bound;
    private final FutexSleepers sleepers;

    private SharedSemaphore(MemorySegment segment, long base) {
        this.sleepers = FutexSleepers.semaphoreLine(segment, base, "SharedSemaphore");
        this.segment = segment;
        this.value = base + VALUE_OFFSET;
        this.bound = base + BOUND_OFFSET;
    }

    /**
     * The semaphore laid out at {@code segment[offset]} ({@link SemaphoreLayout#LENGTH} bytes, 4-byte
     * aligned); bounded if its bound word is positive (see {@link SemaphoreLayout#initialise}).
     */
    public static SharedSemaphore at(MemorySegment segment, long offset) {
        return new SharedSemaphore(segment, offset);
    }

    /** Takes a permit if one is free now. */
    public boolean tryAcquire() {
        try {
            for (;;) {
                int permits = (int) INT.getVolatile(segment, value);
                if (permits <= 0) {
                    return false;
                }
                if (take(permits)) {
                    return true;
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Takes a permit, waiting as long as it takes. */
    public void acquire() throws InterruptedException {
        if (!tryAcquire()) {
            acquireSlow(Deadline.NONE);
        }
    }

    /** Takes a permit, waiting at most {@code timeout}; returns false if none came. */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire() || acquireSlow(Deadline.after(timeout, unit));
    }

    /** Gives back one permit. */
    public void release() {
        release(1);
    }

    /**
     * Gives back {@code permits} permits, waking as many sleepers.
     *
     * @throws IllegalStateException if the semaphore is bounded and this would raise its free permits past
     *                               the bound (nothing is released then), or on overflow
     */
    public void release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive, was " + permits);
        }
        try {
            int max = bound();
            for (;;) {
                int before = (int) INT.getVolatile(segment, value);
                if (max > 0 && before > max - permits) {
                    throw new IllegalStateException("bounded semaphore released too many times: " + before + " free + "
                            + permits + " released would pass its bound of " + max + " permits");
                }
                if (before > Integer.MAX_VALUE - permits) {
                    throw new IllegalStateException("semaphore overflow: " + before + " + " + permits + " permits");
                }
                // Volatile CAS: publishes what the releaser wrote to the next acquirer's CAS; then wake()'s
                // volatile look at the sleeper count pairs with a sleeper's count-then-check.
                if (INT.compareAndSet(segment, value, before, before + permits)) {
                    break;
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
        sleepers.wake(permits);
    }

    /** Free permits now (a snapshot). */
    public int availablePermits() {
        try {
            return (int) INT.getVolatile(segment, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** The bound of a bounded semaphore (its initial permits), or 0 if it is unbounded. */
    public int bound() {
        try {
            // Plain: written once before the slot was published (the region's release store orders it).
            return Math.max(0, (int) INT.get(segment, bound));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics; a killed sleeper stays counted). */
    public int sleepers() {
        return sleepers.sleepers();
    }

    private boolean acquireSlow(long deadline) throws InterruptedException {
        // A failed CAS leaves the loop to sleep on a stale value, which returns at once: it looks again.
        return sleepers.sleepUntil(permits -> permits > 0 && take(permits), deadline);
    }

    /** One compare-and-set from {@code permits} to one less. */
    private boolean take(int permits) {
        // Volatile CAS: acquires what the releaser published with its CAS.
        return INT.compareAndSet(segment, value, permits, permits - 1);
    }

    @Override
    public String toString() {
        int max = bound();
        return "SharedSemaphore[permits=" + availablePermits() + (max > 0 ? ", bound=" + max : "") + "]";
    }
}
