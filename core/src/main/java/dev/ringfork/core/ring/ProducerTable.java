package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.header;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * This process's view of a ring's producer table ({@link ProducerSlot}): which slot each writing thread
 * announces its claims in, and the questions readers ask of the table: who writes the space at a
 * position, and is that writer alive.
 *
 * <p>An SPSC ring has one slot, taken by the process that makes the producer (one live producer process
 * at a time). For MPSC and MPMC rings every thread that writes through this {@link Ring} object takes a
 * slot on its first claim and keeps it while it lives; the slots of threads that ended are taken back
 * when the table runs out, and those of dead processes are reused once their last claim is settled.
 */
final class ProducerTable {

    /** What a reader learns about the writer of an unfinished record. */
    enum Writer { ALIVE, DEAD, UNKNOWN }

    private final Ring ring;
    private final long mySingleOwner = Ring.SELF.packed();
    /** The first thread to write through this ring object keeps its slot here: no map lookup on its claims. */
    private volatile Thread firstThread;
    private long firstClaiming;
    private final Map<Thread, Integer> held = new ConcurrentHashMap<>();

    ProducerTable(Ring ring) {
        this.ring = ring;
    }

    private static long owner(int slot) {
        return ProducerSlot.base(slot) + ProducerSlot.OWNER_OFFSET;
    }

    static long claiming(int slot) {
        return ProducerSlot.base(slot) + ProducerSlot.CLAIMING_OFFSET;
    }

    // ---------------------------------------------------------------------------------- writers' side

    /**
     * SPSC: makes this process the ring's producer. A dead previous producer is replaced (its unfinished
     * claim is padded first); a live one in another process is refused.
     */
    void registerSingle() {
        ConsumerTable.registerSole(ring, owner(0), "producer", "an SPSC ring takes one producer at a time (release() it"
                + " there first, or use an MPSC ring)", dead -> settleClaim(announced(0), 0, dead));
    }

    /** SPSC: the registered producer's packed identity, or FREE. */
    long singleOwner() {
        return (long) LONG.getVolatile(ring.ring, owner(0));
    }

    /** SPSC: gives up the producer role if this process holds it. */
    void releaseSingle() {
        LONG.compareAndSet(ring.ring, owner(0), mySingleOwner, ProducerSlot.FREE);
    }

    /** MPSC, MPMC: the offset of the calling thread's claim announcement, taking a slot on first use. */
    long claimingOffsetOfThisThread() {
        Thread thread = Thread.currentThread();
        if (thread == firstThread) {
            return firstClaiming;
        }
        Integer slot = held.get(thread);
        return slot != null ? claiming(slot) : take(thread);
    }

    private synchronized long take(Thread thread) {
        int slot = acquire();
        held.put(thread, slot);
        if (firstThread == null) {
            firstClaiming = claiming(slot);
            firstThread = thread; // volatile: published after firstClaiming, read by this thread only
        }
        return claiming(slot);
    }

    /** MPSC, MPMC: gives back the calling thread's slot (no claim of it may be open). */
    synchronized void releaseThisThread() {
        Thread thread = Thread.currentThread();
        Integer slot = held.remove(thread);
        if (slot != null) {
            if (thread == firstThread) {
                firstThread = null;
            }
            LONG.setVolatile(ring.ring, owner(slot), ProducerSlot.FREE);
        }
    }

    private int acquire() {
        for (int round = 0; round < 2; round++) {
            for (int slot = 0; slot < ring.producerSlots; slot++) {
                long owner = (long) LONG.getVolatile(ring.ring, owner(slot));
                if ((owner == ProducerSlot.FREE || !ProcessIdentity.isPackedAlive(owner))
                        && LONG.compareAndSet(ring.ring, owner(slot), owner, mySingleOwner)) {
                    if (owner != ProducerSlot.FREE) {
                        settleClaim(announced(slot), slot, owner); // the dead owner's last claim, before we announce over it
                    }
                    // Plain: our next claim announces over it, and the CAS above already owns the slot.
                    LONG.set(ring.ring, claiming(slot), ProducerSlot.NONE);
                    return slot;
                }
            }
            reclaimEndedThreads();
        }
        throw new IllegalStateException("all " + ring.producerSlots + " producer slots of ring '" + ring.name
                + "' are held by live writing threads: each thread that writes holds one while it lives; create the ring"
                + " with more producerSlots, or write from fewer threads");
    }

    private void reclaimEndedThreads() {
        for (Map.Entry<Thread, Integer> entry : held.entrySet()) {
            if (!entry.getKey().isAlive() && held.remove(entry.getKey(), entry.getValue())) {
                if (entry.getKey() == firstThread) {
                    firstThread = null;
                }
                LONG.setVolatile(ring.ring, owner(entry.getValue()), ProducerSlot.FREE);
            }
        }
    }

