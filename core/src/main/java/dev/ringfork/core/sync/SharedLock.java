package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.sync.LockOwnerRecord.Owner;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static dev.ringfork.core.sync.LockLayout.FREE;
import static dev.ringfork.core.sync.LockLayout.OWNER_DEATHS_OFFSET;
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
 * lock, so it can repair the guarded state. The owner is the pid and process start time, everywhere it is
 * checked (takeover, unlock, {@link #isHeldByCurrentThread()}, the reentrancy check,
 * {@link #isOwnerAlive()}): a recycled pid is not mistaken for the dead owner, and a dead owner that had
 * this very process's pid (a restarted container whose region directory outlived it) is not mistaken for
 * this process. Processes must share a pid namespace.
 *
 * <p>Blocking calls sleep in the kernel in slices of at most 50 ms (a dead owner is noticed between
 * slices; an interrupt wakes the sleeper at once, or at the end of the slice if it lands just before the
 * sleep); a virtual thread that blocks here keeps its carrier thread while asleep.
 * If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException} instead of crashing the JVM.
 */
public final class SharedLock {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int SPIN_TRIES = 200;
    /** A sleeping locker checks the owner's health after this long without getting the lock, and again every slice. */
    private static final long LIVENESS_DELAY_NANOS = SlicedSleep.SLICE_NANOS;
    /**
     * How long a word may stay without its owner's record before it is taken for a dead owner's: a word
     * with this process's pid and start tag but no record of ours (see {@link LockLayout}), or a live
     * process's word over a record of an earlier process with its pid. An owner leaves that state within
     * instructions of its compare-and-set.
     */
    static final long UNRECORDED_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static final int SELF_PID = LockOwnerRecord.SELF_PID;
    /** This process's owner word: pid and start tag. */
    private static final int SELF_WORD = LockOwnerRecord.SELF_WORD;
    /**
     * Serialises this JVM's takeovers from owners with its own pid. Halfway through one (the word already
     * ours, the record still the dead owner's: our pid, another start time) the lock reads to our other
     * threads as "held by an earlier process with our pid, dead", and a second thread would take it over
     * again with a compare-and-set from our word to itself. Under this lock each thread judges word and
     * record again, and a takeover is complete (record written) before the next one looks. Takeovers from
     * other pids need no lock: such a word never comes back once replaced, so the compare-and-set decides.
     */
    private static final ReentrantLock OWN_PID_TAKEOVERS = new ReentrantLock();

    private final MemorySegment segment;
    private final long base;
    private final long state;
    private final String name;
    private final Futex futex;
    private final LockOwnerRecord ownerRecord;

    private SharedLock(MemorySegment segment, long base, String name, Futex futex) {
        this.segment = segment;
        this.base = base;
        this.state = base + STATE_OFFSET;
        this.name = name;
        this.futex = futex;
        this.ownerRecord = new LockOwnerRecord(segment, base, name);
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
        try {
            if (acquireFree()) {
                return;
            }
            boolean interrupted = false;
            try {
                for (;;) {
                    try {
                        acquireSlow(Deadline.NONE);
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
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
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
        try {
            if (!acquireFree()) {
                acquireSlow(Deadline.NONE);
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /**
     * Acquires the lock if it is free now, or if its owner is dead.
     *
     * @throws OwnerDiedException if the lock was taken over from a dead owner (the caller holds it)
     */
    public boolean tryLock() {
        try {
            for (;;) {
                if (acquireFree()) {
                    return true;
                }
                int observed = (int) INT.getVolatile(segment, state);
                if (observed != FREE) {
                    return ownerRecord.owner(observed) == Owner.DEAD && takeOver(observed, false);
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
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
        try {
            return acquireFree() || acquireSlow(Deadline.after(timeout, unit));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    public void unlock() {
        try {
            int word = (int) INT.getVolatile(segment, state);
            long self = Thread.currentThread().threadId();
            if (!ownerRecord.heldBy(word, self)) {
                throw new IllegalMonitorStateException(ownerRecord.notOwner(word, self));
            }
            ownerRecord.clear();
            // Release (getAndSet is volatile): publishes everything written under the lock, and the cleared
            // record, to the next owner's compare-and-set.
            int previous = (int) INT.getAndSet(segment, state, FREE);
            if ((previous & WAITERS) != 0) {
                futex.wake(segment, state, 1);
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** True if any thread of any process holds the lock (a snapshot). */
    public boolean isLocked() {
        return stateWord() != FREE;
    }

    /** True if the calling thread holds the lock (this process by pid and start time, this thread by id). */
    public boolean isHeldByCurrentThread() {
        try {
            return ownerRecord.heldBy((int) INT.getVolatile(segment, state), Thread.currentThread().threadId());
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** True if the lock is held and someone may be asleep waiting for it (a snapshot). */
    public boolean hasSleepers() {
        return (stateWord() & WAITERS) != 0;
    }

    /** The pid of the owning process, or 0 if free (a snapshot). */
    public long ownerPid() {
        return stateWord() & PID_MASK;
    }

    /**
     * True if the lock is held by a process that still runs, judged by pid and start time (from the state
     * word, then the owner record) as a taker-over would; false if free or if the owner is dead (a
     * snapshot, for diagnostics such as {@code ringfork stat}).
     */
    public boolean isOwnerAlive() {
        try {
            int word = (int) INT.getVolatile(segment, state);
            return word != FREE && ownerRecord.owner(word) != Owner.DEAD;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** How many times this lock was taken over from a dead owner, over its whole life. */
    public int ownerDeaths() {
        try {
            return (int) INT.getVolatile(segment, base + OWNER_DEATHS_OFFSET);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        long owner = ownerPid();
        return "SharedLock[" + name + (owner == 0 ? ", free]" : ", held by pid " + owner + "]");
    }

    /** The state word now (a snapshot). */
    private int stateWord() {
        try {
            return (int) INT.getVolatile(segment, state);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** The uncontended path: one compare-and-set from FREE to our owner word, then the owner record. */
    private boolean acquireFree() {
        MappedFiles.touch(segment, state); // interpreted, a SIGBUS in the CAS below would kill the JVM
        // CAS with volatile semantics: acquires what the previous owner's unlock (getAndSet) released.
        if (!INT.compareAndSet(segment, state, FREE, SELF_WORD)) {
            return false;
        }
        ownerRecord.recordOwner();
        return true;
    }

    /** Spin, then sleep on the futex, checking the owner's health; returns false at the deadline. */
    private boolean acquireSlow(long deadline) throws InterruptedException {
        int spins = SPIN_TRIES;
        int acquireWord = SELF_WORD; // becomes SELF_WORD | WAITERS once we have slept: others may still sleep
        long waitingSince = 0;
        long lastHealthCheck = 0;
        int unrecordedWord = FREE; // an owner word of ours seen without its record, and since when
        long unrecordedSince = 0;
        for (;;) {
            int word = (int) INT.getVolatile(segment, state);
            if (word == FREE) {
                if (INT.compareAndSet(segment, state, FREE, acquireWord)) {
                    ownerRecord.recordOwner();
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
                Owner owner = ownerRecord.owner(word);
                if (owner != Owner.UNRECORDED) {
                    unrecordedWord = FREE;
                } else if ((word & ~WAITERS) != unrecordedWord) {
                    unrecordedWord = word & ~WAITERS;
                    unrecordedSince = now;
                }
                boolean unrecordedTooLong = owner == Owner.UNRECORDED
                        && now - unrecordedSince >= UNRECORDED_GRACE_NANOS;
                if ((owner == Owner.DEAD || unrecordedTooLong) && takeOver(word, unrecordedTooLong)) {
                    return true;
                }
            }
            if (!SlicedSleep.sleep(futex, segment, state, word, deadline)) {
                return false;
            }
            acquireWord = SELF_WORD | WAITERS;
        }
    }

    /**
     * Takes the lock over from the dead owner of {@code word} and throws {@link OwnerDiedException}; returns
     * false if the word moved on, or if, judged again, its owner is not dead. {@code unrecordedTooLong}: the
     * word has stayed without its owner's record for {@link #UNRECORDED_GRACE_NANOS}.
     */
    private boolean takeOver(int word, boolean unrecordedTooLong) {
        if ((word & PID_MASK) != SELF_PID) {
            // Another pid's word never comes back once replaced: a plain compare-and-set decides.
            if (!swapOwner(word)) {
                return false; // someone else took it over, or the word moved on
            }
        } else {
            OWN_PID_TAKEOVERS.lock();
            try {
                // No takeover by this JVM is halfway now, so word and record agree; judge them again.
                Owner owner = (int) INT.getVolatile(segment, state) == word ? ownerRecord.owner(word) : Owner.ALIVE;
                boolean dead = owner == Owner.DEAD || owner == Owner.UNRECORDED && unrecordedTooLong;
                if (!dead || !swapOwner(word)) {
                    return false;
                }
            } finally {
                OWN_PID_TAKEOVERS.unlock();
            }
        }
        INT.getAndAdd(segment, base + OWNER_DEATHS_OFFSET, 1);
        throw new OwnerDiedException(name, word & PID_MASK);
    }

    /** Compare-and-set from the dead owner's word to ours, keeping WAITERS (others may sleep); records us. */
    private boolean swapOwner(int word) {
        if (!INT.compareAndSet(segment, state, word, SELF_WORD | (word & WAITERS))) {
            return false;
        }
        ownerRecord.recordOwner();
        return true;
    }

    private void checkNotReentrant(int word) {
        if (ownerRecord.heldBy(word, Thread.currentThread().threadId())) {
            throw new IllegalStateException("SharedLock '" + name
                    + "' is already held by this thread; it is not reentrant, so this would wait forever");
        }
    }
}
