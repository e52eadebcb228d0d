package dev.ringfork.core.ring;

/**
 * A record in a ring's buffer: an 8-byte header, then the message, padded to a multiple of 8 bytes.
 * Records never wrap: when one does not fit before the end of the buffer, a padding record fills the
 * rest and the record starts at offset 0.
 *
 * <pre>
 *   0 +-----------------------+-----------------------+
 *     | length (4)            | type (4)              |   read and written as one 64-bit word
 *   8 +-----------------------------------------------+
 *     | message: length - 8 bytes, then pad to 8      |
 *     +-----------------------------------------------+
 * </pre>
 *
 * <p><b>Header state machine</b> (the header is one 64-bit word, so its two halves change together):
 * <ul>
 *   <li>{@code 0}: nothing here yet. MPSC and MPMC: consumers zero every record they consumed before
 *       they give the space back, so a producer always claims zeroed memory. SPSC: the consumer only
 *       moves the head; the producer zeroes the header word past each claim (and the buffer's first word
 *       when a claim wraps to it) before it moves the tail past the claim, so the word at the tail reads
 *       zero and the rest of free space keeps the last lap's bytes, which nothing reads.</li>
 *   <li>{@code length < 0}, {@code type = writer pid}: claimed, being written; consumers wait. The pid
 *       lets a waiting consumer tell a slow writer from a dead one. {@code -length} is the room claimed:
 *       one record's length, or for a batch claim ({@link BatchClaim}) the whole run of records, whose
 *       later headers are still zero. At commit the writer stores the later headers plainly, then this
 *       one with a release store, so the run appears at once; a consumer that pads a dead writer's
 *       header pads the whole run.</li>
 *   <li>{@code length > 0}, {@code type >= 1}: committed message (release store of the whole header).</li>
 *   <li>{@code length > 0}, {@code type = PADDING}: skip {@code length} bytes. Written at the wrap, by
 *       {@code abort()}, and by a consumer that unblocks the ring (see below).</li>
 * </ul>
 *
 * <p><b>Unblocking:</b> a consumer that finds the same record unfinished for longer than the ring's
 * stall timeout asks who is writing it (see {@link ProducerSlot}): a "being written" header names its
 * writer's pid, and a zero header below the tail lies in the space of the writer whose announced claim
 * covers it. If that writer is dead (pid and start time), the consumer turns the record, or the
 * unwritten space up to the next claim, into padding with a compare-and-set and counts it in
 * {@code unblockedRecords}. A live writer is waited for however long it stalls, so no live writer's
 * message is ever skipped or torn. A header that no writer of the ring can have written (see
 * {@link #problem}) is corruption: {@link RingCorruptedException}.
 */
public final class RecordLayout {

    public static final int HEADER_LENGTH = 8;
    public static final int ALIGNMENT = 8;
    public static final long LENGTH_OFFSET = 0;
    public static final long TYPE_OFFSET = 4;
    /** Type of a record that consumers skip. */
    public static final int PADDING = -1;

    private RecordLayout() {
    }

    /** The header word for {@code length} and {@code type} (little-endian: length in the low half). */
    static long header(int length, int type) {
        return ((long) type << 32) | (length & 0xFFFF_FFFFL);
    }

    /** The length half of a header word: the record's length with its header, negative while claimed. */
    public static int length(long header) {
        return (int) header;
    }

    /** The type half of a header word: the message type, {@link #PADDING}, or the writer's pid while claimed. */
    public static int type(long header) {
        return (int) (header >>> 32);
    }

    /**
     * Why {@code header}, found at buffer index {@code index} of a ring of {@code capacity} bytes, cannot
     * have been written by a writer of that ring; null if it can. A record never runs past the end of the
     * buffer, is at least a header long, and a message is at most {@code maxMessageLength} bytes.
     */
    static String problem(long header, int index, int capacity, int maxMessageLength) {
        int length = length(header);
        int type = type(header);
        int toEnd = capacity - index;
        if (length == 0) {
            return type == 0 ? null : "a zero length with a non-zero type";
        }
        if (length < 0) {
            int claimed = -length;
            if (length == Integer.MIN_VALUE || claimed < HEADER_LENGTH || claimed > toEnd) {
                return "a claim of " + claimed + " bytes cannot lie at buffer index " + index + " (" + toEnd
                        + " bytes to the end of the buffer)";
            }
            return type <= 0 ? "a claim by pid " + type + ", which is no process" : null;
        }
        if (length < HEADER_LENGTH || length > toEnd) {
            return "a record of " + length + " bytes cannot lie at buffer index " + index + " (" + toEnd
                    + " bytes to the end of the buffer)";
        }
        if (type == PADDING) {
            return null;
        }
        if (type < 1) {
            return "type " + type + " is no message type";
        }
        return length - HEADER_LENGTH > maxMessageLength
                ? "a message of " + (length - HEADER_LENGTH) + " bytes is longer than this ring takes (" + maxMessageLength + ")"
                : null;
    }

    /**
     * Negative if a committed header ({@code length > 0}, its length half) found {@code toEnd} bytes before
     * the end of the buffer is one {@link #problem} rejects: it runs past the end, is shorter than a header,
     * or is a message of a type below 1 or longer than {@code maxRecordLength} with its header. Arithmetic,
     * no branch: readers test the sign once (see {@code AbstractConsumer.checkCommitted}).
     */
    static int committedFlaw(long header, int length, int toEnd, int maxRecordLength) {
        int type = type(header);
        int notPadding = ((type ^ PADDING) | -(type ^ PADDING)) >> 31; // 0 for padding, -1 for anything else
        return (toEnd - length) | (length - HEADER_LENGTH) | ((type - 1 | type | maxRecordLength - length) & notPadding);
    }

    /**
     * Negative if a header that is not committed (length half {@code <= 0}) found {@code toEnd} bytes before
     * the end of the buffer is one {@link #problem} rejects: anything but zero or a claim of 8 bytes up to
     * the end of the buffer by a positive pid. Arithmetic, like {@link #committedFlaw}.
     */
    static int uncommittedFlaw(long header, int toEnd) {
        int length = length(header);
        int type = type(header);
        // -length below 8 (MIN_VALUE overflows here, but then the second term is negative), past the end,
        // or a pid below 1; masked off for the zero header.
        int claimFlaw = (-length - HEADER_LENGTH) | (toEnd + length) | (type - 1 | type);
        return claimFlaw & (int) ((header | -header) >> 63);
    }

    /** The bytes a record of this length takes in the buffer, header included. */
    public static int aligned(int recordLength) {
        return (recordLength + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
