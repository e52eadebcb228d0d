package dev.ringfork.ipc.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code take} and {@code cat} do: write records to stdout (or a file) until the end of the stream,
 * a count, or a quiet spell. Output is buffered and flushed whenever it would wait for more, so a reader
 * sees each record as soon as no more is at hand, and a fast stream costs no flush per record.
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
            RecordWriter out = new RecordWriter(sink, framing);
            List<byte[]> batch = new ArrayList<>();
            try {
                while (!stop.stopping()) {
                    if (taken >= count) {
                        ending = "after --count " + count;
                        break;
                    }
                    batch.clear();
                    int max = (int) Math.min(BATCH, count - taken);
                    int n = in.receive(batch, max, 0);
                    if (n == 0 && waitNanos > 0) {
                        out.flush(); // about to wait: let the reader have what there is
                        n = in.receive(batch, max, waitNanos);
                    }
                    if (n < 0) {
                        ending = "end of stream";
                        break;
                    }
                    if (n == 0) {
                        ending = "no record for " + timeout.toMillis() + " ms";
                        break;
                    }
                    for (byte[] record : batch) {
                        out.write(record);
                    }
                    taken += n;
                }
            } catch (InterruptedException e) {
                // Ctrl-C or SIGTERM: what was taken is written below
            } finally {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new CliFailure("cannot write the records taken to " + (output != null ? output : "stdout")
                            + " (" + taken + " so far): " + e.getMessage());
                }
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
}
