package dev.ringfork.core.sync;

import dev.ringfork.core.internal.ProcessIdentity;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.sync.LockLayout.FREE;
import static dev.ringfork.core.sync.LockLayout.OWNER_DEATHS_OFFSET;
import static dev.ringfork.core.sync.LockLayout.OWNER_PID_OFFSET;
import static dev.ringfork.core.sync.LockLayout.OWNER_START_OFFSET;
import static dev.ringfork.core.sync.LockLayout.OWNER_THREAD_OFFSET;
import static dev.ringfork.core.sync.LockLayout.PID_MASK;
import static dev.ringfork.core.sync.LockLayout.STATE_OFFSET;
import static dev.ringfork.core.sync.LockLayout.WAITERS;

/**
 * A robust, futex-based mutual-exclusion lock in shared memory (the {@code multiprocessing.Lock} of
 * Ringfork). Excludes threads of all processes that map it, including threads of the same process.
 * Not reentrant; not fair. Get one by name with {@code region.lock("name")}.
 *
 * <p>An uncontended {@code lock}/{@code unlock} is one compare-and-set and one get-and-set, no syscall.
 * A contended locker spins briefly, then sleeps on the futex; {@code unlock} makes the wake syscall only
 * when the state word says someone may sleep. See {@link LockLayout} for the states.
 *
 * <p><b>Robust:</b> if the owning process dies holding the lock (even {@code kill -9}), the next locker
 * takes it over within about 50 ms of noticing and gets an {@link OwnerDiedException} while holding the
 * lock, so it can repair the guarded state. Owner liveness is judged by pid and process start time, so a
 * recycled pid is not mistaken for the dead owner. Processes must share a pid namespace.
 *
 * <p>Blocking calls sleep in the kernel in slices of at most 50 ms (interrupts and a dead owner are
 * noticed between slices); a virtual thread that blocks here keeps its carrier thread while asleep.
 */
public final class SharedLock {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int SPIN_TRIES = 200;
    /** A sleeping locker checks the owner's health after this long without getting the lock, and again every slice. */
    private static final long LIVENESS_DELAY_NANOS = SlicedSleep.SLICE_NANOS;

    private static final ProcessIdentity SELF = ProcessIdentity.current();
    private static final int SELF_PID = selfPid();

    private final MemorySegment segment;
    private final long base;
    private final long state;
    private final String name;
    private final Futex futex;

    private SharedLock(MemorySegment segment, long base, String name, Futex futex) {
        this.segment = segment;
        this.base = base;
        this.state = base + STATE_OFFSET;
        this.name = name;
        this.futex = futex;
    }

    /**
     * The lock laid out at {@code segment[offset]} ({@link LockLayout#LENGTH} bytes, 8-byte aligned,
     * zero for a new lock). {@code name} appears in messages.
     */
    public static SharedLock at(MemorySegment segment, long offset, String name) {
        Objects.checkFromIndexSize(offset, LockLayout.LENGTH, segment.byteSize());
        if (((segment.address() + offset) & 7) != 0) {
            throw new IllegalArgumentException("a SharedLock must be 8-byte aligned, offset " + offset + " is not");
        }
        return new SharedLock(segment, offset, Objects.requireNonNull(name, "name"), Futex.system());
    }

