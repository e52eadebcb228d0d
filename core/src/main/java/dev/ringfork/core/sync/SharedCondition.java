package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.ringfork.core.sync.ConditionLayout.counts;
import static dev.ringfork.core.sync.ConditionLayout.tokensOf;
import static dev.ringfork.core.sync.ConditionLayout.waitersOf;

/**
 * A condition variable across processes (the {@code multiprocessing.Condition} of Ringfork), bound to a
 * {@link SharedLock} or a {@link SharedReentrantLock}. Get one by name with
 * {@code region.condition("ready", lock)}. Waiting releases the lock (every hold of a reentrant lock) and
 * acquires it again before returning, also on a timeout or an interrupt; {@code signal} and
 * {@code signalAll} need the lock too. No signal given after a waiter released the lock is lost (see
 * {@link ConditionLayout}); a waiter may wake spuriously, so wait in a loop, or use {@link #waitFor}.
 *
 * <p>Sleeps are futex sleeps in slices ({@link FutexSleepers}). The lock's acquisition after the wait is
 * not bounded by the timeout (as for {@link java.util.concurrent.locks.Condition}); if the lock's owner died,
 * it throws {@link OwnerDiedException} with the lock held. A waiter killed while waiting does not keep
 * signals from others. If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedCondition {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment segment;
    private final long sequence;
    private final long counts;
    private final FutexSleepers sleepers;
    private final SharedReentrantLock reentrant;
    private final SharedLock plain;
    private final String name;

    private SharedCondition(MemorySegment segment, long base, SharedReentrantLock reentrant, SharedLock plain,
            String name) {
        this.sleepers = FutexSleepers.at(segment, base, ConditionLayout.LENGTH, Long.BYTES,
                ConditionLayout.SEQUENCE_OFFSET, ConditionLayout.SLEEPERS_OFFSET, "SharedCondition");
        this.segment = segment;
        this.sequence = base + ConditionLayout.SEQUENCE_OFFSET;
        this.counts = base + ConditionLayout.COUNTS_OFFSET;
        this.reentrant = reentrant;
        this.plain = plain;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The condition laid out at {@code segment[offset]} (a zeroed {@link ConditionLayout} when new), bound to {@code lock}. */
    public static SharedCondition at(MemorySegment segment, long offset, SharedLock lock, String name) {
        return new SharedCondition(segment, offset, null, Objects.requireNonNull(lock, "lock"), name);
    }

    /** The condition laid out at {@code segment[offset]}, bound to the reentrant {@code lock}. */
    public static SharedCondition at(MemorySegment segment, long offset, SharedReentrantLock lock, String name) {
        return new SharedCondition(segment, offset, Objects.requireNonNull(lock, "lock"), null, name);
    }

    /** Waits for a signal; see {@link #await(long, TimeUnit)}. */
    public void await() throws InterruptedException {
        awaitUntil(Deadline.NONE);
    }

    /**
     * Releases the lock, waits at most {@code timeout} for a signal, and acquires the lock again.
     *
     * @return true if signalled (or woken spuriously), false if the timeout passed
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException         if interrupted while waiting (the lock is held again)
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitUntil(Deadline.after(timeout, unit));
    }

    /**
     * Waits until {@code predicate} holds (checked with the lock held, first before any wait), at most
     * {@code timeout} in all, like Python's {@code Condition.wait_for}.
     *
     * @return the predicate's last value
     */
    public boolean waitFor(BooleanSupplier predicate, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(timeout, unit);
        boolean result = predicate.getAsBoolean();
        while (!result && !Deadline.passed(deadline, System.nanoTime())) {
            awaitUntil(deadline);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes one waiter, if any ({@code notify()}). The calling thread must hold the lock. */
    public void signal() {
        give(false);
    }

    /** Wakes every waiter ({@code notify_all()}). The calling thread must hold the lock. */
    public void signalAll() {
        give(true);
    }

    /** Threads registered to wait now, a killed waiter included (a snapshot, for diagnostics). */
    public int waiters() {
        try {
            return waitersOf((long) LONG.getVolatile(segment, counts));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    @Override
    public String toString() {
        return "SharedCondition[" + name + ", waiters=" + waiters() + "]";
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        checkHeld();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        register();
        int holds = reentrant != null ? reentrant.releaseAll() : unlockPlain();
        boolean signalled = false;
        try {
            signalled = sleepers.sleepUntil(sequence -> takeToken(), deadline) || leave(true);
            return signalled;
        } catch (InterruptedException e) {
            leave(false);
            throw e;
        } catch (RuntimeException | Error e) {
            leave(false);
            throw e;
        } finally {
            if (reentrant != null) {
                reentrant.reacquire(holds);
            } else {
                plain.lock();
            }
        }
    }

    /** Counts this thread as a waiter, while it still holds the lock. */
    private void register() {
        try {
            long seen;
            do {
                seen = (long) LONG.getVolatile(segment, counts);
                // Volatile CAS before our release of the lock: a signaller that takes the lock after it sees us.
            } while (!LONG.compareAndSet(segment, counts, seen, counts(waitersOf(seen) + 1, tokensOf(seen))));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Takes a token and unregisters in one compare-and-set, if a token is there. */
    private boolean takeToken() {
        try {
            for (;;) {
                // Volatile read and CAS: acquire pairs with the signaller's CAS that added the token.
                long seen = (long) LONG.getVolatile(segment, counts);
                if (tokensOf(seen) <= 0) {
                    return false;
                }
                if (LONG.compareAndSet(segment, counts, seen, counts(waitersOf(seen) - 1, tokensOf(seen) - 1))) {
                    return true;
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /**
     * Unregisters a waiter that got no token while it slept. {@code mayTake}: a token that arrived at the
     * deadline is taken (the wait counts as signalled); otherwise (an interrupt or failure) the token stays
     * for another waiter, who is woken.
     */
    private boolean leave(boolean mayTake) {
        if (mayTake && takeToken()) {
            return true;
        }
        try {
            long seen;
            do {
                seen = (long) LONG.getVolatile(segment, counts);
            } while (!LONG.compareAndSet(segment, counts, seen, counts(waitersOf(seen) - 1, tokensOf(seen))));
            if (!mayTake && tokensOf(seen) > 0) {
                INT.getAndAdd(segment, sequence, 1);
                sleepers.wake(1); // a token that may have been meant for us: pass it on
            }
            return false;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** A signal: one token (or one per waiter), then the sequence bump and the wake. */
    private void give(boolean all) {
        checkHeld();
        try {
            for (;;) {
                long seen = (long) LONG.getVolatile(segment, counts);
                int waiting = waitersOf(seen);
                int given = tokensOf(seen);
                if (waiting <= given) {
                    return; // nobody waits without a token already
                }
                // Volatile CAS: publishes what the signaller wrote under the lock to the waiter taking the token.
                if (LONG.compareAndSet(segment, counts, seen, counts(waiting, all ? waiting : given + 1))) {
                    break;
                }
            }
            // Volatile bump after the token: a waiter that read the old sequence before finding no token finds
            // the word changed; then wake()'s volatile look at the sleeper count pairs with its announce.
            INT.getAndAdd(segment, sequence, 1);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
        sleepers.wake(all ? Integer.MAX_VALUE : 1);
    }

    private int unlockPlain() {
        plain.unlock();
        return 1;
    }

    private void checkHeld() {
        boolean held = reentrant != null ? reentrant.isHeldByCurrentThread() : plain.isHeldByCurrentThread();
        if (!held) {
            throw new IllegalMonitorStateException("SharedCondition '" + name + "': wait and signal need its lock '"
                    + (reentrant != null ? reentrant.name() : plain.name()) + "' held by this thread");
        }
    }
}
