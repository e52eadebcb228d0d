package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.channel.ElementHandler;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code take} and {@code cat} do: write records to stdout (or a file) until the end of the stream,
 * a count, or a quiet spell. Records are written while the queue or pipe still holds them, and each
 * batch is flushed to the operating system before the channel forgets it ({@link ElementHandler}): a
 * {@code take} killed at any point loses nothing, and the next one repeats at most the records of the
 * batch it was writing when it died (written out, not yet released). The exception: a queue (MPMC) drops
 * a batch that three takers in a row died holding, and counts it lost. A failed write keeps the batch in
 * the channel, and the take fails.
 */
final class Taking {

    /** Records taken per call when many are waiting. */
    private static final int BATCH = 4096;
    private static final long STOP_GRACE_MILLIS = 2000;

    private Taking() {
    }

    /**
     * @param count   stop after this many ({@link Long#MAX_VALUE}: no limit)
     * @param timeout stop when none came for this long (null: wait for ever)
     * @param output  write here instead of stdout (null: stdout)
     */
    static int run(CommandSpec command, ChannelOptions options, long count, Duration timeout, Path output, boolean verbose)
            throws IOException {
        Framing framing = options.framing();
        ChannelKind kind = (ChannelKind) command.parent().userObject();
        long waitNanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        long taken = 0;
        String ending = "interrupted";
        OutputStream sink;
        try {
            sink = output != null ? Files.newOutputStream(output) : System.out;
        } catch (IOException e) {
            throw new CliFailure("cannot write to " + output + ": " + e);
        }
        try (Channel in = kind.open(options); StopHook stop = StopHook.install(STOP_GRACE_MILLIS, () -> { })) {
            Output out = new Output(new RecordWriter(sink, framing));
            try {
                while (!stop.stopping()) {
                    if (taken >= count) {
                        ending = "after --count " + count;
                        break;
                    }
                    int n = in.receive(out, (int) Math.min(BATCH, count - taken), waitNanos);
                    if (n < 0) {
                        ending = "end of stream";
                        break;
                    }
                    if (n == 0) {
                        ending = "no record for " + timeout.toMillis() + " ms";
                        break;
                    }
                    taken += n;
                }
            } catch (InterruptedException e) {
                // Ctrl-C or SIGTERM: everything taken was written out before the channel forgot it
            } catch (UncheckedIOException e) {
                throw new CliFailure("cannot write the records taken to " + (output != null ? output : "stdout")
                        + " (" + taken + " so far; the unwritten ones stay in " + in.description() + "): "
                        + e.getCause().getMessage());
            }
        } finally {
            if (output != null) {
                sink.close();
            }
        }
        if (verbose) {
            command.commandLine().getErr().println(command.qualifiedName() + ": took " + taken + " record"
                    + (taken == 1 ? "" : "s") + " (" + ending + ")");
        }
        return 0;
    }

    /**
     * Writes each record as it is taken, and flushes the batch to the OS before the channel forgets it. A
     * failed write is remembered, and the rest of the batch is not written: the batch's
     * {@code beforeRelease} throws it, so the channel keeps the whole batch for the next take.
     */
    private static final class Output implements ElementHandler<byte[]> {
        private final RecordWriter writer;
        private IOException failure;

        Output(RecordWriter writer) {
            this.writer = writer;
        }

        @Override
        public void onElement(byte[] record) {
            if (failure != null) {
                return; // the output is broken: the rest of the batch stays in the channel
            }
            try {
                writer.write(record);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void beforeRelease() {
            try {
                if (failure == null) {
                    writer.flush();
                }
            } catch (IOException e) {
                failure = e;
            }
            if (failure != null) {
                throw new UncheckedIOException(failure); // the channel forgets nothing of this batch
            }
        }
    }
}