    /**
     * Settles the claim announced at {@code start} by writers that died: pads what it left unfinished (its
     * "being written" header, and space it never wrote a header into), so that no space stays attributed
     * to nobody once the slots announcing it are reused. Only a process that owns every slot announcing
     * that claim may pad it: it takes over the dead ones (compare-and-set of the owner word to itself), pads,
     * withdraws their announcement and gives them back to their dead owners (so an SPSC ring still shows
     * its producer died; a dead owner's slot is free for reuse anyway). {@code keep}, a slot already ours
     * whose dead owner was {@code keepDeadOwner}, stays ours; -1 for none. So two processes never pad the same
     * space: a zero word carries no lap, and a second padder could write into space already taken and
     * zeroed. One that dies halfway leaves slots that name a dead process, and the next one takes over.
     * Nothing is done while a live process announces the claim (a live writer, or another settler).
     * Returns true if this call settled it.
     */
    boolean settleClaim(long start, int keep, long keepDeadOwner) {
        if (start == ProducerSlot.NONE) {
            return false;
        }
        List<Integer> taken = new ArrayList<>();
        List<Long> deadOwners = new ArrayList<>();
        List<Integer> deadPids = new ArrayList<>();
        if (keep >= 0) {
            deadPids.add((int) ProcessIdentity.packedPid(keepDeadOwner));
        }
        try {
            for (int slot = 0; slot < ring.producerSlots; slot++) {
                long owner = (long) LONG.getVolatile(ring.ring, owner(slot));
                if (owner == ProducerSlot.FREE || announced(slot) != start) {
                    continue;
                }
                if (slot == keep) {
                    continue; // ours already
                }
                if (ProcessIdentity.isPackedAlive(owner)) {
                    return false;
                }
                // Volatile CAS: the slot (and with it the claim) is ours to settle.
                if (!LONG.compareAndSet(ring.ring, owner(slot), owner, mySingleOwner)) {
                    return false;
                }
                taken.add(slot);
                deadOwners.add(owner);
                deadPids.add((int) ProcessIdentity.packedPid(owner));
            }
            padClaim(start, deadPids);
            return true;
        } finally {
            for (int i = 0; i < taken.size(); i++) {
                LONG.set(ring.ring, claiming(taken.get(i)), ProducerSlot.NONE);
                // Release: the claim is settled and withdrawn; pairs with the CAS of whoever takes the slot next.
                LONG.setRelease(ring.ring, owner(taken.get(i)), deadOwners.get(i));
            }
        }
    }
    /**
     * Pads a dead claim starting at {@code start}: the part there, and, if it wrapped (the first part is
     * padding to the end of the buffer, or already taken), its record at the start of the buffer, unless
     * another claim is announced there. Parts already taken (below the head) are left alone.
     */
    private void padClaim(long start, List<Integer> deadPids) {
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        int index = (int) start & (ring.capacity - 1);
        boolean mayHaveWrapped;
        if (start - head >= 0 && start - tail < 0) {
            padPart(start, deadPids);
            long header = (long) LONG.getVolatile(ring.buffer, (long) index);
            mayHaveWrapped = type(header) == PADDING && length(header) == ring.capacity - index;
        } else {
            mayHaveWrapped = start - head < 0; // taken already: it may have been the padding of a wrap
        }
        long wrapped = start + (ring.capacity - index);
        if (mayHaveWrapped && wrapped - head >= 0 && wrapped - tail < 0 && !announcedBySomeSlot(wrapped)) {
            padPart(wrapped, deadPids);
        }
    }

    private void padPart(long position, List<Integer> deadPids) {
        long header = (long) LONG.getVolatile(ring.buffer, (long) ((int) position & (ring.capacity - 1)));
        if (header == 0) {
            padUnwritten(position);
        } else if (length(header) < 0 && deadPids.contains(type(header))) {
            padDeadRecord(position, header);
        }
    }

