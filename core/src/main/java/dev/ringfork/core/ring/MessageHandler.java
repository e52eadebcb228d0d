package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages in place. {@code message} is a read-only view into the ring's buffer, valid only
 * until this call returns: copy out what you keep.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(int type, MemorySegment message);
}
