package dev.ringfork.ipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ringfork queue|pipe take NAME}: prints records until the end of the stream, a count or a timeout. */
@Command(name = "take", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = {"Prints records, one per line by default, until the stream has ended and is drained, or after"
                + " --count records, or when none came for --timeout. Exits 0 in all three cases.",
                "Creates the queue or pipe if it does not exist yet, so either side may start first.",
                "Killed at any point, it loses nothing: each batch is written out before the queue or pipe forgets"
                + " it, so the next take may print again the last batch the killed one wrote (4096 records at most)."
                + " The one exception is a queue batch that three takes in a row were writing when they were all"
                + " killed: it is dropped and counted as lost ('lost' on ring 'queue' in 'ringfork stat NAME').",
                "With --cluster, a batch is taken off the cluster queue before it is written: a take killed while writing"
                + " loses that batch (up to 4096 records)."})
final class TakeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ChannelOptions channel;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "stop after N records")
    Long count;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", converter = Converters.Time.class,
            description = "stop when no record came for this long: 500ms, 10s (a bare number is seconds), 2m, 1h")
    Duration timeout;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the records to FILE instead of stdout")
    Path output;

    @Option(names = {"-v", "--verbose"}, description = "say on stderr how many records were taken, and why it stopped")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be 1 or more, was " + count);
        }
        return Taking.run(spec, channel, count != null ? count : Long.MAX_VALUE, timeout, output, verbose);
    }
}
