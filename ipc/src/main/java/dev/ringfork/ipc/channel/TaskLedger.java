package dev.ringfork.ipc.channel;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingLayout;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.core.sync.Doorbell;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.ipc.channel.JoinLayout.FREE;
import static dev.ringfork.ipc.channel.JoinLayout.HELD_OFFSET;
import static dev.ringfork.ipc.channel.JoinLayout.HOLDER_SLOTS;
import static dev.ringfork.ipc.channel.JoinLayout.LAST_WRITE_OFF_OFFSET;
import static dev.ringfork.ipc.channel.JoinLayout.LOST_OFFSET;
import static dev.ringfork.ipc.channel.JoinLayout.OWNER_OFFSET;
import static dev.ringfork.ipc.channel.JoinLayout.UNFINISHED_OFFSET;
import static dev.ringfork.ipc.channel.JoinLayout.WRITE_OFFS_OFFSET;
import static dev.ringfork.ipc.channel.JoinLayout.holder;

/**
 * One handle's view of a {@link JoinableQueue}'s shared task count ({@link JoinLayout}): the unfinished
 * count, the doorbell {@code join} sleeps on, and this handle's holder slot, which counts the items it
 * took and has not marked done, so that a process killed while holding items can be named.
 *
 * <p>Every step that moves a count is ordered so that a process killed between two steps leaves the
 * unfinished count too high, never too low: a join then times out, but never returns early.
 */
final class TaskLedger {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** A waiting join looks for dead holders this often. */
    static final long HOLDER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int NO_SLOT = -1;
    private static final int TABLE_FULL = -2;

    private final String queueName;
    private final MemorySegment join;
    private final Doorbell joinBell;
    /** This handle's holder slot: NO_SLOT until its first take, TABLE_FULL if none was free then. */
    private volatile int slot = NO_SLOT;

    private TaskLedger(String queueName, MemorySegment join) {
        this.queueName = queueName;
        this.join = join;
        this.joinBell = Doorbell.at(join, JoinLayout.DOORBELL_OFFSET);
    }

    /** Creates the task count of queue {@code name}, or attaches to it and checks it. */
    static TaskLedger attach(SharedRegion region, String name) {
        String slotName = name + JoinLayout.SUFFIX;
        MemorySegment join = region.bytes(slotName, JoinLayout.LENGTH, RingLayout.LINE, JoinLayout::initialise);
        JoinLayout.verify(join, slotName);
        return new TaskLedger(name, join);
    }

    /** True if the region holds a joinable queue's task count for queue {@code name}. */
    static boolean existsIn(SharedRegion region, String name) {
        return region.existingBytes(name + JoinLayout.SUFFIX).isPresent();
    }

    // ------------------------------------------------------------------------------------- counting

    /** Before a put: one more unfinished item (so a join cannot miss an item being put). */
    void beforePut() {
        // Volatile increment: before the element's commit, which a taker's taskDone follows.
        LONG.getAndAdd(join, UNFINISHED_OFFSET, 1L);
    }

    /** A put counted by {@link #beforePut} did not happen (no room, closed, failed to encode). */
    void putFailed() {
        finish(1);
    }

    /** After a take of {@code n} items: this handle holds them until {@link #taskDone()}. */
    void taken(int n) {
        if (n <= 0) {
            return;
        }
        int s = holderSlot();
        if (s >= 0) {
            // Volatile: a join that finds this process dead reads it with a compare-and-set.
            LONG.getAndAdd(join, holder(s, HELD_OFFSET), (long) n);
        }
    }

    /**
     * One item is done. Lowers this handle's held count first, then the unfinished count: a kill between
     * the two leaves the item unfinished and unattributed (a join times out), never counted twice.
     *
     * @throws IllegalStateException if every item put has been marked done already
     */
    void taskDone() {
        int s = slot;
        boolean wasHeld = s >= 0 && decrementIfPositive(holder(s, HELD_OFFSET));
        for (;;) {
            long n = (long) LONG.getVolatile(join, UNFINISHED_OFFSET);
            if (n <= 0) {
                if (wasHeld) {
                    LONG.getAndAdd(join, holder(s, HELD_OFFSET), 1L); // give it back: nothing was done
                }
                throw new IllegalStateException("taskDone() called more times than there were items put on queue '"
                        + queueName + "'");
            }
            // Volatile CAS: publishes the item's completion; pairs with the volatile read in a join's condition.
            if (LONG.compareAndSet(join, UNFINISHED_OFFSET, n, n - 1)) {
                if (n == 1) {
                    joinBell.ring(); // the last one: wake the joins
                }
                return;
            }
        }
    }

    /** Counts {@code n} items done that nobody holds (they were dropped, or could not be decoded). */
    void finish(long n) {
        if (subtractUpTo(n) > 0 && unfinished() == 0) {
            joinBell.ring();
        }
    }

    long unfinished() {
        return (long) LONG.getVolatile(join, UNFINISHED_OFFSET);
    }

    long lost() {
        return (long) LONG.getVolatile(join, LOST_OFFSET);
    }

    // ------------------------------------------------------------------------------------- joining