    private boolean announcedBySomeSlot(long position) {
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            if (announced(slot) == position && (long) LONG.getVolatile(ring.ring, owner(slot)) != ProducerSlot.FREE) {
                return true;
            }
        }
        return false;
    }

    /** The claim start slot {@code slot} announces, or NONE; a misaligned word (damage) announces nothing. */
    private long announced(int slot) {
        long start = (long) LONG.getVolatile(ring.ring, claiming(slot));
        return (start & (RecordLayout.ALIGNMENT - 1)) != 0 ? ProducerSlot.NONE : start;
    }

    // ---------------------------------------------------------------------------------- readers' side

    /**
     * Who writes the unfinished record at {@code position}: for a "being written" header, the process of
     * its pid (by the slots it owns, else by pid and whether it maps the ring); for a zero header below
     * the tail (multi-producer rings), the announcers of the claim that covers the position.
     */
    Writer writerOf(long position, long header) {
        return header == 0 ? writerOf(position) : writerOfPid(position, type(header));
    }

    private Writer writerOfPid(long position, int pid) {
        // A slot of that pid whose latest claim starts this record names its writer exactly (pid and start
        // time): a live process that got a dead writer's pid does not keep the dead writer's record waiting.
        boolean deadAnnouncer = false;
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            long owner = (long) LONG.getVolatile(ring.ring, owner(slot));
            if (owner != ProducerSlot.FREE && ProcessIdentity.packedPid(owner) == pid && claimStarts(announced(slot), position)) {
                if (ProcessIdentity.isPackedAlive(owner)) {
                    return Writer.ALIVE;
                }
                deadAnnouncer = true;
            }
        }
        if (deadAnnouncer) {
            return Writer.DEAD;
        }
        boolean owns = false;
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            long owner = (long) LONG.getVolatile(ring.ring, owner(slot));
            if (owner != ProducerSlot.FREE && ProcessIdentity.packedPid(owner) == pid) {
                if (ProcessIdentity.isPackedAlive(owner)) {
                    return Writer.ALIVE;
                }
                owns = true;
            }
        }
        if (owns) {
            return Writer.DEAD;
        }
        // A writer whose slot was reused (it died with several claims open) or no writer at all.
        if (ProcessIdentity.of(pid).isEmpty()) {
            return Writer.DEAD;
        }
        return ring.mappedBy(pid) ? Writer.ALIVE : Writer.UNKNOWN;
    }

    /** True if a claim announced at {@code start} has its record at {@code position} (after wrap padding, if any). */
    private boolean claimStarts(long start, long position) {
        if (start == ProducerSlot.NONE) {
            return false;
        }
        if (start == position) {
            return true;
        }
        int index = (int) start & (ring.capacity - 1);
        long header = (long) LONG.getVolatile(ring.buffer, (long) index);
        return start + (ring.capacity - index) == position && type(header) == PADDING && length(header) == ring.capacity - index;
    }

    /** The start of the latest announced claim at or before {@code position} (within a lap), or NONE. */
    long coveringClaim(long position) {
        long covering = ProducerSlot.NONE;
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            long start = announced(slot);
            if (start != ProducerSlot.NONE && start - position <= 0 && position - start < ring.capacity
                    && (long) LONG.getVolatile(ring.ring, owner(slot)) != ProducerSlot.FREE
                    && (covering == ProducerSlot.NONE || start - covering > 0)) {
                covering = start;
            }
        }
        return covering;
    }

    /** The announcers of the claim covering {@code position}: any alive, all dead, or none. */
    private Writer writerOf(long position) {
        long covering = coveringClaim(position);
        if (covering == ProducerSlot.NONE) {
            return Writer.UNKNOWN;
        }
        boolean dead = false;
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            if (announced(slot) == covering) {
                long owner = (long) LONG.getVolatile(ring.ring, owner(slot));
                if (owner != ProducerSlot.FREE) {
                    if (ProcessIdentity.isPackedAlive(owner)) {
                        return Writer.ALIVE;
                    }
                    dead = true;
                }
            }
        }
        return dead ? Writer.DEAD : Writer.UNKNOWN;
    }

    /**
     * Pads the unwritten space of a dead writer's claim at {@code position} (a zero header below the tail):
     * one padding record up to the next claim's start (announced, or, MPSC and MPMC, a header already
     * written), the tail, or the end of the buffer. Returns true if this call padded it. Only under {@link #settleClaim}.
     */
    private boolean padUnwritten(long position) {
        int index = (int) position & (ring.capacity - 1);
        long end = Math.min(position + (ring.capacity - index), (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET));
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            long start = announced(slot);
            if (start != ProducerSlot.NONE && start - position > 0 && start - end < 0) {
                end = start;
            }
        }
        // MPSC, MPMC: the dead writer never wrote into its space, which consumers zeroed: the first
        // non-zero word is the next record's header. SPSC: the one producer's claim runs to the tail, and
        // its space holds whatever the last lap left there (SingleProducer), so it is not scanned.
        for (long at = position + RecordLayout.ALIGNMENT; ring.kind != RingKind.SPSC && at < end; at += RecordLayout.ALIGNMENT) {
            if ((long) LONG.getVolatile(ring.buffer, (long) ((int) at & (ring.capacity - 1))) != 0) {
                end = at;
                break;
            }
        }
        RingTestHooks.at(RingTestHooks.Point.BEFORE_PAD_CAS);
        if (end - position <= 0 || !LONG.compareAndSet(ring.buffer, (long) index, 0L, header((int) (end - position), PADDING))) {
            return false;
        }
        ring.countUnblocked();
        ring.dataBell.ring(); // a consumer may sleep waiting for this record
        return true;
    }

    /** Pads a dead writer's "being written" record (or run); true if this call did it. */
    boolean padDeadRecord(long position, long header) {
        int index = (int) position & (ring.capacity - 1);
        if (LONG.compareAndSet(ring.buffer, (long) index, header, header(-length(header), PADDING))) {
            ring.countUnblocked();
            ring.dataBell.ring(); // a consumer may sleep waiting for this record
            return true;
        }
        return false;
    }
}
