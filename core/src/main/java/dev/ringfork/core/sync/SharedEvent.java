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
 * A flag that processes can wait for (the {@code multiprocessing.Event} of Ringfork): {@link #set()}
 * wakes every waiter, {@link #clear()} resets it. Uses the {@link SemaphoreLayout} line.
 * Get one by name with {@code region.event("started")}. If the region file is truncated under the
 * mapping, every method throws {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedEvent {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int CLEAR = 0;
    private static final int SET = 1;

    private final MemorySegment segment;
    private final long flag;
    private final long sleepers;
    private final Futex futex;

    private SharedEvent(MemorySegment segment, long base, Futex futex) {
        this.segment = segment;
        this.flag = base + VALUE_OFFSET;
        this.sleepers = base + SLEEPERS_OFFSET;
        this.futex = futex;
    }

    /** The event laid out at {@code segment[offset]} ({@link SemaphoreLayout#LENGTH} bytes, 4-byte aligned). */
    public static SharedEvent at(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, SemaphoreLayout.LENGTH, segment.byteSize());
        if (((segment.address() + offset) & 3) != 0) {
            throw new IllegalArgumentException("a SharedEvent must be 4-byte aligned, offset " + offset + " is not");
        }
        return new SharedEvent(segment, offset, Futex.system());
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        try {
            // Volatile store then volatile read of the sleeper count: pairs with await's
            // increment-then-check (see SemaphoreLayout); publishes writes made before set() to waiters.
            INT.setVolatile(segment, flag, SET);
            if ((int) INT.getVolatile(segment, sleepers) > 0) {
                futex.wake(segment, flag, Integer.MAX_VALUE);
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Clears the flag; later waiters block until the next {@link #set()}. */
    public void clear() {
        try {
            INT.setVolatile(segment, flag, CLEAR);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** The flag now (acquire: sees what the setter wrote before {@code set()}). */
    public boolean isSet() {
        try {
            return (int) INT.getAcquire(segment, flag) == SET;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Waits until the flag is set. */
    public void await() throws InterruptedException {
        awaitUntil(SlicedSleep.NO_DEADLINE);
    }

    /** Waits at most {@code timeout} for the flag; returns whether it is set (like Python's {@code Event.wait}). */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return isSet() || awaitUntil(SlicedSleep.deadline(timeout, unit));
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics; a killed sleeper stays counted). */
    public int sleepers() {
        try {
            return (int) INT.getVolatile(segment, sleepers);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        try {
            if (isSet()) {
                return true;
            }
            INT.getAndAdd(segment, sleepers, 1);
            try {
                for (;;) {
                    int observed = (int) INT.getVolatile(segment, flag);
                    if (observed == SET) {
                        return true;
                    }
                    if (!SlicedSleep.sleep(futex, segment, flag, observed, deadline)) {
                        return isSet();
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
        return "SharedEvent[" + (isSet() ? "set" : "clear") + "]";
    }
}
