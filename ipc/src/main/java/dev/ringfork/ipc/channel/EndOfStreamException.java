package dev.ringfork.ipc.channel;

/**
 * Nothing more will come: the queue or connection was closed for writing and everything sent before
 * has been received. Thrown by {@link SharedQueue#take()} and {@link Connection#recv()}, like Python's
 * {@code EOFError}.
 */
public class EndOfStreamException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public EndOfStreamException(String message) {
        super(message);
    }
}
