package dev.ringfork.ipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ringfork queue|pipe cat NAME}: prints every record until the end of the stream. */
@Command(name = "cat", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = "Prints every record, one per line by default, until the stream has ended and is drained (take"
                + " without --count or --timeout).")
final class CatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ChannelOptions channel;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the records to FILE instead of stdout")
    Path output;

    @Option(names = {"-v", "--verbose"}, description = "say on stderr how many records were taken")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        return Taking.run(spec, channel, Long.MAX_VALUE, null, output, verbose);
    }
}
