package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The writing side of a ring. Message types are positive ints chosen by the application.
 * An SPSC producer must be used by one thread at a time; MPSC and MPMC producers may be shared by
 * threads (each thread that writes holds one of the ring's producer slots while it lives).
 */
public interface RingProducer {

    /**
     * Claims space for a {@code length}-byte message, or returns null if the ring is full now.
     *
     * @throws MessageTooLargeException if {@code length} exceeds {@link Ring#maxMessageLength()}
     * @throws RingClosedException      if the ring was closed for writing
     */
    RingClaim tryClaim(int type, int length);

    /** Claims space, waiting up to {@code timeout} for room; null if none came. */
    RingClaim claim(int type, int length, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Claims room for up to {@code count} messages of {@code length} bytes each, as many as fit now in
     * one contiguous run (at least one), or returns null if not even one fits. One position update for
     * the run, one release store when it is committed: the cheapest way to write many small messages.
     *
     * @throws MessageTooLargeException if {@code length} exceeds {@link Ring#maxMessageLength()}
     * @throws RingClosedException      if the ring was closed for writing
     */
    BatchClaim tryClaimBatch(int type, int length, int count);

    /** {@link #tryClaimBatch}, waiting up to {@code timeout} for room for at least one message; null if none came. */
    BatchClaim claimBatch(int type, int length, int count, long timeout, TimeUnit unit) throws InterruptedException;

    /** Copies {@code message} into the ring if there is room now. */
    boolean offer(int type, MemorySegment message);

    /** Copies {@code message} into the ring, waiting up to {@code timeout} for room. */
    boolean offer(int type, MemorySegment message, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Copies as many of {@code messages[from..from+count)} as fit now, in order, publishing them with one
     * wake-up of the consumer; returns how many were written.
     */
    int offerBatch(int type, MemorySegment[] messages, int from, int count);

    /** Closes the ring for writing: consumers drain what was committed, then see the end of the stream. */
    void close();

    /**
     * Stops writing without closing the ring: an SPSC producer gives up the ring's producer role (another
     * process may take it, and a pipe peer does not take this process's exit for a death); an MPSC or
     * MPMC producer gives back the calling thread's producer slot. Call it with no claim open.
     */
    void release();
}
