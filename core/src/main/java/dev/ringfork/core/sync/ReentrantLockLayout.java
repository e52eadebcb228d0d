package dev.ringfork.core.sync;

/**
 * The shared-memory form of a {@link SharedReentrantLock}: a {@link LockLayout} line whose unused tail
 * holds the hold count, so the lock is one 128-byte line of its own.
 *
 * <pre>
 *   0 +-----------------------------------------------+
 *     | SharedLock: state word, owner deaths, owner   |
 *     | pid, start time, thread id (see LockLayout)   |
 *  32 +-----------------------+-----------------------+  HOLDS_OFFSET
 *     | hold count (4)        | unused                |
 *  40 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p>The hold count is read and written only by the owning thread, with plain accesses: the lock's
 * acquire (a compare-and-set) and release (a get-and-set) order them between owners. An owner that dies
 * leaves any count behind; the taker-over sets it to 1 before {@link OwnerDiedException} reaches it.
 */
public final class ReentrantLockLayout {

    public static final int LENGTH = LockLayout.LENGTH;
    public static final long HOLDS_OFFSET = LockLayout.OWNER_THREAD_OFFSET + Long.BYTES;

    private ReentrantLockLayout() {
    }
}
