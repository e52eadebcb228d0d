package dev.ringfork.core.ring;

import java.lang.foreign.MemorySegment;

/**
 * Room claimed for several messages of one length in one go: one position update for the whole run,
 * and one release store to publish it. Fill message {@code i} through {@link #buffer(int)} (a slice) or,
 * allocation-free, at {@link #offset(int)} in {@link #segment()}; then {@link #commit()} all of them,
 * {@link #commit(int)} the first {@code n}, or {@link #abort()}. Nothing is visible before the commit,
 * and consumers skip the whole run if the writer dies first (see {@link RecordLayout}).
 *
 * <pre>{@code
 * BatchClaim run = producer.tryClaimBatch(1, 32, 64);   // up to 64 messages of 32 bytes
 * if (run != null) {
 *     for (int i = 0; i < run.count(); i++) {
 *         run.segment().set(ValueLayout.JAVA_LONG, run.offset(i), next++);
 *     }
 *     run.commit();
 * }
 * }</pre>
 * A batch claim is used by one thread; do not touch it after its commit or abort (an SPSC producer
 * hands the same object out again). Claimed in a try-with-resources statement, it is aborted if an
 * exception comes before the commit ({@link #close()}).
 */
public final class BatchClaim implements AutoCloseable {

    private final AbstractProducer producer;
    private int index;
    private int aligned;
    private int recordLength;
    private int type;
    private int count;
    private boolean done = true;

    BatchClaim(AbstractProducer producer) {
        this.producer = producer;
    }

    BatchClaim reset(int index, int recordLength, int aligned, int type, int count) {
        this.index = index;
        this.recordLength = recordLength;
        this.aligned = aligned;
        this.type = type;
        this.count = count;
        this.done = false;
        return this;
    }

    boolean isDone() {
        return done;
    }

    /** How many messages were claimed: between 1 and the count asked for. */
    public int count() {
        return count;
    }

    /** Length of each message in bytes. */
    public int length() {
        return recordLength - RecordLayout.HEADER_LENGTH;
    }

    /** The ring's buffer, writable: message {@code i} lies at {@link #offset(int)}. */
    public MemorySegment segment() {
        return producer.buffer;
    }

    /** Where message {@code i}'s bytes start in {@link #segment()}. */
    public long offset(int i) {
        checkOpen();
        java.util.Objects.checkIndex(i, count);
        return (long) index + (long) i * aligned + RecordLayout.HEADER_LENGTH;
    }

    /** Message {@code i}'s bytes to fill, in place in the ring. */
    public MemorySegment buffer(int i) {
        return producer.buffer.asSlice(offset(i), length());
    }

    /** Makes every claimed message visible, in order, with one release store. */
    public void commit() {
        commit(count);
    }

    /**
     * Makes the first {@code n} messages visible (0 to {@link #count()}); the rest of the claimed room
     * becomes one padding record that consumers skip.
     */
    public void commit(int n) {
        checkOpen();
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("can commit 0 to " + count + " messages of this claim, not " + n);
        }
        done = true;
        MemorySegment buffer = producer.buffer;
        // Every header after the first is written plainly: the release store of the first header below
        // publishes them together with the message bytes. Until then the first header says "being
        // written" for the whole run, so no consumer reads past it.
        for (int i = 1; i < n; i++) {
            RingLayout.LONG.set(buffer, (long) index + (long) i * aligned, RecordLayout.header(recordLength, type));
        }
        if (n == 0) {
            producer.publish(index, RecordLayout.header(count * aligned, RecordLayout.PADDING));
            return;
        }
        if (n < count) {
            RingLayout.LONG.set(buffer, (long) index + (long) n * aligned,
                    RecordLayout.header((count - n) * aligned, RecordLayout.PADDING));
        }
        producer.publish(index, RecordLayout.header(recordLength, type));
    }

    /** Gives the whole run up: consumers skip it. */
    public void abort() {
        commit(0);
    }

    /** Aborts the run unless it was committed or aborted. Idempotent. */
    @Override
    public void close() {
        if (!done) {
            abort();
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("this batch claim was already committed or aborted; claim again");
        }
    }
}
