package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import static dev.ringfork.core.ring.ConsumerSlot.DELIVERIES_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.END_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.FREE;
import static dev.ringfork.core.ring.ConsumerSlot.IDLE;
import static dev.ringfork.core.ring.ConsumerSlot.ORPHANED;
import static dev.ringfork.core.ring.ConsumerSlot.OWNER_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_HELD;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_IDLE;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.READING_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.RECOVERING;
import static dev.ringfork.core.ring.ConsumerSlot.RELEASE_TO_OFFSET;
import static dev.ringfork.core.ring.RingLayout.INT;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * The ring's consumer table ({@link ConsumerSlot}): the one consumer's registration for SPSC and MPSC
 * rings; for MPMC rings, taking and freeing slots, what producers may overwrite, and handing the records
 * of dead consumers to live ones.
 */
final class ConsumerTable {

    /** How long a registration waits for a live owner that may be a settler passing through, before refusing. */
    private static final long SETTLER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Records handed to this many consumers that all died holding them are dropped (counted lost). */
    static final int MAX_DELIVERIES = 3;

    private final Ring ring;
    private final long table;
    private final long me = Ring.SELF.packed();
    private final ConsumerRecovery recovery;

    ConsumerTable(Ring ring) {
        this.ring = ring;
        this.table = RingLayout.consumerTableOffset(ring.producerSlots);
        this.recovery = new ConsumerRecovery(ring, this);
    }

    long at(int slot, long field) {
        return table + (long) slot * ConsumerSlot.LENGTH + field;
    }

    long reading(int slot) {
        return (long) LONG.getVolatile(ring.ring, at(slot, READING_OFFSET));
    }

    long owner(int slot) {
        return (long) LONG.getVolatile(ring.ring, at(slot, OWNER_OFFSET));
    }

    int phase(int slot) {
        return (int) INT.getVolatile(ring.ring, at(slot, PHASE_OFFSET));
    }

    long end(int slot) {
        return (long) LONG.getVolatile(ring.ring, at(slot, END_OFFSET));
    }

    // ---------------------------------------------------------------------------------- the one consumer

    /** SPSC, MPSC: makes this process the ring's consumer; a live one in another process is refused. */
    void registerSingle() {
        registerSole(ring, at(0, OWNER_OFFSET), "consumer", "an SPSC or MPSC ring takes one consumer at a time (close it"
                + " there first, or use an MPMC ring)", dead -> finishRelease());
    }

    /**
     * Finishes what a dead single consumer was giving back: it delivered [head, release to), started zeroing
     * it and died before moving the head. Zeroes the rest and moves the head, so its successor neither reads
     * the zeroed space as an empty ring (the producer would wait for room for ever) nor delivers it again.
     */
    private void finishRelease() {
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        ring.checkPositions(head, tail);
        long releaseTo = (long) LONG.getVolatile(ring.ring, at(0, RELEASE_TO_OFFSET));
        if (releaseTo - head <= 0) {
            return; // its last release was finished (or none was begun)
        }
        if ((releaseTo & (RecordLayout.ALIGNMENT - 1)) != 0 || releaseTo - tail > 0) {
            throw ring.integrity.report(RingIntegrity.Problem.BAD_SLOT, head, releaseTo, 0);
        }
        ring.zero(head, releaseTo);
        // Release: publishes the zeroing; pairs with freePosition's acquire.
        LONG.setRelease(ring.ring, RingLayout.HEAD_OFFSET, releaseTo);
        ring.spaceBell.ring();
    }

    /** SPSC, MPSC: gives up the consumer role if this process holds it. */
    void releaseSingle() {
        LONG.compareAndSet(ring.ring, at(0, OWNER_OFFSET), me, FREE);
    }

    /**
     * Makes this process the sole owner of the word at {@code ownerOffset}: free, ours already, or a dead
     * owner's; refuses a live owner in another process. A dead owner's leftovers are settled by the winner
     * only, after it won ({@code settleDead}), so two processes racing for the role never both touch them;
     * if settling fails, the dead owner is put back for the next one to try.
     */
    static void registerSole(Ring ring, long ownerOffset, String role, String rule, LongConsumer settleDead) {
        long me = Ring.SELF.packed();
        for (;;) {
            long owner = (long) LONG.getVolatile(ring.ring, ownerOffset);
            if (owner == me) {
                return;
            }
            if (owner != FREE && ProcessIdentity.isPackedAlive(owner)) {
                // A live owner, or another process settling a dead producer's last claim in this slot for
                // a moment (ProducerTable.settleClaim): refused only if it stays.
                if (waitForChange(ring, ownerOffset, owner)) {
                    continue;
                }
                throw new IllegalStateException("ring '" + ring.name + "' already has a " + role + " in live process "
                        + ProcessIdentity.packedPid(owner) + ": " + rule);
            }
            // Volatile CAS: one process wins the role (and with it the dead owner's leftovers).
            if (LONG.compareAndSet(ring.ring, ownerOffset, owner, me)) {
                if (owner != FREE) {
                    try {
                        settleDead.accept(owner);
                    } catch (RuntimeException | Error e) {
                        LONG.compareAndSet(ring.ring, ownerOffset, me, owner);
                        throw e;
                    }
                }
                return;
            }
        }
    }

