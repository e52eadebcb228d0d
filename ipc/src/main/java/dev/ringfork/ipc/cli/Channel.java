package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.channel.ElementHandler;

import java.nio.file.Path;

/**
 * A queue or a pipe as {@code put} and {@code take} see it: messages of bytes in a named region.
 * Closing a channel stops using it (and unmaps the region); it does not end the stream, which
 * {@link #closeForWriting()} does.
 */
interface Channel extends AutoCloseable {

    /** "queue 'jobs'", for messages. */
    String description();

    /** The region's file; null for a queue across hosts. */
    Path file();

    /** Fails if the channel was closed for writing, before anything is read to send (by default, it does not). */
    default void requireOpen() {
    }

    /** The largest record this channel carries, in bytes. */
    int maxRecordBytes();

    /**
     * Sends one record, waiting for room.
     *
     * @throws CliFailure if the channel was closed for writing
     */
    void send(byte[] bytes, int offset, int length) throws InterruptedException;

    /** Ends the stream: readers get what was sent, then the end. */
    void closeForWriting();

    /**
     * Receives up to {@code max} records into {@code handler}, waiting up to {@code timeoutNanos} for the
     * first ({@link Long#MAX_VALUE}: no limit); returns how many, 0 if none came in time, -1 at the end of
     * the stream. The channel forgets the records only after the handler's {@code beforeRelease}.
     */
    int receive(ElementHandler<byte[]> handler, int max, long timeoutNanos) throws InterruptedException;

    @Override
    void close();
}
