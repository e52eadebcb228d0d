package dev.ringfork.ipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ringfork pipe put|take|cat NAME}: a one-way pipe of records, one writer and one reader at a time. */
@Command(name = "pipe", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = {"A one-way pipe of records, like a named pipe in shared memory: one writer and one reader at a"
                + " time, in order. Either side may start first; a reader that stops early (--count, --timeout) leaves"
                + " the rest for the next one.",
                "A Java process opens it as Pipe.simplex(SharedRegion.openOrCreate(NAME), \"pipe\", Codec.bytes())."},
        subcommands = {PutCommand.class, TakeCommand.class, CatCommand.class},
        footer = {"", "Example:", "  ringfork pipe put logs < app.log &", "  ringfork pipe cat logs | grep ERROR", "",
                "A put ends the pipe for good at the end of its input (unless --keep-open); remove it afterwards"
                        + " with ringfork clean, or rm the region file."})
final class PipeCommand implements Callable<Integer>, ChannelKind {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: put, take or cat");
    }

    @Override
    public Channel open(ChannelOptions options) {
        if (options.clustered()) {
            throw new ParameterException(options.command.commandLine(), "a pipe is between two processes on this host:"
                    + " --cluster is for ringfork queue");
        }
        return PipeChannel.open(options);
    }
}
