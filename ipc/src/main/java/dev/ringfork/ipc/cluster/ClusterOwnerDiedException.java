package dev.ringfork.ipc.cluster;

/**
 * The previous owner of a {@link ClusterLock} died (or lost its connection to the cluster for longer than the
 * members wait for a client, 5 s) while holding it, and the calling thread now holds the lock: the
 * {@link dev.ringfork.core.sync.OwnerDiedException} of a lock across hosts. The data the lock guards may be
 * half-updated: check or repair it, then {@code unlock()} as usual.
 * <pre>{@code
 * try {
 *     lock.lock();
 * } catch (ClusterOwnerDiedException e) {
 *     repair(state);            // we hold the lock here
 * }
 * try { ... } finally { lock.unlock(); }
 * }</pre>
 */
public final class ClusterOwnerDiedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String deadOwnerHost;
    private final long deadOwnerPid;

    public ClusterOwnerDiedException(String lockName, String deadOwnerHost, long deadOwnerPid) {
        super("ClusterLock '" + lockName + "': its owner, pid " + deadOwnerPid + " on " + deadOwnerHost
                + ", died (or lost the cluster) while holding it. This thread now holds the lock: repair the state it"
                + " guards, then unlock().");
        this.deadOwnerHost = deadOwnerHost;
        this.deadOwnerPid = deadOwnerPid;
    }

    /** The host name of the process that died holding the lock. */
    public String deadOwnerHost() {
        return deadOwnerHost;
    }

    /** The pid of the process that died holding the lock, on {@link #deadOwnerHost()}. */
    public long deadOwnerPid() {
        return deadOwnerPid;
    }
}