    /**
     * Acquires the lock, waiting as long as it takes; interrupts are remembered, not obeyed.
     *
     * @throws OwnerDiedException if the lock was taken over from a dead owner (the caller holds it)
     */
    public void lock() {
        // CAS with volatile semantics: acquires what the previous owner's unlock (getAndSet) released.
        if (INT.compareAndSet(segment, state, FREE, SELF_PID)) {
            recordOwner();
            return;
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    acquireSlow(SlicedSleep.NO_DEADLINE);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Acquires the lock unless the thread is interrupted.
     *
     * @throws OwnerDiedException if the lock was taken over from a dead owner (the caller holds it)
     */
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (INT.compareAndSet(segment, state, FREE, SELF_PID)) {
            recordOwner();
            return;
        }
        acquireSlow(SlicedSleep.NO_DEADLINE);
    }

    /**
     * Acquires the lock if it is free now, or if its owner is dead.
     *
     * @throws OwnerDiedException if the lock was taken over from a dead owner (the caller holds it)
     */
    public boolean tryLock() {
        for (;;) {
            if (INT.compareAndSet(segment, state, FREE, SELF_PID)) {
                recordOwner();
                return true;
            }
            int observed = (int) INT.getVolatile(segment, state);
            if (observed != FREE) {
                return takeOverIfOwnerDead(observed);
            }
        }
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @return true if acquired
     * @throws OwnerDiedException if the lock was taken over from a dead owner (the caller holds it)
     */
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (INT.compareAndSet(segment, state, FREE, SELF_PID)) {
            recordOwner();
            return true;
        }
        return acquireSlow(SlicedSleep.deadline(timeout, unit));
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    public void unlock() {
        int word = (int) INT.getVolatile(segment, state);
        long ownerThread = (long) LONG.getOpaque(segment, base + OWNER_THREAD_OFFSET);
        long self = Thread.currentThread().threadId();
        if (word == FREE || (word & PID_MASK) != SELF_PID || ownerThread != self) {
            throw new IllegalMonitorStateException("SharedLock '" + name + "' is "
                    + (word == FREE ? "not locked" : "held by pid " + (word & PID_MASK)
                    + ((word & PID_MASK) == SELF_PID ? " thread " + ownerThread : ""))
                    + ", not by this thread (pid " + SELF_PID + " thread " + self + "); only the owner may unlock it");
        }
        INT.setOpaque(segment, base + OWNER_PID_OFFSET, 0);
        LONG.setOpaque(segment, base + OWNER_THREAD_OFFSET, 0L);
        // Release (getAndSet is volatile): publishes everything written under the lock to the next
        // owner's compare-and-set.
        int previous = (int) INT.getAndSet(segment, state, FREE);
        if ((previous & WAITERS) != 0) {
            futex.wake(segment, state, 1);
        }
    }

    /** True if any thread of any process holds the lock (a snapshot). */
    public boolean isLocked() {
        return (int) INT.getVolatile(segment, state) != FREE;
    }

    /** True if the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        int word = (int) INT.getVolatile(segment, state);
        return word != FREE && (word & PID_MASK) == SELF_PID
                && (long) LONG.getOpaque(segment, base + OWNER_THREAD_OFFSET) == Thread.currentThread().threadId();
    }

    /** True if the lock is held and someone may be asleep waiting for it (a snapshot). */
    public boolean hasSleepers() {
        return ((int) INT.getVolatile(segment, state) & WAITERS) != 0;
    }

    /** The pid of the owning process, or 0 if free (a snapshot). */
    public long ownerPid() {
        return (int) INT.getVolatile(segment, state) & PID_MASK;
    }

    /**
     * True if the lock is held by a process that still runs, judged by pid and recorded start time as a
     * taker-over would; false if free or if the owner is dead (a snapshot, for diagnostics).
     */
    public boolean isOwnerAlive() {
        int word = (int) INT.getVolatile(segment, state);
        return word != FREE && ownerAlive(word & PID_MASK);
    }

    /** How many times this lock was taken over from a dead owner, over its whole life. */
    public int ownerDeaths() {
        return (int) INT.getVolatile(segment, base + OWNER_DEATHS_OFFSET);
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        long owner = ownerPid();
        return "SharedLock[" + name + (owner == 0 ? ", free]" : ", held by pid " + owner + "]");
    }

    /** Spin, then sleep on the futex, checking the owner's health; returns false at the deadline. */
    private boolean acquireSlow(long deadline) throws InterruptedException {
        int spins = SPIN_TRIES;
        int acquireWord = SELF_PID; // becomes SELF_PID | WAITERS once we have slept: others may still sleep
        long waitingSince = 0;
        long lastHealthCheck = 0;
        for (;;) {
            int word = (int) INT.getVolatile(segment, state);
            if (word == FREE) {
                if (INT.compareAndSet(segment, state, FREE, acquireWord)) {
                    recordOwner();
                    return true;
                }
                continue;
            }
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            if (waitingSince == 0) {
                checkNotReentrant(word);
                waitingSince = System.nanoTime();
                lastHealthCheck = waitingSince;
            }
            if ((word & WAITERS) == 0) {
                // Tell the owner someone sleeps, so its unlock wakes us. Retry if the word moved.
                if (!INT.compareAndSet(segment, state, word, word | WAITERS)) {
                    continue;
                }
                word |= WAITERS;
            }
            long now = System.nanoTime();
            if (now - lastHealthCheck >= LIVENESS_DELAY_NANOS) {
                lastHealthCheck = now;
                if (takeOverIfOwnerDead(word)) {
                    return true;
                }
            }
            if (!SlicedSleep.sleep(futex, segment, state, word, deadline)) {
                return false;
            }
            acquireWord = SELF_PID | WAITERS;
        }
    }

    /** If the owner recorded in {@code word} is dead, takes the lock over and throws; else returns false. */
    private boolean takeOverIfOwnerDead(int word) {
        int pid = word & PID_MASK;
        if (pid == SELF_PID || ownerAlive(pid)) {
            return false;
        }
        // Keep the WAITERS bit: others may sleep on the word and must be woken by our unlock.
        if (!INT.compareAndSet(segment, state, word, SELF_PID | (word & WAITERS))) {
            return false; // someone else took it over, or the word moved on
        }
        recordOwner();
        INT.getAndAdd(segment, base + OWNER_DEATHS_OFFSET, 1);
        throw new OwnerDiedException(name, pid);
    }

    private boolean ownerAlive(int pid) {
        // Acquire pairs with recordOwner's release: a matching pid record means its start time is current.
        int recordedPid = (int) INT.getAcquire(segment, base + OWNER_PID_OFFSET);
        long recordedStart = recordedPid == pid ? (long) LONG.getOpaque(segment, base + OWNER_START_OFFSET) : 0L;
        return new ProcessIdentity(pid, recordedStart).isAlive();
    }

    private void recordOwner() {
        LONG.setOpaque(segment, base + OWNER_START_OFFSET, SELF.startTime());
        LONG.setOpaque(segment, base + OWNER_THREAD_OFFSET, Thread.currentThread().threadId());
        // Release: publishes the start time above to health checkers that read the pid with acquire.
        INT.setRelease(segment, base + OWNER_PID_OFFSET, SELF_PID);
    }

    private void checkNotReentrant(int word) {
        if ((word & PID_MASK) == SELF_PID
                && (long) LONG.getOpaque(segment, base + OWNER_THREAD_OFFSET) == Thread.currentThread().threadId()) {
            throw new IllegalStateException("SharedLock '" + name
                    + "' is already held by this thread; it is not reentrant, so this would wait forever");
        }
    }

    private static int selfPid() {
        long pid = SELF.pid();
        if (pid <= 0 || pid > PID_MASK) {
            throw new IllegalStateException("pid " + pid + " does not fit the SharedLock state word (max " + PID_MASK + ")");
        }
        return (int) pid;
    }
}
