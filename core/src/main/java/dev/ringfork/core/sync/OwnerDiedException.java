package dev.ringfork.core.sync;

/**
 * The previous owner of a {@link SharedLock} died while holding it, and the calling thread now holds the
 * lock (like {@code EOWNERDEAD} for robust POSIX mutexes). The data the lock guards may be half-updated:
 * check or repair it, then {@code unlock()} as usual.
 * <pre>{@code
 * try {
 *     lock.lock();
 * } catch (OwnerDiedException e) {
 *     repair(state);            // we hold the lock here
 * }
 * try { ... } finally { lock.unlock(); }
 * }</pre>
 */
public final class OwnerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long deadOwnerPid;

    public OwnerDiedException(String lockName, long deadOwnerPid) {
        super("SharedLock '" + lockName + "': its owner, pid " + deadOwnerPid
                + ", died while holding it. This thread now holds the lock: repair the state it guards, then unlock().");
        this.deadOwnerPid = deadOwnerPid;
    }

    /** The pid of the process that died holding the lock. */
    public long deadOwnerPid() {
        return deadOwnerPid;
    }
}
