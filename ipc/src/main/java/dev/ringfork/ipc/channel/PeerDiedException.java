package dev.ringfork.ipc.channel;

/**
 * The process at the other end of a {@link Connection} died without closing it (killed, crashed): nothing
 * more will come. Everything it sent before is received first. Python raises {@code EOFError} here.
 */
public final class PeerDiedException extends EndOfStreamException {

    private static final long serialVersionUID = 1L;

    private final long pid;

    public PeerDiedException(String connection, long pid) {
        super(connection + ": the process at the other end (pid " + pid + ") died without closing the connection;"
                + " everything it sent before was received");
        this.pid = pid;
    }

    /** The dead process. */
    public long pid() {
        return pid;
    }
}
