package dev.ringfork.core.ring;

import dev.ringfork.core.internal.ProcessIdentity;

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
                + " there first, or use an MPSC ring)", dead -> settle(0, dead));
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
                if (owner == ProducerSlot.FREE || !ProcessIdentity.isPackedAlive(owner)) {
                    if (owner != ProducerSlot.FREE) {
                        settle(slot, owner);
                    }
                    if (LONG.compareAndSet(ring.ring, owner(slot), owner, mySingleOwner)) {
                        // Plain: our next claim announces over it, and the CAS above already owns the slot.
                        LONG.set(ring.ring, claiming(slot), ProducerSlot.NONE);
                        return slot;
                    }
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
     * Makes the last claim of a dead owner final before its slot is reused, so that no space stays
     * attributed to nobody: unwritten space and a "being written" header of that owner become padding.
     */
    private void settle(int slot, long deadOwner) {
        long start = announced(slot);
        if (start == ProducerSlot.NONE) {
            return;
        }
        long tail = (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET);
        long head = (long) LONG.getVolatile(ring.ring, RingLayout.HEAD_OFFSET);
        long position = start;
        for (int part = 0; part < 2 && position - head >= 0 && position - tail < 0; part++) {
            int index = (int) position & (ring.capacity - 1);
            long header = (long) LONG.getVolatile(ring.buffer, (long) index);
            if (header == 0 && ring.kind != RingKind.SPSC && writerOf(position) == Writer.DEAD) {
                padUnwritten(position);
            } else if (length(header) < 0 && type(header) == ProcessIdentity.packedPid(deadOwner)) {
                padDeadRecord(position, header);
            }
            // A claim that wrapped: padding to the end of the buffer, then its record at the start.
            header = (long) LONG.getVolatile(ring.buffer, (long) index);
            if (type(header) != PADDING || length(header) != ring.capacity - index) {
                return;
            }
            position += length(header);
        }
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
        return header == 0 ? writerOf(position) : writerOfPid(type(header));
    }

    private Writer writerOfPid(int pid) {
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

    /** The announcers of the claim covering {@code position}: any alive, all dead, or none. */
    private Writer writerOf(long position) {
        long covering = ProducerSlot.NONE;
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            long start = announced(slot);
            if (start != ProducerSlot.NONE && start - position <= 0 && position - start < ring.capacity
                    && (long) LONG.getVolatile(ring.ring, owner(slot)) != ProducerSlot.FREE
                    && (covering == ProducerSlot.NONE || start - covering > 0)) {
                covering = start;
            }
        }
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
     * one padding record up to the next claim's start (announced, or a header already written), the tail,
     * or the end of the buffer. Returns true if this call padded it.
     */
    boolean padUnwritten(long position) {
        int index = (int) position & (ring.capacity - 1);
        long end = Math.min(position + (ring.capacity - index), (long) LONG.getVolatile(ring.ring, RingLayout.TAIL_OFFSET));
        for (int slot = 0; slot < ring.producerSlots; slot++) {
            long start = announced(slot);
            if (start != ProducerSlot.NONE && start - position > 0 && start - end < 0) {
                end = start;
            }
        }
        // The dead writer never wrote into its space: the first non-zero word is the next record's header.
        for (long at = position + RecordLayout.ALIGNMENT; at < end; at += RecordLayout.ALIGNMENT) {
            if ((long) LONG.getVolatile(ring.buffer, (long) ((int) at & (ring.capacity - 1))) != 0) {
                end = at;
                break;
            }
        }
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
