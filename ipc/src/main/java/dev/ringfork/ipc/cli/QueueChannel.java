package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.ipc.Codec;
import dev.ringfork.ipc.EndOfStreamException;
import dev.ringfork.ipc.QueueOptions;
import dev.ringfork.ipc.SharedQueue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringfork queue}: a {@code SharedQueue<byte[]>} ({@link Codec#bytes()}) in slot {@value #SLOT} of
 * the named region, so a JVM can take what a script put, and the other way round.
 */
final class QueueChannel implements Channel {

    /** The queue's slot in the region. */
    static final String SLOT = "queue";

    private final SharedRegion region;
    private final SharedQueue<byte[]> queue;

    private QueueChannel(SharedRegion region, SharedQueue<byte[]> queue) {
        this.region = region;
        this.queue = queue;
    }

    /** Opens or creates the queue the options name. */
    static QueueChannel open(ChannelOptions options) {
        SharedRegion region = SharedRegion.openOrCreate(options.name(), options.regionOptions());
        try {
            QueueOptions queueOptions = QueueOptions.defaults().withCapacity(options.capacity());
            return new QueueChannel(region, SharedQueue.open(region, SLOT, Codec.bytes(), queueOptions));
        } catch (RuntimeException | Error e) {
            region.close();
            throw e;
        }
    }

    @Override
    public String description() {
        return "queue '" + region.name() + "'";
    }

    @Override
    public Path file() {
        return region.file();
    }

    @Override
    public int maxRecordBytes() {
        return queue.maxElementBytes();
    }

    /** Fails if the queue was closed: puts would fail, and takers have stopped or will. */
    void requireOpen() {
        if (queue.isClosed()) {
            throw closed();
        }
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws InterruptedException {
        try {
            queue.put(Arrays.copyOfRange(bytes, offset, offset + length));
        } catch (RingClosedException e) {
            throw closed();
        }
    }

    @Override
    public void closeForWriting() {
        queue.close();
    }

    @Override
    public int receive(List<byte[]> into, int max, long timeoutNanos) throws InterruptedException {
        int n = queue.drainTo(into, max);
        if (n > 0) {
            return n;
        }
        byte[] first;
        if (timeoutNanos == Long.MAX_VALUE) {
            try {
                first = queue.take();
            } catch (EndOfStreamException e) {
                return -1;
            }
        } else {
            first = timeoutNanos <= 0 ? queue.poll() : queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        if (first == null) {
            if (!queue.isClosed()) {
                return 0;
            }
            n = queue.drainTo(into, max); // poll gives null at the end of the stream too: closed and empty is the end
            return n > 0 ? n : -1;
        }
        into.add(first);
        return 1 + (max > 1 ? queue.drainTo(into, max - 1) : 0);
    }

    @Override
    public void close() {
        try {
            queue.detach();
        } finally {
            region.close();
        }
    }

    private CliFailure closed() {
        return new CliFailure(description() + " is closed: a put reached the end of its input (put --keep-open leaves it"
                + " open), and a closed queue stays closed. Remove it (rm " + file() + ", or ringfork clean) or use"
                + " another name");
    }
}
