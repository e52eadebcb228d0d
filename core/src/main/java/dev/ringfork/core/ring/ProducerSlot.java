package dev.ringfork.core.ring;

/**
 * One producer's line in the ring's producer table: who it is, and where its latest claim starts.
 *
 * <pre>
 *   0 +-----------------------------------------------+
 *     | owner (8): FREE (0) or a packed identity,     |
 *     | pid (22 bits) << 42 | start time (42 bits)    |
 *   8 +-----------------------------------------------+
 *     | claiming (8): the position its latest claim   |
 *     | starts at, or NONE                            |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p><b>Why:</b> between moving the tail and writing its record's header, a writer's space holds only
 * zeros; and a "being written" header carries only a pid. Neither tells a reader whether the writer is
 * alive. A writer announces the start of every claim here before it moves the tail (the tail's
 * compare-and-set, or the single producer's tail store, publishes the announcement), so the space
 * [claiming, ...) is its own: a reader that finds it unfinished for the stall timeout checks
 * the announcer's pid and start time, and pads the space only if the announcer is dead. A live writer
 * that stalls for any length of time is waited for, never padded; so a writer may store its header
 * plainly after the tail, and no stale header can land in a later lap. (The single producer's tail store
 * is a release store for this, and it too writes headers, padding included, only after it: so the head
 * never passes the tail, whenever the producer stops.)
 *
 * <p>An announcement stays until the owner's next claim, or until it finds no room: tail values are
 * claim boundaries, so a stale one (a claim whose tail compare-and-set failed) never lies inside another
 * writer's space, but it may equal the winner's start, and would vouch for the winner's space if the
 * winner died before its header; a writer that finds no room therefore takes its announcement back. A
 * "being written" header is judged by the slot whose announcement starts that record, when there is
 * one (pid and start time: a recycled pid does not pass for the dead writer). A slot whose owner died is
 * reused once its last claim is settled: its "being written" header padded; space it never wrote a header
 * into is left to consumers (the slot keeps vouching for it until one pads it), except by the SPSC
 * producer that replaces it, the only writer, which pads it itself.
 */
final class ProducerSlot {

    static final int LENGTH = RingLayout.LINE;
    static final long OWNER_OFFSET = 0;
    static final long CLAIMING_OFFSET = OWNER_OFFSET + Long.BYTES;
    static final long FREE = 0;
    /** No claim announced yet. */
    static final long NONE = Long.MIN_VALUE;

    private ProducerSlot() {
    }

    static long base(int slot) {
        return RingLayout.PRODUCER_TABLE_OFFSET + (long) slot * LENGTH;
    }
}
