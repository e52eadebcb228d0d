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
 *   <li>{@code 0}: nothing here yet. The consumer zeroes every record it consumed before it gives the
 *       space back, so a producer always claims zeroed memory.</li>
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
 * <p><b>Unblocking:</b> a consumer that finds the same record not ready for longer than the ring's stall
 * timeout turns it into padding with a compare-and-set, and counts it: a claimed record whose writer pid
 * is dead, or a zero header below the producers' tail (a multi-producer writer died between claiming
 * space and writing its header). Multi-producer writers install their header with a compare-and-set
 * from 0 too, so a writer that was merely slow finds its space taken and claims again. A zero header
 * waits ten stall timeouts before it is padded. Residual risk, accepted: a live writer that stalls longer
 * than that between its tail and header compare-and-sets (two adjacent instructions), and resumes only
 * after consumers have read past the padding, loses its message. Closing this would cost every claim a
 * read of the consumers' line.
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

    /** The bytes a record of this length takes in the buffer, header included. */
    public static int aligned(int recordLength) {
        return (recordLength + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
