package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;

import static dev.ringfork.core.ring.ConsumerSlot.DELIVERIES_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.END_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.FREE;
import static dev.ringfork.core.ring.ConsumerSlot.IDLE;
import static dev.ringfork.core.ring.ConsumerSlot.OWNER_OFFSET;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_HELD;
import static dev.ringfork.core.ring.ConsumerSlot.PHASE_IDLE;
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
 * Recovery of an MPMC ring's dead consumers ({@link ConsumerSlot}): works out from a dead slot's words
 * what it held, hands those records to live consumers (or drops them after
 * {@value ConsumerTable#MAX_DELIVERIES} deliveries), zeroes what it was giving back, and frees the slot.
 */
final class ConsumerRecovery {

    private final Ring ring;
    private final ConsumerTable table;
    private final long me = Ring.SELF.packed();

    ConsumerRecovery(Ring ring, ConsumerTable table) {
        this.ring = ring;
        this.table = table;
    }

    /**
     * A dead consumer's records [from, to) go to the next consumer that reads, unless they have already
     * been handed to {@link ConsumerTable#MAX_DELIVERIES} consumers that all died: then they are dropped and counted lost.
     */
    private void orphan(int slot, long from, long to) {
        int deliveries = (int) INT.get(ring.ring, table.at(slot, DELIVERIES_OFFSET)) + 1;
        long messages = ring.countMessages(from, to);
        LONG.set(ring.ring, table.at(slot, END_OFFSET), to);
        LONG.setRelease(ring.ring, table.at(slot, READING_OFFSET), from);
        if (deliveries >= ConsumerTable.MAX_DELIVERIES || messages == 0) {
            ring.countLost(messages);
            ring.zero(from, to);
            table.free(slot);
            return;
        }
        INT.set(ring.ring, table.at(slot, DELIVERIES_OFFSET), deliveries);
        ring.countRedelivered(messages);
        table.giveBack(slot);
    }

    /**
     * Finds the slots of dead consumers and settles each: records it held go back to live consumers,
     * space it was zeroing is zeroed, and the slot is freed. Any process may call this at any time. One
     * recoverer per slot: it takes the slot's recoverer word (free, or naming a dead process, so a
     * recoverer that dies is replaced) and moves the owner to RECOVERING. A slot whose records cannot be
     * told apart from a live consumer's yet stays RECOVERING for a later call.
     */
    void recover() {
        for (int slot = 0; slot < ring.consumerSlots; slot++) {
            long owner = table.owner(slot);
            boolean dead = ConsumerSlot.isProcess(owner) && !ProcessIdentity.isPackedAlive(owner);
            if ((dead || owner == RECOVERING) && lockForRecovery(slot)) {
                try {
                    // Under the lock, judged again: another recoverer may have settled it meanwhile.
                    long now = table.owner(slot);
                    if (now == RECOVERING || now == owner && dead
                            && LONG.compareAndSet(ring.ring, table.at(slot, OWNER_OFFSET), owner, RECOVERING)) {
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
        long recoverer = (long) LONG.getVolatile(ring.ring, table.at(slot, RECOVERER_OFFSET));
        if (recoverer == me || recoverer != FREE && ProcessIdentity.isPackedAlive(recoverer)) {
            return false; // a live recoverer (maybe another thread of ours) is at it
        }
        // Volatile CAS: one recoverer at a time; it sees what the previous one (if it died) left.
        return LONG.compareAndSet(ring.ring, table.at(slot, RECOVERER_OFFSET), recoverer, me);
    }

    private void unlockRecovery(int slot) {
        // Release: publishes what this recovery wrote to the next recoverer's CAS.
        LONG.setRelease(ring.ring, table.at(slot, RECOVERER_OFFSET), FREE);
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
        long reading = table.reading(slot);
        int phase = table.phase(slot);
        if (reading == IDLE || phase == PHASE_IDLE) {
            table.free(slot); // between reads, or announced without having counted anything
            return;
        }
        long end = table.end(slot);
        check(slot, reading, end, phase);
        switch (phase) {
            case PHASE_OWNED, PHASE_HELD -> orphan(slot, reading, end);
            case PHASE_RELEASING -> {
                long releaseTo = (long) LONG.getVolatile(ring.ring, table.at(slot, RELEASE_TO_OFFSET));
                ring.zero(reading, releaseTo);
                if (releaseTo - end >= 0) {
                    table.free(slot);
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
            long releaseTo = (long) LONG.getVolatile(ring.ring, table.at(slot, RELEASE_TO_OFFSET));
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
            table.free(slot); // it never stored an end for this position, so it never moved the head from it
            return;
        }
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        RingTestHooks.at(RingTestHooks.Point.RECOVERING_TAKING_MIDWAY);
        if (head - reading <= 0) {
            table.free(slot);
            return;
        }
        List<Integer> group = new ArrayList<>();
        group.add(slot);
        try {
            for (int other = 0; other < ring.consumerSlots; other++) {
                if (other == slot || table.reading(other) != reading) {
                    continue;
                }
                long owner = table.owner(other);
                int otherPhase = table.phase(other);
                if (owner == FREE) {
                    continue; // a stray position in a free slot: nobody's
                }
                if (otherPhase == PHASE_OWNED || otherPhase == PHASE_RELEASING || otherPhase == PHASE_HELD) {
                    for (int member : group) {
                        table.free(member); // the other slot holds the records at this position
                    }
                    return;
                }
                // Undecided for now (each slot of the group stays RECOVERING: a later recovery decides) if a
                // live consumer is still taking there, another recoverer holds that slot, or it moved on.
                if (ConsumerSlot.isProcess(owner) && ProcessIdentity.isPackedAlive(owner) || !lockForRecovery(other)) {
                    return;
                }
                group.add(other);
                if (owner != RECOVERING && !LONG.compareAndSet(ring.ring, table.at(other, OWNER_OFFSET), owner, RECOVERING)) {
                    return;
                }
            }
            long header = (long) LONG.getVolatile(ring.buffer, (long) ((int) reading & (ring.capacity - 1)));
            if (header == 0) {
                for (int member : group) {
                    table.free(member); // taken and finished by another consumer
                }
                return;
            }
            long limit = end;
            for (int member : group) {
                long memberEnd = table.end(member);
                if (memberEnd != IDLE && memberEnd - limit > 0 && memberEnd - reading <= ring.capacity) {
                    limit = memberEnd;
                }
            }
            limit = Math.min(limit, head);
            for (int other = 0; other < ring.consumerSlots; other++) {
                long position = table.reading(other);
                if (!group.contains(other) && position != IDLE && position - reading > 0 && position - limit < 0) {
                    limit = position; // a range someone else holds starts there
                }
            }
            for (int i = 1; i < group.size(); i++) {
                table.free(group.get(i));
            }
            orphan(slot, reading, limit);
        } finally {
            for (int i = 1; i < group.size(); i++) {
                unlockRecovery(group.get(i));
            }
        }
    }
}
