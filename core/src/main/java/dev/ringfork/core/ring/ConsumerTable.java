package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;
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
        long releaseTo = (long) LONG.getVolatile(ring.ring, at(0, RELEASE_TO_OFFSET));
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        if (releaseTo - head > 0 && releaseTo - tail <= 0 && releaseTo - head <= ring.capacity
                && (releaseTo & (RecordLayout.ALIGNMENT - 1)) == 0) {
            ring.zero(head, releaseTo);
            // Release: publishes the zeroing; pairs with freePosition's acquire.
            LONG.setRelease(ring.ring, RingLayout.HEAD_OFFSET, releaseTo);
            ring.spaceBell.ring();
        }
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

    /** The lowest position producers must keep: the head, or a slot's position below it. */
    long freePosition() {
        // Head first, then the slots (acquire: pairs with each consumer's release of IDLE after zeroing).
        long free = (long) LONG.getAcquire(ring.ring, RingLayout.HEAD_OFFSET);
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            long reading = (long) LONG.getAcquire(ring.ring, at(slot, READING_OFFSET));
            if (reading - free < 0) {
                free = reading;
            }
        }
        return free;
    }

    /** True if some slot holds orphaned records (a hint; adopt() decides). */
    boolean hasOrphans() {
        return (int) INT.getVolatile(ring.ring, RingLayout.ORPHANS_OFFSET) > 0;
    }

    /** Adopts an orphaned slot for this process; returns its index, or -1 if there is none. */
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

    /**
     * Finds the slots of dead consumers and settles each: records it held go back to live consumers,
     * space it was zeroing is zeroed, and the slot is freed. Any process may call this at any time; one
     * recoverer per slot (its owner word moves to RECOVERING first). A slot whose records cannot be told
     * apart from a live consumer's yet is left for a later call.
     */
    void recover() {
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            long owner = owner(slot);
            if (ConsumerSlot.isProcess(owner) && !ProcessIdentity.isPackedAlive(owner)
                    && LONG.compareAndSet(ring.ring, at(slot, OWNER_OFFSET), owner, RECOVERING)) {
                recover(slot, owner);
            }
        }
    }

    /**
     * Settles dead slot {@code slot} (now RECOVERING). What it holds depends on its phase:
     * <ul>
     *   <li>IDLE reading, or a phase that never reached the head compare-and-set for this position
     *       ({@code end <= reading}): nothing; freed.</li>
     *   <li>OWNED or HELD: [reading, end) is its own; orphaned.</li>
     *   <li>RELEASING: [reading, release to) was delivered: zeroed; the rest orphaned.</li>
     *   <li>TAKING: it may or may not have moved the head. Another slot announcing the same position
     *       decides: one that owns its records (OWNED, HELD, RELEASING) means this one lost the race; a
     *       live one still taking means wait. Otherwise the head and the header at the position tell: a
     *       head not past it, or a zeroed header (taken and finished by another), means nothing is held;
     *       else the records from there up to its end (bounded by the head and every other slot's
     *       position) are its own, or, with several dead slots at that position, the group's.</li>
     * </ul>
     */
    private void recover(int slot, long deadOwner) {
        long reading = reading(slot);
        if (reading == IDLE) {
            free(slot);
            return;
        }
        int phase = phase(slot);
        long end = end(slot);
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
            default -> recoverTaking(slot, deadOwner, reading, end, phase);
        }
    }

    private void recoverTaking(int slot, long deadOwner, long reading, long end, int phase) {
        if (phase == PHASE_IDLE || end == IDLE || end - reading <= 0) {
            free(slot); // it never stored an end for this position, so it never moved the head from it
            return;
        }
        List<Integer> group = new ArrayList<>();
        List<Long> groupOwners = new ArrayList<>();
        group.add(slot);
        groupOwners.add(deadOwner);
        for (int other = 0; other < ring.consumerSlots; other++) {
            if (other == slot || reading(other) != reading) {
                continue;
            }
            long owner = owner(other);
            int otherPhase = phase(other);
            boolean holds = otherPhase == PHASE_OWNED || otherPhase == PHASE_RELEASING || otherPhase == PHASE_HELD;
            if (owner == ORPHANED || (ConsumerSlot.isProcess(owner) && holds)) {
                restore(group, groupOwners, 1); // the other slot holds the records at this position
                free(slot);
                return;
            }
            if (owner == RECOVERING || (ConsumerSlot.isProcess(owner) && ProcessIdentity.isPackedAlive(owner))) {
                restore(group, groupOwners, 0); // undecided for now: a later call decides
                return;
            }
            if (ConsumerSlot.isProcess(owner) && LONG.compareAndSet(ring.ring, at(other, OWNER_OFFSET), owner, RECOVERING)) {
                group.add(other);
                groupOwners.add(owner);
            } else if (owner != FREE) {
                restore(group, groupOwners, 0);
                return;
            }
        }
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        long header = (long) LONG.getVolatile(ring.buffer, (long) ((int) reading & (ring.capacity - 1)));
        if (head - reading <= 0 || header == 0) {
            for (int member : group) {
                free(member); // not taken yet, or taken and finished by another consumer
            }
            return;
        }
        long limit = end;
        for (int member : group) {
            long memberEnd = end(member);
            if (memberEnd != IDLE && memberEnd - limit > 0) {
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
    }

    /** Puts the dead owners of {@code group} (from index {@code from} on) back, for a later recovery to decide. */
    private void restore(List<Integer> group, List<Long> owners, int from) {
        for (int i = from; i < group.size(); i++) {
            LONG.setVolatile(ring.ring, at(group.get(i), OWNER_OFFSET), owners.get(i));
        }
    }

    /**
     * True if a slot other than {@code mine} holds or may be taking records (so the stream has not ended:
     * they may yet be handed back). Dead holders are recovered on the way.
     */
    boolean othersHold(int mine) {
        if (hasOrphans()) {
            return true;
        }
        boolean held = false;
        boolean dead = false;
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            if (slot == mine) {
                continue;
            }
            long owner = owner(slot);
            if (owner == ORPHANED || owner == RECOVERING) {
                held = true;
            } else if (ConsumerSlot.isProcess(owner) && reading(slot) != IDLE) {
                held = true;
                dead |= !ProcessIdentity.isPackedAlive(owner);
            }
        }
        if (dead) {
            recover();
        }
        return held;
    }
}
