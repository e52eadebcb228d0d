package dev.ringfork.ipc.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import dev.ringfork.ipc.internal.cluster.ClusterNames;
import dev.ringfork.ipc.internal.cluster.Outcomes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A mutual-exclusion lock across hosts, the {@link dev.ringfork.core.sync.SharedLock} of a {@link Cluster}: one
 * thread of one JVM on any host holds it at a time. Not reentrant; not fair.
 * <pre>{@code
 * ClusterLock lock = ClusterLock.open(cluster, "ledger");
 * lock.lock();
 * try { ... } finally { lock.unlock(); }
 * }</pre>
 *
 * <p><b>Built on</b> the per-key lock of a Hazelcast IMap ({@code ringfork.lock}, key NAME, one backup): Hazelcast
 * Community has no CP subsystem (its FencedLock is Enterprise-only). The owner (client, thread) is what the member
 * records; the lock's entry also names the holder (host, pid, thread), written after acquiring and removed before
 * releasing.
 *
 * <p><b>Owner death:</b> when a holder's JVM dies (even {@code kill -9}), the members release its locks once they
 * have given up on it (5 s after its connection dropped); the next thread to acquire finds the entry the dead owner
 * left and gets a {@link ClusterOwnerDiedException} while holding the lock, as {@code SharedLock} reports
 * {@code OwnerDiedException}. A host agent that dies does not release the locks it kept: its backup takes over.
 *
 * <p><b>Limits</b> (AP, not linearizable): a client cut off from the cluster for more than 5 s loses its locks
 * without knowing (its {@code unlock()} then throws {@link IllegalMonitorStateException}); during a split brain each
 * side may grant the lock, so <em>two holders</em> can exist until the sides merge. Where that matters, guard the
 * data with a check of its own (a version, a fencing value). docs/cluster.md has the table.
 *
 * <p>Blocking calls wait inside the member in slices of 250 ms. An interrupt ends {@link #lockInterruptibly()} and
 * {@link #tryLock(long, TimeUnit)} within a slice; a grant that raced with it is given back. Thread-safe.
 */
public final class ClusterLock {

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Margin after a slice for the member's answer to it, when an interrupt abandoned it. */
    private static final long LATE_GRANT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The thread holding each lock through this JVM's clients: client uuid + "/" + name. */
    private static final ConcurrentHashMap<String, Thread> HOLDERS = new ConcurrentHashMap<>();
    private static final String HOST = hostName();

    private final String name;
    private final IMap<String, String> locks;
    private final String holderKey;

    private ClusterLock(String name, HazelcastInstance hazelcast) {
        this.name = name;
        this.locks = hazelcast.getMap(ClusterNames.LOCK_MAP);
        this.holderKey = hazelcast.getLocalEndpoint().getUuid() + "/" + name;
    }

    /**
     * The lock {@code name} of the cluster (made when first used).
     *
     * @param name 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'
     */
    public static ClusterLock open(Cluster cluster, String name) {
        Objects.requireNonNull(cluster, "cluster");
        return new ClusterLock(ClusterNames.check("lock", name), cluster.hazelcast());
    }

    /**
     * Acquires the lock, waiting as long as it takes; interrupts are remembered, not obeyed.
     *
     * @throws ClusterOwnerDiedException if its previous owner died holding it (the caller holds it)
     * @throws IllegalStateException     if the calling thread holds it already (not reentrant)
     */
    public void lock() {
        try {
            acquire(Long.MAX_VALUE, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Acquires the lock unless the thread is interrupted.
     *
     * @throws ClusterOwnerDiedException if its previous owner died holding it (the caller holds it)
     */
    public void lockInterruptibly() throws InterruptedException {
        acquire(Long.MAX_VALUE, true);
    }

    /**
     * Acquires the lock if it is free now.
     *
     * @throws ClusterOwnerDiedException if its previous owner died holding it (the caller holds it)
     */
    public boolean tryLock() {
        try {
            return acquire(0, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @return true if acquired
     * @throws ClusterOwnerDiedException if its previous owner died holding it (the caller holds it)
     */
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        return acquire(Math.max(0, unit.toNanos(timeout)), true);
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it, or the cluster released it (this
     *                                      client was cut off for more than 5 s)
     */
    public void unlock() {
        if (HOLDERS.get(holderKey) != Thread.currentThread()) {
            throw new IllegalMonitorStateException("ClusterLock '" + name + "' is not held by this thread");
        }
        HOLDERS.remove(holderKey);
        try {
            // no owner record left behind: the next holder is not told of a death
            Outcomes.idempotent(() -> locks.remove(name), "lock '" + name + "': unlock");
        } catch (RuntimeException e) {
            // unlock anyway: the next holder is told its owner died, which is safe, and nobody waits for ever
        }
        boolean retried = false;
        for (;;) {
            try {
                locks.unlock(name);
                return;
            } catch (IllegalMonitorStateException e) {
                if (retried) {
                    return; // the first attempt was applied before its member left
                }
                throw e;
            } catch (TargetDisconnectedException e) {
                retried = true; // a member left: the backup that took over has the lock; release it there
            } catch (RuntimeException e) {
                throw Outcomes.of(e, "lock '" + name + "': unlock");
            }
        }
    }

    /** True if any thread of any JVM holds the lock (a snapshot). */
    public boolean isLocked() {
        return locks.isLocked(name);
    }

    /** True if the calling thread holds the lock (as far as this JVM knows: see the limits above). */
    public boolean isHeldByCurrentThread() {
        return HOLDERS.get(holderKey) == Thread.currentThread();
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ClusterLock[" + name + (isHeldByCurrentThread() ? ", held by this thread" : "") + "]";
    }

    /** Waits up to {@code nanos} ({@link Long#MAX_VALUE}: for ever, 0: not at all) for the lock. */
    private boolean acquire(long nanos, boolean interruptible) throws InterruptedException {
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException("ClusterLock '" + name + "' is already held by this thread; it is not reentrant,"
                    + " so this would wait for ever");
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        long start = System.nanoTime();
        boolean interrupted = false;
        try {
            for (;;) {
                if (!interruptible && Thread.interrupted()) {
                    interrupted = true; // Hazelcast would throw at once: remember it, wait on
                }
                long slice = nanos == Long.MAX_VALUE ? SLICE_NANOS
                        : Math.max(0, Math.min(SLICE_NANOS, nanos - (System.nanoTime() - start)));
                long sliceStart = System.nanoTime();
                try {
                    if (slice == 0 ? locks.tryLock(name) : locks.tryLock(name, slice, TimeUnit.NANOSECONDS)) {
                        return acquired();
                    }
                } catch (InterruptedException | RuntimeException e) {
                    if (e instanceof RuntimeException r && !Outcomes.interrupted(r)) {
                        throw Outcomes.of(r, "lock '" + name + "': lock");
                    }
                    giveBackLateGrant(sliceStart + slice + LATE_GRANT_NANOS);
                    if (interruptible) {
                        throw new InterruptedException("waiting for ClusterLock '" + name + "'");
                    }
                    interrupted = true;
                }
                if (nanos != Long.MAX_VALUE && System.nanoTime() - start >= nanos) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Records this thread as the owner; throws if a dead owner's record was there. */
    private boolean acquired() {
        String previous;
        try {
            previous = locks.put(name, HOST + "\t" + ProcessHandle.current().pid() + "\t" + Thread.currentThread().threadId());
        } catch (RuntimeException e) {
            locks.unlock(name);
            throw e;
        }
        HOLDERS.put(holderKey, Thread.currentThread());
        if (previous != null) {
            String[] owner = previous.split("\t");
            throw new ClusterOwnerDiedException(name, owner[0], owner.length > 1 ? Long.parseLong(owner[1]) : -1);
        }
        return true;
    }

    /**
     * After an interrupt abandoned a {@code tryLock} slice: once the member has surely answered it, releases the lock
     * if that answer was a grant (only this thread's own lock can be released; it held none before).
     */
    private void giveBackLateGrant(long answeredBy) {
        for (long left; (left = answeredBy - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // uninterruptible: an interrupt only ends the park early
            Thread.interrupted();
        }
        try {
            locks.unlock(name);
        } catch (IllegalMonitorStateException notGranted) {
            // the slice ended without a grant
        } catch (RuntimeException e) {
            // the cluster is unreachable: the caller's interrupt is what matters now
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
