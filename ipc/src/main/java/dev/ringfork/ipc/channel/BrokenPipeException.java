package dev.ringfork.ipc.channel;

import java.util.OptionalLong;

/**
 * A send on a {@link Connection} whose other end will never receive it: it closed the connection, or its
 * process died without closing it (then {@link #peerPid()} names it). Like Python's {@code BrokenPipeError}.
 */
public final class BrokenPipeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long peerPid;

    private BrokenPipeException(String message, long peerPid, Throwable cause) {
        super(message, cause);
        this.peerPid = peerPid;
    }

    static BrokenPipeException closed(String connection, Throwable cause) {
        return new BrokenPipeException(connection + ": the other end closed the connection", -1, cause);
    }

    static BrokenPipeException died(String connection, long pid) {
        return new BrokenPipeException(connection + ": the process at the other end (pid " + pid
                + ") died without closing the connection; nothing sent now would be received", pid, null);
    }

    /** The pid of the other end's process if it died; empty if it closed the connection. */
    public OptionalLong peerPid() {
        return peerPid < 0 ? OptionalLong.empty() : OptionalLong.of(peerPid);
    }
}
