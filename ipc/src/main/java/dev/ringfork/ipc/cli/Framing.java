package dev.ringfork.ipc.cli;

/**
 * How records are cut out of a byte stream and written back: one per line (the default), NUL-terminated
 * ({@code --null}), or a 4-byte big-endian length followed by the bytes ({@code --raw}).
 */
enum Framing {
    /** A record is a line without its {@code \n}; a last line without one is a record too. */
    LINES('\n'),
    /** A record ends with a NUL byte; a last record without one is a record too. */
    NUL('\0'),
    /** A record is a 4-byte big-endian length and then that many bytes: any bytes, exactly. */
    RAW(-1);

    private final int terminator;

    Framing(int terminator) {
        this.terminator = terminator;
    }

    /** The byte that ends a record, or -1 for {@link #RAW}. */
    int terminator() {
        return terminator;
    }
}
