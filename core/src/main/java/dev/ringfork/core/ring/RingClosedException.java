package dev.ringfork.core.ring;

/** A write to a ring that was closed for writing. */
public final class RingClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public RingClosedException(String ring) {
        super("ring '" + ring + "' is closed for writing: its consumers are draining it");
    }
}
