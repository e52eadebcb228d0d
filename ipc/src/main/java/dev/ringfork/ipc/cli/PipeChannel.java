package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.ipc.Codec;
import dev.ringfork.ipc.Connection;
import dev.ringfork.ipc.EndOfStreamException;
import dev.ringfork.ipc.Pipe;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringfork pipe}: a simplex {@link Pipe} in slot {@value #SLOT} of the named region, one writer and
 * one reader at a time. A reader that stops early leaves the pipe open, so the next one goes on from there.
 */
final class PipeChannel implements Channel {

    /** The pipe's name in the region. */
    static final String SLOT = "pipe";

    private final SharedRegion region;
    private final Pipe<byte[]> pipe;

    private PipeChannel(SharedRegion region, Pipe<byte[]> pipe) {
        this.region = region;
        this.pipe = pipe;
    }

    /** Opens or creates the pipe the options name. */
    static PipeChannel open(ChannelOptions options) {
        SharedRegion region = SharedRegion.openOrCreate(options.name(), options.regionOptions());
        try {
            RingOptions ringOptions = RingOptions.defaults().withCapacity(options.capacity());
            return new PipeChannel(region, Pipe.simplex(region, SLOT, Codec.bytes(), ringOptions));
        } catch (RuntimeException | Error e) {
            region.close();
            throw e;
        }
    }

    @Override
    public String description() {
        return "pipe '" + region.name() + "'";
    }

    @Override
    public Path file() {
        return region.file();
    }

    @Override
    public int maxRecordBytes() {
        return pipe.writer().maxMessageBytes();
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws InterruptedException {
        try {
            pipe.writer().sendBytes(bytes, offset, length);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof RingClosedException) {
                throw new CliFailure(description() + " is closed: a put reached the end of its input (put --keep-open"
                        + " leaves it open), and a closed pipe stays closed. Remove it (rm " + file()
                        + ", or ringfork clean) or use another name");
            }
            throw e;
        }
    }

    @Override
    public void closeForWriting() {
        pipe.writer().close();
    }

    @Override
    public int receive(List<byte[]> into, int max, long timeoutNanos) throws InterruptedException {
        Connection<byte[]> reader = pipe.reader();
        byte[] message;
        try {
            message = reader.recvBytes(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (EndOfStreamException e) {
            return -1;
        }
        if (message == null) {
            return 0;
        }
        into.add(message);
        int n = 1;
        try {
            while (n < max && (message = reader.recvBytes(0, TimeUnit.NANOSECONDS)) != null) {
                into.add(message);
                n++;
            }
        } catch (EndOfStreamException e) {
            // the next call reports it
        }
        return n;
    }

    @Override
    public void close() {
        region.close(); // the reader end stays open: closing it would make the writer's sends fail
    }
}
