package dev.ringfork.core.ring;

/**
 * One consumer's line in the ring's consumer table. For SPSC and MPSC rings there is one slot: its owner
 * (who the one consumer is) and "release to" (how far it is giving back, written before it zeroes, so a
 * successor can finish a release its dead predecessor began). For MPMC rings a consumer announces in it
 * where it reads and which records it holds, so producers keep that space and a dead consumer's records can be given
 * to another consumer.
 *
 * <pre>
 *   0 +-----------------------------------------------+
 *     | reading (8): IDLE, or the start of the        |
 *     | records this slot takes or holds              |
 *   8 +-----------------------------------------------+
 *     | owner (8): FREE (0), RECOVERING (-1),         |
 *     | ORPHANED (-2), or a packed identity           |
 *     | pid (22 bits) << 42 | start time (42 bits)    |
 *  16 +-----------------------------------------------+
 *     | end (8): end of those records                 |
 *  24 +-----------------------------------------------+
 *     | release to (8): while RELEASING, the end of   |
 *     | the delivered part being zeroed               |
 *  32 +-----------------------+-----------------------+
 *     | phase (4)             | deliveries (4)        |
 *  40 +-----------------------------------------------+
 *     | recoverer (8): FREE, or the packed identity   |
 *     | of the process settling this dead slot        |
 *  48 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p><b>Taking</b> (MPMC): the consumer stores {@code reading = head} (volatile), checks the head has
 * not moved, counts committed records up to {@code end}, stores {@code end} and phase TAKING, then moves
 * the head from {@code reading} to {@code end} with a compare-and-set: the records are its own, phase
 * OWNED. It reads them in place, then phase RELEASING with {@code release to}, zeroes them (the first
 * header last), and sets {@code reading = IDLE}, which gives the space back.
 *
 * <p><b>Holding</b> (phase HELD): records taken but not delivered stay in a slot: the rest of a batch
 * whose handler threw, a batch whose {@code beforeRelease} failed, or an orphan range. The slot's owner
 * delivers them first on its next read.
 *
 * <p><b>Orphans:</b> when a consumer dies, whoever notices (a waiting producer, a waiting or new
 * consumer) takes the slot's recoverer word (free, or naming a dead process: a recoverer may die too),
 * moves the owner to RECOVERING, works out which records the dead consumer held (see
 * {@link ConsumerTable#recover}), and leaves them in the slot as ORPHANED: the next read of any
 * consumer adopts the slot (compare-and-set ORPHANED to its identity) and delivers them. Records that
 * killed {@link ConsumerTable#MAX_DELIVERIES} consumers are dropped and counted lost. RECOVERING with a
 * free recoverer word means "dead, not settled yet": the next recovery decides.
 */
final class ConsumerSlot {

    static final int LENGTH = RingLayout.LINE;
    static final long READING_OFFSET = 0;
    static final long OWNER_OFFSET = READING_OFFSET + Long.BYTES;
    static final long END_OFFSET = OWNER_OFFSET + Long.BYTES;
    static final long RELEASE_TO_OFFSET = END_OFFSET + Long.BYTES;
    static final long PHASE_OFFSET = RELEASE_TO_OFFSET + Long.BYTES;
    static final long DELIVERIES_OFFSET = PHASE_OFFSET + Integer.BYTES;
    static final long RECOVERER_OFFSET = DELIVERIES_OFFSET + Integer.BYTES;

    static final long IDLE = Long.MAX_VALUE;
    static final long FREE = 0;
    static final long RECOVERING = -1;
    static final long ORPHANED = -2;

    /** Between reads, or announcing a position without having counted anything there yet. */
    static final int PHASE_IDLE = 0;
    /** {@code end} is stored; the head compare-and-set may or may not have happened. */
    static final int PHASE_TAKING = 1;
    /** The head was moved: [reading, end) belongs to this slot and is being delivered. */
    static final int PHASE_OWNED = 2;
    /** [reading, release to) was delivered and is being zeroed; [release to, end) is still held. */
    static final int PHASE_RELEASING = 3;
    /** [reading, end) is held, undelivered, for the slot's owner (or, ORPHANED, for any consumer). */
    static final int PHASE_HELD = 4;

    private ConsumerSlot() {
    }

    /** True for the owner words that name a process (not FREE, RECOVERING or ORPHANED). */
    static boolean isProcess(long owner) {
        return owner != FREE && owner != RECOVERING && owner != ORPHANED;
    }
}
