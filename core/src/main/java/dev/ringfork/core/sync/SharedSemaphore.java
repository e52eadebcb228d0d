package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.sync.SemaphoreLayout.SLEEPERS_OFFSET;
import static dev.ringfork.core.sync.SemaphoreLayout.VALUE_OFFSET;

/**
 * A counting semaphore in shared memory (the {@code multiprocessing.Semaphore} of Ringfork), on the
 * futex. Permits have no owner: a process that dies holding permits does not give them back.
 * Get one by name with {@code region.semaphore("slots", 4)}. If the region file is truncated under the
 * mapping, every method throws {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedSemaphore {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;
    private final long value;
    private final long sleepers;
    private final Futex futex;

    private SharedSemaphore(MemorySegment segment, long base, Futex futex) {
        this.segment = segment;
        this.value = base + VALUE_OFFSET;
        this.sleepers = base + SLEEPERS_OFFSET;
        this.futex = futex;
    }

    /** The semaphore laid out at {@code segment[offset]} ({@link SemaphoreLayout#LENGTH} bytes, 4-byte aligned). */
    public static SharedSemaphore at(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, SemaphoreLayout.LENGTH, segment.byteSize());
        if (((segment.address() + offset) & 3) != 0) {
            throw new IllegalArgumentException("a SharedSemaphore must be 4-byte aligned, offset " + offset + " is not");
        }
        return new SharedSemaphore(segment, offset, Futex.system());
    }

    /** Takes a permit if one is free now. */
    public boolean tryAcquire() {
        try {
            for (;;) {
                int permits = (int) INT.getVolatile(segment, value);
                if (permits <= 0) {
                    return false;
                }
                // Volatile CAS: acquires what the releaser published with its getAndAdd.
                if (INT.compareAndSet(segment, value, permits, permits - 1)) {
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
            acquireSlow(SlicedSleep.NO_DEADLINE);
        }
    }

    /** Takes a permit, waiting at most {@code timeout}; returns false if none came. */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire() || acquireSlow(SlicedSleep.deadline(timeout, unit));
    }

    /** Gives back one permit. */
    public void release() {
        release(1);
    }

    /** Gives back {@code permits} permits, waking as many sleepers. */
    public void release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive, was " + permits);
        }
        try {
            // Volatile CAS then volatile read of the sleeper count: pairs with acquireSlow's
            // increment-then-check (see SemaphoreLayout).
            for (;;) {
                int before = (int) INT.getVolatile(segment, value);
                if (before > Integer.MAX_VALUE - permits) {
                    throw new IllegalStateException("semaphore overflow: " + before + " + " + permits + " permits");
                }
                if (INT.compareAndSet(segment, value, before, before + permits)) {
                    break;
                }
            }
            if ((int) INT.getVolatile(segment, sleepers) > 0) {
                futex.wake(segment, value, permits);
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Free permits now (a snapshot). */
    public int availablePermits() {
        try {
            return (int) INT.getVolatile(segment, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics; a killed sleeper stays counted). */
    public int sleepers() {
        try {
            return (int) INT.getVolatile(segment, sleepers);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    private boolean acquireSlow(long deadline) throws InterruptedException {
        try {
            INT.getAndAdd(segment, sleepers, 1);
            try {
                for (;;) {
                    int permits = (int) INT.getVolatile(segment, value);
                    if (permits > 0) {
                        if (INT.compareAndSet(segment, value, permits, permits - 1)) {
                            return true;
                        }
                        continue;
                    }
                    if (!SlicedSleep.sleep(futex, segment, value, permits, deadline)) {
                        return false;
                    }
                }
            } finally {
                INT.getAndAdd(segment, sleepers, -1);
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    @Override
    public String toString() {
        return "SharedSemaphore[permits=" + availablePermits() + "]";
    }
}
