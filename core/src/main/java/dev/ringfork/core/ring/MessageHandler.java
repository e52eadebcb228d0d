package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages in place. {@code message} is a read-only view into the ring's buffer, valid only
 * until this call returns: copy out what you keep.
 *
 * <p>A ring gives a record's space back only after its handler has seen it and {@link #beforeRelease()}
 * returned. A handler that must make what it received durable before the ring forgets it (write it to a
 * file, send it on) does so in beforeRelease: if this process dies first, the records are delivered
 * again (to the next consumer, or to this one's next read). If {@code onMessage} throws, beforeRelease is
 * still called (for what it saw), then the records up to and including the one that threw are given
 * back and the exception is rethrown; the records after it stay for the next read. If beforeRelease
 * throws, nothing is given back: the next read delivers them all again.
 */
@FunctionalInterface
public interface MessageHandler {

    /** One message, in place. */
    void onMessage(int type, MemorySegment message);

    /**
     * Called once per read that delivered messages (also when {@code onMessage} threw), after the last one
     * and before their space is given back. If it throws, none of them is given back: they are delivered
     * again. Does nothing by default.
     */
    default void beforeRelease() {
    }
}
