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
 *
 *   state word:  bit 31    bit 30     bits 22-29        bits 0-21
 *               +---------+----------+-----------------+-----------------+
 *               | WAITERS | reserved | owner start tag | owner pid       |
 *               +---------+----------+-----------------+-----------------+
 * </pre>
 *
 * <p><b>State word</b> (the three states of Drepper's futex mutex, with the owner in them, as Linux
 * robust futexes do): {@code 0} = free; {@code owner} = locked, no sleeper; {@code owner | WAITERS} =
 * locked, and someone may sleep on the futex, so unlock must wake. {@code owner} is the owning process's
 * pid (Linux pids are below 2^22) and its start tag: 1 + its start time (see {@code ProcessIdentity})
 * modulo 255, or 0 where the start time is unknown. Because the owner is in the word itself, a lock is
 * never held by an unknown owner, even if the owner dies right after its compare-and-set: a word whose
 * pid is dead, whose pid now runs with another start tag (a recycled pid), or whose pid is the reader's
 * own with another tag (an earlier process with the same pid: a restarted container, every JVM pid 1) has
 * a dead owner.
 *
 * <p><b>Owner record</b>: after acquiring, the owner writes its start time and thread id, then its pid
 * into the record with a release store; unlock clears pid and thread id first. When the word's tag matches
 * a live process with the word's pid (by chance, 1 in 255, for a recycled pid), the record decides: a
 * record for that pid with another start time means a dead owner. A record not yet written means the owner
 * is between its compare-and-set and its record: another process is then taken to be alive; a thread of
 * this very process leaves that state within instructions, so a word of ours that stays unrecorded for
 * {@code SharedLock.UNRECORDED_GRACE_NANOS} belonged to an earlier process that died there. The thread id
 * makes {@code unlock} by another thread of the owning process an error; it is compared only together with
 * pid and start time, as thread ids repeat between JVMs.
 *
 * <p>A process that finds a dead owner takes the lock over with a compare-and-set on the word and counts
 * the death. Introduced with region layout 2.0 (1.x words carried the pid in bits 0-29 and no tag).
 */
public final class LockLayout {

    public static final int LENGTH = 128;

    public static final long STATE_OFFSET = 0;
    public static final long OWNER_DEATHS_OFFSET = STATE_OFFSET + Integer.BYTES;
    public static final long OWNER_PID_OFFSET = OWNER_DEATHS_OFFSET + Integer.BYTES;
    public static final long OWNER_START_OFFSET = OWNER_PID_OFFSET + 2 * Integer.BYTES;
    public static final long OWNER_THREAD_OFFSET = OWNER_START_OFFSET + Long.BYTES;

    public static final int FREE = 0;
    public static final int PID_MASK = 0x003F_FFFF;
    public static final int TAG_SHIFT = 22;
    public static final int TAG_MASK = 0xFF << TAG_SHIFT;
    public static final int WAITERS = 0x8000_0000;

    private LockLayout() {
    }

    /** The start tag of a process started at {@code startTime}: 1 to 255, or 0 if the start time is unknown (0). */
    public static int startTag(long startTime) {
        return startTime == 0 ? 0 : 1 + (int) Long.remainderUnsigned(startTime, 255);
    }

    /** The state word of a lock held by process {@code pid} started at {@code startTime}, without WAITERS. */
    public static int ownerWord(int pid, long startTime) {
        return pid | startTag(startTime) << TAG_SHIFT;
    }

    /** The start tag in a state word (0: unknown). */
    public static int tag(int word) {
        return (word & TAG_MASK) >>> TAG_SHIFT;
    }
}
