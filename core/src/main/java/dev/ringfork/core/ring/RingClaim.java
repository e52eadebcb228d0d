package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;

/**
 * Space claimed in a ring for one message: write into {@link #buffer()}, then {@link #commit()} to make
 * it visible to consumers, or {@link #abort()} to have them skip it. Nothing is visible before commit.
 * One of the two must be called, once: until then the ring's readers wait at this record. Claim in a
 * try-with-resources statement and an exception between claim and commit aborts it ({@link #close()}):
 * <pre>{@code
 * try (RingClaim claim = producer.claim(1, 16, 1, TimeUnit.SECONDS)) {
 *     fill(claim.buffer());     // may throw: the claim is then aborted, not left open
 *     claim.commit();
 * }
 * }</pre>
 * A claim is used by one thread. Do not touch a claim after its commit or abort (closing it is fine): an
 * SPSC producer hands the same object out again for its next claim.
 */
public final class RingClaim implements AutoCloseable {

    private final AbstractProducer producer;
    private int index;
    private int recordLength;
    private int type;
    private boolean done;

    RingClaim(AbstractProducer producer, int index, int recordLength, int type) {
        this.producer = producer;
        this.index = index;
        this.recordLength = recordLength;
        this.type = type;
    }

    /** Reuse by the producer that made this claim, once it is done. */
    RingClaim reset(int index, int recordLength, int type) {
        this.index = index;
        this.recordLength = recordLength;
        this.type = type;
        this.done = false;
        return this;
    }

    boolean isDone() {
        return done;
    }

    /** The message bytes to fill, in place in the ring. */
    public MemorySegment buffer() {
        checkOpen();
        return producer.buffer.asSlice(index + RecordLayout.HEADER_LENGTH, recordLength - RecordLayout.HEADER_LENGTH);
    }

    /** Makes the message visible to consumers (a release store of its header) and wakes a sleeping consumer. */
    public void commit() {
        checkOpen();
        done = true;
        producer.publish(index, RecordLayout.header(recordLength, type));
    }

    /** Gives the space up: consumers skip it. */
    public void abort() {
        checkOpen();
        done = true;
        producer.publish(index, RecordLayout.header(recordLength, RecordLayout.PADDING));
    }

    /** Aborts the claim unless it was committed or aborted: consumers skip it. Idempotent. */
    @Override
    public void close() {
        if (!done) {
            abort();
        }
    }

    /** Message length in bytes. */
    public int length() {
        return recordLength - RecordLayout.HEADER_LENGTH;
    }

    long messageOffset() {
        return index + RecordLayout.HEADER_LENGTH;
    }

    private void checkOpen() {
        if (done) {
            throw alreadyDone();
        }
    }

    private static IllegalStateException alreadyDone() {
        return new IllegalStateException("this claim was already committed or aborted; claim again for the next message");
    }
}