    /** True if the word at {@code offset} moves off {@code value} within {@link #SETTLER_GRACE_NANOS}. */
    private static boolean waitForChange(Ring ring, long offset, long value) {
        long deadline = System.nanoTime() + SETTLER_GRACE_NANOS;
        while (System.nanoTime() - deadline < 0) {
            if ((long) LONG.getVolatile(ring.ring, offset) != value) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return false;
    }

    /** The registered owner of slot 0 (SPSC, MPSC), or FREE. */
    long singleOwner() {
        return owner(0);
    }

    // ---------------------------------------------------------------------------------- MPMC slots

    /** Takes a free slot (after handing back what dead consumers held); returns its index. */
    int acquire() {
        recover();
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            if (owner(slot) == FREE && LONG.compareAndSet(ring.ring, at(slot, OWNER_OFFSET), FREE, me)) {
                LONG.set(ring.ring, at(slot, END_OFFSET), IDLE);
                INT.set(ring.ring, at(slot, PHASE_OFFSET), PHASE_IDLE);
                INT.set(ring.ring, at(slot, DELIVERIES_OFFSET), 0);
                // Volatile: a free slot already reads IDLE; this orders our fields before our first announcement.
                LONG.setVolatile(ring.ring, at(slot, READING_OFFSET), IDLE);
                return slot;
            }
        }
        throw new IllegalStateException("all " + ring.consumerSlots + " consumer slots of ring '" + ring.name
                + "' are in use: close unused consumers, or create the ring with more consumerSlots");
    }

    /** Gives a slot back: nothing held, no owner. */
    void free(int slot) {
        INT.set(ring.ring, at(slot, PHASE_OFFSET), PHASE_IDLE);
        // Release: the space below is zeroed; pairs with freePosition's acquire.
        LONG.setRelease(ring.ring, at(slot, READING_OFFSET), IDLE);
        LONG.setRelease(ring.ring, at(slot, OWNER_OFFSET), FREE);
        ring.spaceBell.ring();
    }

    /**
     * The lowest position producers must keep: the head, or a slot's position below it. {@code tail} is a
     * tail the caller read before. Left out: free slots (a consumer that takes one after we looked
     * announces a head no earlier than ours: it re-checks the head after announcing), and positions more
     * than a lap behind {@code tail}, which no holder can have (producers never pass a holder's position,
     * so the tail stays within a lap of it): an announcement made stale while its consumer was
     * descheduled, which that consumer withdraws when it re-checks the head.
     */
    long freePosition(long tail) {
        // Head first, then the slots (acquire: pairs with each consumer's release of IDLE after zeroing).
        long free = (long) LONG.getAcquire(ring.ring, RingLayout.HEAD_OFFSET);
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            // Acquire, owner before position: see above.
            if ((long) LONG.getAcquire(ring.ring, at(slot, OWNER_OFFSET)) == FREE) {
                continue;
            }
            long reading = (long) LONG.getAcquire(ring.ring, at(slot, READING_OFFSET));
            if (reading != IDLE && reading - free < 0 && tail - reading <= ring.capacity) {
                free = reading;
            }
        }
        return free;
    }

    /** True if the orphan count says some slot holds orphaned records: a hint for the read path only. */
    boolean hasOrphans() {
        return (int) INT.getVolatile(ring.ring, RingLayout.ORPHANS_OFFSET) > 0;
    }

    /**
     * Adopts an orphaned slot for this process; returns its index, or -1 if there is none. The count is a
     * hint (a consumer killed between its two updates leaves it off by one): the slots decide.
     */
    int adopt() {
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            // Volatile CAS: acquires the records the recoverer published with its release of ORPHANED.
            if (owner(slot) == ORPHANED && LONG.compareAndSet(ring.ring, at(slot, OWNER_OFFSET), ORPHANED, me)) {
                INT.getAndAdd(ring.ring, RingLayout.ORPHANS_OFFSET, -1);
                return slot;
            }
        }
        return -1;
    }

    /** Hands a slot's held records [reading, end) to any consumer. */
    void giveBack(int slot) {
        INT.set(ring.ring, at(slot, PHASE_OFFSET), PHASE_HELD);
        INT.getAndAdd(ring.ring, RingLayout.ORPHANS_OFFSET, 1);
        // Release: publishes the slot's range to the adopter's CAS.
        LONG.setRelease(ring.ring, at(slot, OWNER_OFFSET), ORPHANED);
        ring.dataBell.ring();
    }

    // ---------------------------------------------------------------------------------- recovery

    /** Settles the slots of dead consumers: see {@link ConsumerRecovery#recover()}. */
    void recover() {
        recovery.recover();
    }

    /**
     * True if a slot other than {@code mine} holds or may be taking records (so the stream has not ended:
     * they may yet be handed back). Dead holders, and slots left RECOVERING, are recovered on the way.
     */
    boolean othersHold(int mine) {
        boolean held = false;
        boolean recover = false;
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            if (slot == mine) {
                continue;
            }
            long owner = owner(slot);
            if (owner == ORPHANED) {
                held = true;
            } else if (owner == RECOVERING) {
                held = true;
                recover = true;
            } else if (ConsumerSlot.isProcess(owner) && reading(slot) != IDLE) {
                held = true;
                recover |= !ProcessIdentity.isPackedAlive(owner);
            }
        }
        if (recover) {
            recover();
        }
        return held;
    }
}
