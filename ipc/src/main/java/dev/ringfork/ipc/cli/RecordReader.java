package dev.ringfork.ipc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts records out of an input stream by {@link Framing}, through one large buffer: {@link #next()} makes
 * the next record available as {@link #buffer()}, {@link #offset()}, {@link #length()}, valid until the
 * next call. No copy unless a record straddles a refill. A record longer than the limit fails with its
 * size, without being kept in memory.
 */
final class RecordReader {

    private static final int BUFFER_BYTES = 256 << 10;

    private final InputStream in;
    private final Framing framing;
    private final int maxLength;
    private final String source;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean eof;
    private int recordOffset;
    private int recordLength;
    private long records;

    /**
     * @param source    what the input is, for messages ("stdin", a file name)
     * @param maxLength the longest record allowed, in bytes
     */
    RecordReader(InputStream in, Framing framing, int maxLength, String source) {
        this.in = in;
        this.framing = framing;
        this.maxLength = maxLength;
        this.source = source;
    }

    /**
     * Reads the next record; false at the end of the input.
     *
     * @throws TooLong    if a record is longer than the limit
     * @throws CliFailure if the input ends inside a raw record
     */
    boolean next() throws IOException {
        boolean found = framing == Framing.RAW ? nextRaw() : nextTerminated((byte) framing.terminator());
        if (found) {
            records++;
        }
        return found;
    }

    byte[] buffer() {
        return buffer;
    }

    int offset() {
        return recordOffset;
    }

    int length() {
        return recordLength;
    }

    /** Records read so far. */
    long records() {
        return records;
    }

    private boolean nextTerminated(byte terminator) throws IOException {
        int scanned = position;
        for (;;) {
            int end = indexOf(terminator, scanned, limit);
            if (end >= 0) {
                if (end - position > maxLength) {
                    throw tooLong(end - position);
                }
                return record(position, end - position, end + 1);
            }
            scanned = limit;
            if (scanned - position > maxLength) {
                throw tooLong(skipTerminated(terminator, scanned - position));
            }
            if (eof) {
                return position < limit && record(position, limit - position, limit);
            }
            scanned -= position;
            fill(scanned + 1);
            scanned += position;
        }
    }

    /** Counts the rest of an over-long record, discarding it; returns its total length. */
    private long skipTerminated(byte terminator, long counted) throws IOException {
        long total = counted;
        position = limit;
        while (!eof) {
            fill(1);
            int end = indexOf(terminator, position, limit);
            if (end >= 0) {
                return total + (end - position);
            }
            total += limit - position;
            position = limit;
        }
        return total;
    }

    private boolean nextRaw() throws IOException {
        if (!available(Integer.BYTES)) {
            if (limit > position) {
                throw new CliFailure(source + " ends inside the 4-byte length of record " + (records + 1) + " (--raw input"
                        + " is records of a 4-byte big-endian length and that many bytes)");
            }
            return false;
        }
        long length = Integer.toUnsignedLong((buffer[position] & 0xff) << 24 | (buffer[position + 1] & 0xff) << 16
                | (buffer[position + 2] & 0xff) << 8 | buffer[position + 3] & 0xff);
        if (length > maxLength) {
            throw tooLong(length);
        }
        position += Integer.BYTES;
        if (!available((int) length)) {
            throw new CliFailure(source + " ends inside record " + (records + 1) + ": its length says " + length
                    + " bytes, but only " + (limit - position) + " follow (--raw input is records of a 4-byte big-endian"
                    + " length and that many bytes)");
        }
        return record(position, (int) length, position + (int) length);
    }

    /** True once {@code count} bytes from the position are in the buffer; false if the input ends first. */
    private boolean available(int count) throws IOException {
        while (limit - position < count) {
            if (eof) {
                return false;
            }
            fill(count);
        }
        return true;
    }

    /**
     * Moves the unread bytes to the front, grows the buffer if fewer than {@code wanted} unread bytes fit,
     * and reads once more.
     */
    private void fill(int wanted) throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length || wanted > buffer.length) {
            int size = (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) wanted, 2L * buffer.length));
            buffer = Arrays.copyOf(buffer, size);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    private int indexOf(byte value, int from, int to) {
        byte[] b = buffer;
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private boolean record(int offset, int length, int next) {
        recordOffset = offset;
        recordLength = length;
        position = next;
        return true;
    }

    private TooLong tooLong(long length) {
        return new TooLong(source, records + 1, length, maxLength);
    }

    /** A record longer than the limit: which one, where, how long. */
    static final class TooLong extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final String source;
        final long record;
        final long length;
        final int maxLength;

        TooLong(String source, long record, long length, int maxLength) {
            super("record " + record + " of " + source + " is " + length + " bytes, more than the " + maxLength
                    + " that fit", null, false, false);
            this.source = source;
            this.record = record;
            this.length = length;
            this.maxLength = maxLength;
        }
    }
}