    /**
     * Waits until the unfinished count is 0 or the deadline passes; looks for dead holders when it
     * starts and every {@link #HOLDER_CHECK_NANOS} while it sleeps on the join doorbell.
     *
     * @return true once every item is done, false at the deadline
     * @throws ConsumerDiedException if, while this join ran, items held by a dead process were written off
     */
    boolean join(long deadline) throws InterruptedException {
        // Acquire (volatile) reads; pair with the volatile increment in writeOff, after its record.
        long writeOffsAtStart = writeOffs();
        long lostAtStart = lost();
        for (;;) {
            writeOffDeadHolders();
            long writeOffs = writeOffs();
            if (writeOffs != writeOffsAtStart) {
                long last = (long) LONG.getVolatile(join, LAST_WRITE_OFF_OFFSET);
                throw new ConsumerDiedException(queueName, last >>> 32, (int) last, lost() - lostAtStart,
                        writeOffs - writeOffsAtStart);
            }
            if (unfinished() == 0) {
                return true;
            }
            long now = System.nanoTime();
            if (Deadline.passed(deadline, now)) {
                return false;
            }
            long wakeAt = Deadline.earlier(deadline, Deadline.after(now, HOLDER_CHECK_NANOS, TimeUnit.NANOSECONDS));
            joinBell.sleepUntil(() -> unfinished() == 0 || writeOffs() != writeOffsAtStart, wakeAt);
        }
    }

    /** Writes off the items held by every holder slot whose process died. */
    void writeOffDeadHolders() {
        for (int s = 0; s < HOLDER_SLOTS; s++) {
            long owner = (long) LONG.getVolatile(join, holder(s, OWNER_OFFSET));
            if (owner != FREE && !ProcessIdentity.isPackedAlive(owner)) {
                writeOff(s, owner);
            }
        }
    }

    /**
     * Takes a dead holder's items out of the unfinished count and frees its slot. The held count goes to
     * 0 by a compare-and-set first, so only one process writes them off; a kill after it leaves them
     * unfinished (a join times out), never written off twice.
     */
    private void writeOff(int s, long owner) {
        long heldAt = holder(s, HELD_OFFSET);
        for (;;) {
            long held = (long) LONG.getVolatile(join, heldAt);
            if (held <= 0) {
                break;
            }
            // Volatile CAS: against the owner's own moves (it is dead) and other writers-off; the winner alone writes off.
            if (LONG.compareAndSet(join, heldAt, held, 0L)) {
                long lost = subtractUpTo(held);
                if (lost > 0) {
                    LONG.getAndAdd(join, LOST_OFFSET, lost);
                    LONG.setVolatile(join, LAST_WRITE_OFF_OFFSET,
                            (ProcessIdentity.packedPid(owner) << 32) | Math.min(lost, Integer.MAX_VALUE));
                    // Volatile increment after the record: a join that sees it reads the record after it.
                    LONG.getAndAdd(join, WRITE_OFFS_OFFSET, 1L);
                    joinBell.ring();
                }
                break;
            }
        }
        // Release (CAS): the slot is free for a new handle; its held count is 0.
        LONG.compareAndSet(join, holder(s, OWNER_OFFSET), owner, FREE);
    }

    private long writeOffs() {
        return (long) LONG.getVolatile(join, WRITE_OFFS_OFFSET);
    }

    // ------------------------------------------------------------------------------------- holder slot

    /** Gives this handle's holder slot back if it holds nothing (on detach). */
    void releaseHolderSlot() {
        int s = slot;
        if (s >= 0 && (long) LONG.getVolatile(join, holder(s, HELD_OFFSET)) == 0) {
            slot = NO_SLOT;
            // Release (CAS): a claimer that sees the slot free sees its held count 0.
            LONG.compareAndSet(join, holder(s, OWNER_OFFSET), ProcessIdentity.current().packed(), FREE);
        }
    }

    /** This handle's holder slot, claimed on first use: a free one, else one of a dead process that held nothing. */
    private int holderSlot() {
        int s = slot;
        if (s != NO_SLOT) {
            return s;
        }
        synchronized (this) {
            if (slot == NO_SLOT) {
                slot = claimHolderSlot();
            }
            return slot;
        }
    }

    private int claimHolderSlot() {
        long self = ProcessIdentity.current().packed();
        for (int s = 0; s < HOLDER_SLOTS; s++) {
            // CAS: the slot is ours alone; its held count is 0 (freed only at 0).
            if (LONG.compareAndSet(join, holder(s, OWNER_OFFSET), FREE, self)) {
                return s;
            }
        }
        for (int s = 0; s < HOLDER_SLOTS; s++) {
            long owner = (long) LONG.getVolatile(join, holder(s, OWNER_OFFSET));
            if (owner != FREE && !ProcessIdentity.isPackedAlive(owner)
                    && (long) LONG.getVolatile(join, holder(s, HELD_OFFSET)) == 0
                    && LONG.compareAndSet(join, holder(s, OWNER_OFFSET), owner, self)) {
                return s; // a dead owner cannot raise its held count again
            }
        }
        return TABLE_FULL; // items this handle takes are counted, but not attributed if it dies
    }

    /** Lowers the unfinished count by up to {@code n} (never below 0); returns by how much. */
    private long subtractUpTo(long n) {
        for (;;) {
            long now = (long) LONG.getVolatile(join, UNFINISHED_OFFSET);
            long by = Math.min(now, n);
            if (by <= 0) {
                return 0;
            }
            // Volatile CAS: pairs with the volatile read in a join's condition (and with other movers of the count).
            if (LONG.compareAndSet(join, UNFINISHED_OFFSET, now, now - by)) {
                return by;
            }
        }
    }

    private boolean decrementIfPositive(long offset) {
        for (;;) {
            long n = (long) LONG.getVolatile(join, offset);
            if (n <= 0) {
                return false;
            }
            // Volatile CAS: a writer-off's CAS of this held count sees it (one of the two wins).
            if (LONG.compareAndSet(join, offset, n, n - 1)) {
                return true;
            }
        }
    }
}
