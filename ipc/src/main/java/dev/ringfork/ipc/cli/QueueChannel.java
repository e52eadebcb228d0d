package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.ipc.channel.ElementHandler;
import dev.ringfork.ipc.channel.QueueOptions;
import dev.ringfork.ipc.channel.SharedQueue;
import dev.ringfork.ipc.codec.Codec;

import java.nio.file.Path;
import java.util.Arrays;
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
    @Override
    public void requireOpen() {
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
    public int receive(ElementHandler<byte[]> handler, int max, long timeoutNanos) throws InterruptedException {
        return queue.drain(handler, max, timeoutNanos, TimeUnit.NANOSECONDS);
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
