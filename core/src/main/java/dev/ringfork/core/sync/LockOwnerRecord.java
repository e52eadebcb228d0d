package dev.ringfork.core.sync;

import dev.ringfork.core.internal.ProcessIdentity;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import static dev.ringfork.core.sync.LockLayout.FREE;
import static dev.ringfork.core.sync.LockLayout.OWNER_PID_OFFSET;
import static dev.ringfork.core.sync.LockLayout.OWNER_START_OFFSET;
import static dev.ringfork.core.sync.LockLayout.OWNER_THREAD_OFFSET;
import static dev.ringfork.core.sync.LockLayout.PID_MASK;
import static dev.ringfork.core.sync.LockLayout.WAITERS;

/**
 * Reads, writes and judges the owner record of one {@link SharedLock} (see {@link LockLayout}): whose a
 * held state word is (alive, dead, or not yet recorded), whether this thread holds it, and this process's
 * identity (pid, start time, owner word). Does not translate {@link InternalError}: its callers in
 * {@link SharedLock} do.
 */
final class LockOwnerRecord {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private static final ProcessIdentity SELF = ProcessIdentity.current();
    static final int SELF_PID = selfPid();
    /** This process's owner word: pid and start tag. */
    static final int SELF_WORD = LockLayout.ownerWord(SELF_PID, SELF.startTime());

    /** What the state word and the owner record say about the owner of a held lock. */
    enum Owner {
        ALIVE,
        DEAD,
        /**
         * A word that matches a live process (ours, or another) over an owner record that is not that
         * process's: the owner about to write its record, or an earlier process with that pid (and, by
         * chance, tag) whose word and record these are. Dead once it stays so for the grace period.
         */
        UNRECORDED
    }

    private final MemorySegment segment;
    private final long base;
    private final String name;

    /** The record of the lock at {@code segment[base]}, named {@code name} in messages. */
    LockOwnerRecord(MemorySegment segment, long base, String name) {
        this.segment = segment;
        this.base = base;
        this.name = name;
    }

    /** Whose the held lock {@code word} is: judged by pid and start tag, then by the owner record. */
    Owner owner(int word) {
        int pid = word & PID_MASK;
        int tag = LockLayout.tag(word);
        if (pid == SELF_PID) {
            if (tag != LockLayout.tag(SELF_WORD)) {
                return Owner.DEAD; // an earlier process with our pid
            }
            // Acquire pairs with recordOwner's release: the start time read after it is the recorder's.
            if ((int) INT.getAcquire(segment, base + OWNER_PID_OFFSET) != SELF_PID) {
                return Owner.UNRECORDED;
            }
            long recordedStart = (long) LONG.getOpaque(segment, base + OWNER_START_OFFSET);
            return recordedStart == SELF.startTime() ? Owner.ALIVE : Owner.DEAD;
        }
        Optional<ProcessIdentity> live = ProcessIdentity.of(pid);
        if (live.isEmpty()) {
            return Owner.DEAD;
        }
        long liveStart = live.get().startTime();
        if (tag != 0 && liveStart != 0 && tag != LockLayout.startTag(liveStart)) {
            return Owner.DEAD; // the pid was recycled
        }
        // Acquire pairs with recordOwner's release, as above.
        if ((int) INT.getAcquire(segment, base + OWNER_PID_OFFSET) != pid) {
            return Owner.ALIVE; // not recorded yet: another process between its compare-and-set and its record
        }
        long recordedStart = (long) LONG.getOpaque(segment, base + OWNER_START_OFFSET);
        if (recordedStart == 0 || liveStart == 0 || recordedStart == liveStart) {
            return Owner.ALIVE;
        }
        // The live process's word (its tag matched above), an earlier process's record with the same pid:
        // the live one took over and is about to record itself, or the word is the earlier one's.
        return tag != 0 ? Owner.UNRECORDED : Owner.DEAD;
    }

    /** True if {@code word} and the owner record say this process (pid and start time) and thread {@code thread}. */
    boolean heldBy(int word, long thread) {
        return word != FREE && (word & ~WAITERS) == SELF_WORD
                // Acquire pairs with recordOwner's release: start time and thread id are the recorder's.
                && (int) INT.getAcquire(segment, base + OWNER_PID_OFFSET) == SELF_PID
                && (long) LONG.getOpaque(segment, base + OWNER_START_OFFSET) == SELF.startTime()
                && (long) LONG.getOpaque(segment, base + OWNER_THREAD_OFFSET) == thread;
    }

    /** The message for thread {@code thread} of this process unlocking the lock whose state word is {@code word}. */
    String notOwner(int word, long thread) {
        String holder;
        if (word == FREE) {
            holder = "not locked";
        } else if ((word & PID_MASK) != SELF_PID) {
            holder = "held by pid " + (word & PID_MASK);
        } else if ((word & ~WAITERS) != SELF_WORD || owner(word) == Owner.DEAD) {
            holder = "held by pid " + SELF_PID + " of an earlier process (another start time; dead)";
        } else {
            holder = "held by pid " + SELF_PID + " thread "
                    + (long) LONG.getOpaque(segment, base + OWNER_THREAD_OFFSET);
        }
        return "SharedLock '" + name + "' is " + holder + ", not by this thread (pid " + SELF_PID + " thread " + thread
                + "); only the owner may unlock it";
    }

    /** Records this process and the calling thread as the owner; called right after acquiring the state word. */
    void recordOwner() {
        LONG.setOpaque(segment, base + OWNER_START_OFFSET, SELF.startTime());
        LONG.setOpaque(segment, base + OWNER_THREAD_OFFSET, Thread.currentThread().threadId());
        // Release: publishes the start time and thread id above to readers of the pid with acquire.
        INT.setRelease(segment, base + OWNER_PID_OFFSET, SELF_PID);
    }

    /**
     * Clears pid and thread id of the record; the owner calls it before its unlock's release, which
     * publishes the cleared record.
     */
    void clear() {
        INT.setOpaque(segment, base + OWNER_PID_OFFSET, 0);
        LONG.setOpaque(segment, base + OWNER_THREAD_OFFSET, 0L);
    }

    private static int selfPid() {
        long pid = SELF.pid();
        if (pid <= 0 || pid > PID_MASK) {
            throw new IllegalStateException("pid " + pid + " does not fit the SharedLock state word (max " + PID_MASK
                    + ", the Linux limit)");
        }
        return (int) pid;
    }
}
