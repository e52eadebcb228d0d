package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;
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
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_OWNED;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_RELEASING;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_TAKING;
import static dev.ringfork.core.ring.ConsumerSlot.READING_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.RECOVERER_OFFSET;
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

    ConsumerTable(Ring ring) {
        this.ring = ring;
        this.table = RingLayout.consumerTableOffset(ring.producerSlots);
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

    /**
     * A dead consumer's records [from, to) go to the next consumer that reads, unless they have already
     * been handed to {@link #MAX_DELIVERIES} consumers that all died: then they are dropped and counted lost.
     */
    private void orphan(int slot, long from, long to) {
        int deliveries = (int) INT.get(ring.ring, at(slot, DELIVERIES_OFFSET)) + 1;
        long messages = ring.countMessages(from, to);
        LONG.set(ring.ring, at(slot, END_OFFSET), to);
        LONG.setRelease(ring.ring, at(slot, READING_OFFSET), from);
        if (deliveries >= MAX_DELIVERIES || messages == 0) {
            ring.countLost(messages);
            ring.zero(from, to);
            free(slot);
            return;
        }
        INT.set(ring.ring, at(slot, DELIVERIES_OFFSET), deliveries);
        ring.countRedelivered(messages);
        giveBack(slot);
    }

    // ---------------------------------------------------------------------------------- recovery

    /**
     * Finds the slots of dead consumers and settles each: records it held go back to live consumers,
     * space it was zeroing is zeroed, and the slot is freed. Any process may call this at any time. One
     * recoverer per slot: it takes the slot's recoverer word (free, or naming a dead process, so a
     * recoverer that dies is replaced) and moves the owner to RECOVERING. A slot whose records cannot be
     * told apart from a live consumer's yet stays RECOVERING for a later call.
     */
    void recover() {
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            long owner = owner(slot);
            boolean dead = ConsumerSlot.isProcess(owner) && !ProcessIdentity.isPackedAlive(owner);
            if ((dead || owner == RECOVERING) && lockForRecovery(slot)) {
                try {
                    // Under the lock, judged again: another recoverer may have settled it meanwhile.
                    long now = owner(slot);
                    if (now == RECOVERING || now == owner && dead
                            && LONG.compareAndSet(ring.ring, at(slot, OWNER_OFFSET), owner, RECOVERING)) {
                        recover(slot);
                    }
                } finally {
                    unlockRecovery(slot);
                }
            }
        }
    }

    /** Takes slot {@code slot}'s recoverer word if it is free or names a dead process. */
    private boolean lockForRecovery(int slot) {
        long recoverer = (long) LONG.getVolatile(ring.ring, at(slot, RECOVERER_OFFSET));
        if (recoverer == me || recoverer != FREE && ProcessIdentity.isPackedAlive(recoverer)) {
            return false; // a live recoverer (maybe another thread of ours) is at it
        }
        // Volatile CAS: one recoverer at a time; it sees what the previous one (if it died) left.
        return LONG.compareAndSet(ring.ring, at(slot, RECOVERER_OFFSET), recoverer, me);
    }

    private void unlockRecovery(int slot) {
        // Release: publishes what this recovery wrote to the next recoverer's CAS.
        LONG.setRelease(ring.ring, at(slot, RECOVERER_OFFSET), FREE);
    }

    /**
     * Settles dead slot {@code slot} (RECOVERING, its recoverer word ours). What it holds depends on its phase:
     * <ul>
     *   <li>IDLE reading, or a phase that never reached the head compare-and-set for this position
     *       ({@code end <= reading}): nothing; freed.</li>
     *   <li>OWNED or HELD: [reading, end) is its own; orphaned.</li>
     *   <li>RELEASING: [reading, release to) was delivered: zeroed; the rest orphaned.</li>
     *   <li>TAKING: it may or may not have moved the head: see {@link #recoverTaking}.</li>
     * </ul>
     * A word no consumer can have left is reported as corruption (BAD_SLOT), never acted on.
     */
    private void recover(int slot) {
        RingTestHooks.at(RingTestHooks.Point.WHILE_RECOVERING);
        long reading = reading(slot);
        int phase = phase(slot);
        if (reading == IDLE || phase == PHASE_IDLE) {
            free(slot); // between reads, or announced without having counted anything
            return;
        }
        long end = end(slot);
        check(slot, reading, end, phase);
        switch (phase) {
            case PHASE_OWNED, PHASE_HELD -> orphan(slot, reading, end);
            case PHASE_RELEASING -> {
                long releaseTo = (long) LONG.getVolatile(ring.ring, at(slot, RELEASE_TO_OFFSET));
                ring.zero(reading, releaseTo);
                if (releaseTo - end >= 0) {
                    free(slot);
                } else {
                    orphan(slot, releaseTo, end);
                }
            }
            default -> recoverTaking(slot, reading, end);
        }
    }

    /**
     * The words of a dead slot that is not IDLE must be a consumer's: an aligned position within a lap
     * behind the tail and not past it; for a slot that took records, an aligned end within a lap after
     * it; while releasing, a "release to" between the two. Anything else is damage.
     */
    private void check(int slot, long reading, long end, int phase) {
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        long mask = RecordLayout.ALIGNMENT - 1;
        if (phase < PHASE_IDLE || phase > PHASE_HELD) {
            throw ring.integrity.report(RingIntegrity.Problem.BAD_SLOT, reading, phase, slot);
        }
        if ((reading & mask) != 0 || reading - tail > 0 || tail - reading > ring.capacity) {
            throw ring.integrity.report(RingIntegrity.Problem.BAD_SLOT, reading, reading, slot);
        }
        boolean took = phase != PHASE_TAKING || end != IDLE && end - reading > 0;
        if (took && ((end & mask) != 0 || end - reading <= 0 || end - reading > ring.capacity || end - tail > 0)) {
            throw ring.integrity.report(RingIntegrity.Problem.BAD_SLOT, reading, end, slot);
        }
        if (phase == PHASE_RELEASING) {
            long releaseTo = (long) LONG.getVolatile(ring.ring, at(slot, RELEASE_TO_OFFSET));
            if ((releaseTo & mask) != 0 || releaseTo - reading < 0 || releaseTo - end > 0) {
                throw ring.integrity.report(RingIntegrity.Problem.BAD_SLOT, reading, releaseTo, slot);
            }
        }
    }

    /**
     * A slot that died taking: it stored its end and may or may not have moved the head from its position.
     * <ol>
     *   <li>The head first: not past the position means it never moved it (and, dead, never will).
     *       Read after looking at the other slots, a live consumer could take from that position in
     *       between, and its records would pass for the dead one's.</li>
     *   <li>Another slot at the same position that owns records there (OWNED, RELEASING, HELD, orphaned)
     *       won the race: nothing is held. A live one still taking there: undecided, left for later.
     *       Other dead slots there join the group (several dead consumers announced the same position).</li>
     *   <li>The header at the position zeroed: taken and already finished by another; nothing is held.</li>
     *   <li>Else the records from there up to its end (bounded by the head, and every other slot's
     *       position) are its own, or the group's: orphaned once.</li>
     * </ol>
     */
    private void recoverTaking(int slot, long reading, long end) {
        if (end == IDLE || end - reading <= 0) {
            free(slot); // it never stored an end for this position, so it never moved the head from it
            return;
        }
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        RingTestHooks.at(RingTestHooks.Point.RECOVERING_TAKING_MIDWAY);
        if (head - reading <= 0) {
            free(slot);
            return;
        }
        List<Integer> group = new ArrayList<>();
        group.add(slot);
        try {
            for (int other = 0; other < ring.consumerSlots; other++) {
                if (other == slot || reading(other) != reading) {
                    continue;
                }
                long owner = owner(other);
                int otherPhase = phase(other);
                if (owner == FREE) {
                    continue; // a stray position in a free slot: nobody's
                }
                if (otherPhase == PHASE_OWNED || otherPhase == PHASE_RELEASING || otherPhase == PHASE_HELD) {
                    for (int member : group) {
                        free(member); // the other slot holds the records at this position
                    }
                    return;
                }
                // Undecided for now (each slot of the group stays RECOVERING: a later recovery decides) if a
                // live consumer is still taking there, another recoverer holds that slot, or it moved on.
                if (ConsumerSlot.isProcess(owner) && ProcessIdentity.isPackedAlive(owner) || !lockForRecovery(other)) {
                    return;
                }
                group.add(other);
                if (owner != RECOVERING && !LONG.compareAndSet(ring.ring, at(other, OWNER_OFFSET), owner, RECOVERING)) {
                    return;
                }
            }
            long header = (long) LONG.getVolatile(ring.buffer, (long) ((int) reading & (ring.capacity - 1)));
            if (header == 0) {
                for (int member : group) {
                    free(member); // taken and finished by another consumer
                }
                return;
            }
            long limit = end;
            for (int member : group) {
                long memberEnd = end(member);
                if (memberEnd != IDLE && memberEnd - limit > 0 && memberEnd - reading <= ring.capacity) {
                    limit = memberEnd;
                }
            }
            limit = Math.min(limit, head);
            for (int other = 0; other < ring.consumerSlots; other++) {
                long position = reading(other);
                if (!group.contains(other) && position != IDLE && position - reading > 0 && position - limit < 0) {
                    limit = position; // a range someone else holds starts there
                }
            }
            for (int i = 1; i < group.size(); i++) {
                free(group.get(i));
            }
            orphan(slot, reading, limit);
        } finally {
            for (int i = 1; i < group.size(); i++) {
                unlockRecovery(group.get(i));
            }
        }
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
