package dev.ringfork.ipc.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Writes records to an output stream by {@link Framing}: the bytes and a terminator, or a 4-byte
 * big-endian length and the bytes. Buffers itself; {@link #flush()} pushes what it holds.
 */
final class RecordWriter {

    private static final int BUFFER_BYTES = 256 << 10;

    private final OutputStream out;
    private final Framing framing;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int count;

    RecordWriter(OutputStream out, Framing framing) {
        this.out = out;
        this.framing = framing;
    }

    /** Writes one record. */
    void write(byte[] record) throws IOException {
        if (framing == Framing.RAW) {
            ensure(Integer.BYTES);
            int n = record.length;
            buffer[count++] = (byte) (n >>> 24);
            buffer[count++] = (byte) (n >>> 16);
            buffer[count++] = (byte) (n >>> 8);
            buffer[count++] = (byte) n;
            bytes(record);
        } else {
            bytes(record);
            ensure(1);
            buffer[count++] = (byte) framing.terminator();
        }
    }

    /** Writes what is buffered to the stream and flushes it. */
    void flush() throws IOException {
        drain();
        out.flush();
        if (out instanceof PrintStream print && print.checkError()) {
            throw new IOException("the output is closed or failed (a broken pipe?)");
        }
    }

    private void bytes(byte[] record) throws IOException {
        if (record.length > buffer.length - count) {
            drain();
            if (record.length > buffer.length) {
                out.write(record);
                return;
            }
        }
        System.arraycopy(record, 0, buffer, count, record.length);
        count += record.length;
    }

    private void ensure(int room) throws IOException {
        if (buffer.length - count < room) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
            if (out instanceof PrintStream print && print.checkError()) { // a PrintStream keeps its errors
                throw new IOException("the output is closed or failed (a broken pipe?)");
            }
        }
    }
}
