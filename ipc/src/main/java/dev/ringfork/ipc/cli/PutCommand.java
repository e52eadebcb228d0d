package dev.ringfork.ipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ringfork queue|pipe put NAME [FILE...]}: sends the records of stdin or of files, then ends the stream. */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = {"Sends the records of stdin, or of the files in turn, one message per record. At the end of the"
                + " input it closes the stream, for good: takers get what was sent, then stop. --keep-open leaves it"
                + " open for another put.",
                "Records are lines by default (without their newline; a last line without one counts too)."})
final class PutCommand implements Callable<Integer> {

    private static final long STOP_GRACE_MILLIS = 500;

    @Spec
    CommandSpec spec;

    @Mixin
    ChannelOptions channel;

    @Parameters(index = "1..*", paramLabel = "FILE", description = "read these in turn instead of stdin ('-' is stdin)")
    List<String> files = new ArrayList<>();

    @Option(names = "--keep-open", description = "do not close the stream at the end of the input")
    boolean keepOpen;

    @Override
    public Integer call() throws IOException {
        Framing framing = channel.framing();
        for (String file : files) {
            Path path = Path.of(file);
            if (!file.equals("-") && (!Files.isReadable(path) || Files.isDirectory(path))) {
                throw new CliFailure("cannot read " + file + ": " + (Files.isDirectory(path) ? "it is a directory"
                        : Files.exists(path) ? "permission denied" : "no such file"));
            }
        }
        List<String> sources = files.isEmpty() ? List.of("-") : files;
        ChannelKind kind = (ChannelKind) spec.parent().userObject();
        try (Channel out = kind.open(channel);
             StopHook stop = StopHook.install(STOP_GRACE_MILLIS, keepOpen ? () -> { } : out::closeForWriting)) {
            try {
                out.requireOpen();
                for (String source : sources) {
                    if (!send(source, framing, out, stop)) {
                        break;
                    }
                }
            } catch (RecordReader.TooLong e) {
                throw new CliFailure(e.getMessage() + ": " + ChannelOptions.tooLarge(out, e.length));
            } finally {
                if (!keepOpen) {
                    out.closeForWriting();
                }
            }
        }
        return 0;
    }

    /** Sends the records of one source; false if stopped. */
    private static boolean send(String source, Framing framing, Channel out, StopHook stop) throws IOException {
        boolean stdin = source.equals("-");
        InputStream in = stdin ? System.in : Files.newInputStream(Path.of(source));
        try {
            RecordReader records = new RecordReader(in, framing, out.maxRecordBytes(), stdin ? "stdin" : source);
            while (!stop.stopping() && records.next()) {
                out.send(records.buffer(), records.offset(), records.length());
            }
            return !stop.stopping();
        } catch (InterruptedException e) {
            return false; // Ctrl-C or SIGTERM while waiting for room: end the stream with what was sent
        } finally {
            if (!stdin) {
                in.close();
            }
        }
    }
}
