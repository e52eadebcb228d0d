package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.ipc.channel.BrokenPipeException;
import dev.ringfork.ipc.channel.Connection;
import dev.ringfork.ipc.channel.ElementHandler;
import dev.ringfork.ipc.channel.EndOfStreamException;
import dev.ringfork.ipc.channel.PeerDiedException;
import dev.ringfork.ipc.channel.Pipe;
import dev.ringfork.ipc.codec.Codec;

import java.nio.file.Path;
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
    /** The end this process took (a channel is used for putting or for taking), given up at close. */
    private Connection<byte[]> used;

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
        return pipe.maxMessageBytes();
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws InterruptedException {
        try {
            writer().sendBytes(bytes, offset, length);
        } catch (BrokenPipeException e) {
            if (e.getCause() instanceof RingClosedException) {
                throw new CliFailure(description() + " is closed: a put reached the end of its input (put --keep-open"
                        + " leaves it open), and a closed pipe stays closed. Remove it (rm " + file()
                        + ", or ringfork clean) or use another name");
            }
            throw new CliFailure(e.getMessage());
        }
    }

    @Override
    public void closeForWriting() {
        writer().close();
    }

    @Override
    public int receive(ElementHandler<byte[]> handler, int max, long timeoutNanos) throws InterruptedException {
        try {
            return reader().recvBytes(handler, max, Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (PeerDiedException e) {
            throw new CliFailure(e.getMessage());
        } catch (EndOfStreamException e) {
            return -1;
        }
    }

    private Connection<byte[]> writer() {
        return used = pipe.writer();
    }

    private Connection<byte[]> reader() {
        return used = pipe.reader();
    }

    @Override
    public void close() {
        try {
            // The stream stays open (closing the reader would make the writer's sends fail): give the end up,
            // so the next reader takes over and the writer does not take this process's exit for a death.
            if (used != null) {
                used.detach();
            }
        } finally {
            region.close();
        }
    }
}
