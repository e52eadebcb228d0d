package dev.ringfork.core.ring;

import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.sync.Deadline;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What every consumer does the same way: the blocking read on top of its non-blocking one, and the
 * checks of a record header on the read path.
 *
 * <p>The blocking read waits through the ring's wait strategy with one condition: a read attempt
 * (that delivered something), the end of the stream, or the caller's extra condition. So "ready" and
 * "read" never disagree, whatever state the ring is in: the wait strategy's spin and yield phases are
 * all the CPU a wait costs, and then it sleeps until its deadline. About once per stall timeout of
 * waiting the consumer does its upkeep ({@link #maintain}).
 */
abstract sealed class AbstractConsumer implements RingConsumer permits SingleConsumer, SharedConsumer {

    final Ring ring;
    final MemorySegment buffer;
    /** Read-only view of the buffer: handlers get slices of it, so they cannot write into the ring. */
    final MemorySegment view;
    final int mask;
    final int capacity;
    /** The longest record a message makes, header included. */
    final int maxRecordLength;
    final StallWatch stall;
    /** The wait condition, reused by every blocking read (a consumer is used by one thread). */
    private final Attempt attempt = new Attempt();
    /** When a waiting read next does its upkeep ({@link System#nanoTime()}); kept across calls. */
    private long upkeepAt;

    AbstractConsumer(Ring ring) {
        this.ring = ring;
        this.buffer = ring.buffer;
        this.view = ring.buffer.asReadOnly();
        this.capacity = ring.capacity;
        this.mask = ring.capacity - 1;
        this.maxRecordLength = ring.maxMessageLength + RecordLayout.HEADER_LENGTH;
        this.stall = new StallWatch(ring);
        this.upkeepAt = System.nanoTime() + ring.stallTimeoutNanos;
    }

    /** One non-blocking read: what {@link #read(MessageHandler, int)} does. */
    abstract int poll(MessageHandler handler, int limit);

    /** Whether the stream has ended: what {@link #isEndOfStream()} answers. */
    abstract boolean ended();

    @Override
    public final int read(MessageHandler handler, int limit) {
        try {
            return poll(handler, limit);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring); // the region file was truncated under us
        }
    }

    @Override
    public final boolean isEndOfStream() {
        try {
            return ended();
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring);
        }
    }

    /**
     * After {@code failure} ended a delivery that had handed {@code count} messages to {@code handler}: calls
     * its {@link MessageHandler#beforeRelease()} so that it can make durable what it saw. True if they may
     * be given back; false if beforeRelease failed too (its exception is added to {@code failure}).
     */
    static boolean flushAfterFailure(MessageHandler handler, int count, Throwable failure) {
        if (count == 0) {
            return true;
        }
        try {
            handler.beforeRelease();
            return true;
        } catch (Throwable flush) {
            failure.addSuppressed(flush);
            return false;
        }
    }

    /** Upkeep of a waiting consumer, about once per stall timeout: corruption and position checks. */
    void maintain() {
        ring.maintain();
    }

    /**
     * Checks a committed header ({@code length > 0}) read at buffer index {@code index}: it fits before the
     * end of the buffer and is a padding record or a message of a possible length. The reason is worked out
     * only for a bad one, which throws.
     *
     * <p>The checks and {@link #notReady}'s are arithmetic (a word that is negative if any fails) with one
     * branch, never taken in a healthy ring: a branch per check would be compiled without the side the
     * first records never take (the first padding record, the first "being written" header), and taking it
     * later throws the compiled read path away (a deoptimization and a recompile, tens of ms on the first
     * laps of a short run).
     */
    final void checkCommitted(long position, int index, long header, int length) {
        if (RecordLayout.committedFlaw(header, length, capacity - index, maxRecordLength) < 0) {
            ring.checkHeader(position, header);
        }
    }

    /**
     * Checks a header that is not committed ({@code length <= 0}): zero, or a claim of 8 bytes up to the end
     * of the buffer by a positive pid (see {@link #checkCommitted} for why it is arithmetic). Then feeds the
     * stall watch.
     */
    final void notReady(long position, long header) {
        ring.integrity.check();
        if (RecordLayout.uncommittedFlaw(header, capacity - ((int) position & mask)) < 0) {
            ring.checkHeader(position, header);
        }
        stall.check(position, header);
    }

    @Override
    public int read(MessageHandler handler, int limit, long timeout, TimeUnit unit) throws InterruptedException {
        return read(handler, limit, timeout, unit, null);
    }

    @Override
    public int read(MessageHandler handler, int limit, long timeout, TimeUnit unit, BooleanSupplier orWhen)
            throws InterruptedException {
        try {
            return await(handler, limit, timeout, unit, orWhen);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring.ring);
        }
    }

    private int await(MessageHandler handler, int limit, long timeout, TimeUnit unit, BooleanSupplier orWhen)
            throws InterruptedException {
        int first = poll(handler, limit);
        if (first > 0) {
            return first; // the clock is read only when there is something to wait for
        }
        // One clock read per pass: a reply that comes within the wait strategy's spin costs one, not two
        // (about 20 ns each here, a few per cent of a busy-spin round trip).
        long now = System.nanoTime();
        long deadline = Deadline.after(now, timeout, unit);
        Attempt wait = attempt.start(handler, limit, orWhen);
        try {
            ring.integrity.check();
            for (;; now = System.nanoTime()) {
                if (ended()) {
                    return -1;
                }
                if (orWhen != null && orWhen.getAsBoolean()) {
                    return 0;
                }
                if (Deadline.passed(deadline, now)) {
                    return 0;
                }
                if (now - upkeepAt >= 0) {
                    upkeepAt = now + ring.stallTimeoutNanos;
                    stall.lookSoon(); // a sleeper looks too rarely for the watch's count of looks
                    maintain();
                }
                ring.options.waitStrategy().await(ring.dataBell, wait, Deadline.earlier(deadline, upkeepAt));
                if (wait.count > 0) {
                    return wait.count;
                }
            }
        } finally {
            wait.clear();
        }
    }

    /** One read attempt as a wait condition: true once it delivered, or the stream ended, or {@code orWhen}. */
    private final class Attempt implements BooleanSupplier {
        private MessageHandler handler;
        private int limit;
        private BooleanSupplier orWhen;
        int count;

        Attempt start(MessageHandler handler, int limit, BooleanSupplier orWhen) {
            this.handler = handler;
            this.limit = limit;
            this.orWhen = orWhen;
            this.count = 0;
            return this;
        }

        void clear() {
            handler = null;
            orWhen = null;
        }

        @Override
        public boolean getAsBoolean() {
            int n = poll(handler, limit);
            if (n > 0) {
                count = n;
                return true;
            }
            return ended() || (orWhen != null && orWhen.getAsBoolean());
        }
    }
}
