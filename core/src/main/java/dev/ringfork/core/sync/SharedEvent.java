package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.sync.SemaphoreLayout.VALUE_OFFSET;

/**
 * A flag that processes can wait for (the {@code multiprocessing.Event} of Ringfork): {@link #set()}
 * wakes every waiter, {@link #clear()} resets it. Uses the {@link SemaphoreLayout} line and the
 * {@link FutexSleepers} protocol. Get one by name with {@code region.event("started")}. If the region
 * file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedEvent {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int CLEAR = 0;
    private static final int SET = 1;

    private final MemorySegment segment;
    private final long flag;
    private final FutexSleepers sleepers;

    private SharedEvent(MemorySegment segment, long base) {
        this.sleepers = FutexSleepers.semaphoreLine(segment, base, "SharedEvent");
        this.segment = segment;
        this.flag = base + VALUE_OFFSET;
    }

    /** The event laid out at {@code segment[offset]} ({@link SemaphoreLayout#LENGTH} bytes, 4-byte aligned). */
    public static SharedEvent at(MemorySegment segment, long offset) {
        return new SharedEvent(segment, offset);
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        try {
            // Volatile store, then the volatile look at the sleeper count in wake(): pairs with a waiter's
            // count-then-check; publishes writes made before set() to waiters.
            INT.setVolatile(segment, flag, SET);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
        sleepers.wake(Integer.MAX_VALUE);
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
        awaitUntil(Deadline.NONE);
    }

    /** Waits at most {@code timeout} for the flag; returns whether it is set (like Python's {@code Event.wait}). */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return isSet() || awaitUntil(Deadline.after(timeout, unit));
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics; a killed sleeper stays counted). */
    public int sleepers() {
        return sleepers.sleepers();
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        // The flag is read with volatile semantics by the protocol: sees what the setter wrote before set().
        return isSet() || sleepers.sleepUntil(flag -> flag == SET, deadline);
    }

    @Override
    public String toString() {
        return "SharedEvent[" + (isSet() ? "set" : "clear") + "]";
    }
}
