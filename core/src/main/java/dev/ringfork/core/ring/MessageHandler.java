package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages in place. {@code message} is a read-only view into the ring's buffer, valid only
 * until this call returns: copy out what you keep.
 *
 * <p>A ring gives a record's space back only after its handler has seen it. If the handler throws, the
 * records after the one that threw stay in the ring for the next read. A handler that must make what it
 * received durable before the ring forgets it (write it to a file, send it on) does so in
 * {@link #beforeRelease()}: if this process dies first, the records are delivered again (to the next
 * consumer, or to this one's next read).
 */
@FunctionalInterface
public interface MessageHandler {

    /** One message, in place. */
    void onMessage(int type, MemorySegment message);

    /**
     * Called once per read that delivered messages, after the last one and before their space is given
     * back. If it throws, none of them is given back: they are delivered again. Does nothing by default.
     */
    default void beforeRelease() {
    }
}
