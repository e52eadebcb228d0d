package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * A robust reentrant lock in shared memory (the {@code multiprocessing.RLock} of Ringfork): a
 * {@link SharedLock} plus a hold count, so the owning thread may lock again and must unlock as many
 * times. Get one by name with {@code region.reentrantLock("name")}; see {@link ReentrantLockLayout}.
 *
 * <p>Robust like {@link SharedLock}: if the owning process dies holding it (even {@code kill -9}), the
 * next locker takes it over, holding it once, and gets an {@link OwnerDiedException} while holding it.
 * Blocking calls sleep on the futex in slices and have timeout variants. If the region file is truncated
 * under the mapping, every method throws {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedReentrantLock {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final SharedLock lock;
    private final MemorySegment segment;
    private final long holds;

    private SharedReentrantLock(SharedLock lock, MemorySegment segment, long holds) {
        this.lock = lock;
        this.segment = segment;
        this.holds = holds;
    }

    /**
     * The lock laid out at {@code segment[offset]} ({@link ReentrantLockLayout#LENGTH} bytes, 8-byte
     * aligned, zero for a new lock). {@code name} appears in messages.
     */
    public static SharedReentrantLock at(MemorySegment segment, long offset, String name) {
        return new SharedReentrantLock(SharedLock.at(segment, offset, name), segment,
                offset + ReentrantLockLayout.HOLDS_OFFSET);
    }

    /**
     * Acquires the lock, or holds it once more if this thread holds it; waits as long as it takes.
     *
     * @throws OwnerDiedException if the lock was taken over from a dead owner (the caller holds it once)
     */
    public void lock() {
        if (!reenter()) {
            reacquire(1);
        }
    }

    /** {@link #lock()} unless the thread is interrupted while waiting. */
    public void lockInterruptibly() throws InterruptedException {
        if (!reenter()) {
            acquired(() -> {
                lock.lockInterruptibly();
                return true;
            });
        }
    }

    /** Holds the lock once more if this thread holds it, else acquires it if it is free (or its owner dead). */
    public boolean tryLock() {
        try {
            return reenter() || acquired(lock::tryLock);
        } catch (InterruptedException e) {
            throw new AssertionError("tryLock() does not wait", e);
        }
    }

    /** Like {@link #tryLock()}, waiting at most {@code timeout} for the lock. */
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        return reenter() || acquired(() -> lock.tryLock(timeout, unit));
    }

    /**
     * Gives up one hold; the last one releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    public void unlock() {
        if (lock.isHeldByCurrentThread()) {
            int held = holds();
            if (held > 1) {
                setHolds(held - 1);
                return;
            }
            setHolds(0);
        }
        lock.unlock(); // throws IllegalMonitorStateException, naming the holder, if this thread does not hold it
    }

    /** How many times the calling thread holds the lock (0 if it does not). */
    public int holdCount() {
        return lock.isHeldByCurrentThread() ? Math.max(1, holds()) : 0;
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** True if any thread of any process holds the lock (a snapshot). */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /** The pid of the owning process, or 0 if free (a snapshot). */
    public long ownerPid() {
        return lock.ownerPid();
    }

    /** How many times this lock was taken over from a dead owner, over its whole life. */
    public int ownerDeaths() {
        return lock.ownerDeaths();
    }

    public String name() {
        return lock.name();
    }

    /** For a condition's wait: releases every hold of the calling thread; returns how many there were. */
    int releaseAll() {
        int held = holdCount();
        if (held == 0) {
            lock.unlock(); // throws IllegalMonitorStateException naming the holder
        }
        setHolds(0);
        lock.unlock();
        return held;
    }

    /** Acquires the lock (as long as it takes) with {@code held} holds: for {@link #lock()} and a condition's wait. */
    void reacquire(int held) {
        try {
            lock.lock();
        } catch (OwnerDiedException e) {
            setHolds(held);
            throw e;
        }
        setHolds(held);
    }

    @Override
    public String toString() {
        return "SharedReentrantLock[" + lock + "]";
    }

    /** If this thread holds the lock, counts one more hold. */
    private boolean reenter() {
        if (!lock.isHeldByCurrentThread()) {
            return false;
        }
        int held = holds();
        if (held == Integer.MAX_VALUE) {
            throw new IllegalStateException("SharedReentrantLock '" + name() + "': maximum hold count exceeded");
        }
        setHolds(Math.max(1, held) + 1);
        return true;
    }

    /** Runs an acquisition of the underlying lock; on success (or a takeover) this thread holds it once. */
    private boolean acquired(Acquisition acquisition) throws InterruptedException {
        boolean got;
        try {
            got = acquisition.run();
        } catch (OwnerDiedException e) {
            setHolds(1);
            throw e;
        }
        if (got) {
            setHolds(1);
        }
        return got;
    }

    private int holds() {
        try {
            // Plain: only the owner touches the count, and the lock's acquire ordered the last owner's writes.
            return (int) INT.get(segment, holds);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    private void setHolds(int value) {
        try {
            // Plain: published to the next owner by the lock's release (get-and-set) in unlock.
            INT.set(segment, holds, value);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** One attempt at the underlying lock. */
    @FunctionalInterface
    private interface Acquisition {
        boolean run() throws InterruptedException;
    }
}
