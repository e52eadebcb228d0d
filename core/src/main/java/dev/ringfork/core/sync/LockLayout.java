package dev.ringfork.core.sync;

/**
 * The shared-memory form of a {@link SharedLock}: one 128-byte line of its own.
 *
 * <pre>
 *   0 +-----------------------+-----------------------+
 *     | state word (4, futex) | owner deaths (4)      |
 *   8 +-----------------------+-----------------------+
 *     | owner pid record (4)  | reserved (4)          |
 *  16 +-----------------------------------------------+
 *     | owner start time (8)                          |
 *  24 +-----------------------------------------------+
 *     | owner thread id (8)                           |
 *  32 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p><b>State word</b> (the three states of Drepper's futex mutex, with the owner in them, as Linux
 * robust futexes do): {@code 0} = free; {@code pid} = locked by process {@code pid} (bits 0-29), no
 * sleeper; {@code pid | WAITERS} = locked, and someone may sleep on the futex, so unlock must wake.
 * Because the owner pid is in the word itself, a lock is never held by an unknown owner, even if the
 * owner dies right after its compare-and-set.
 *
 * <p><b>Owner record</b>: after acquiring, the owner writes its start time and thread id, then its pid
 * into the record with a release store. A process that finds the word's pid dead, or the record's start
 * time not matching the live process with that pid (a recycled pid), takes the lock over with a
 * compare-and-set on the word and counts the death. Thread id makes {@code unlock} by another thread of
 * the owning process an error.
 */
public final class LockLayout {

    public static final int LENGTH = 128;

    public static final long STATE_OFFSET = 0;
    public static final long OWNER_DEATHS_OFFSET = STATE_OFFSET + Integer.BYTES;
    public static final long OWNER_PID_OFFSET = OWNER_DEATHS_OFFSET + Integer.BYTES;
    public static final long OWNER_START_OFFSET = OWNER_PID_OFFSET + 2 * Integer.BYTES;
    public static final long OWNER_THREAD_OFFSET = OWNER_START_OFFSET + Long.BYTES;

    public static final int FREE = 0;
    public static final int PID_MASK = 0x3FFF_FFFF;
    public static final int WAITERS = 0x8000_0000;

    private LockLayout() {
    }
}
