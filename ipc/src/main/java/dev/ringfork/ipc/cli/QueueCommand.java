package dev.ringfork.ipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ringfork queue put|take|cat NAME}: a shared queue of records; each goes to exactly one taker. */
@Command(name = "queue", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = {"A queue of records between processes: scripts and JVMs put, any number take, and each record"
                + " goes to exactly one taker. Either side may start first.",
                "A Java process opens it as SharedQueue.open(SharedRegion.openOrCreate(NAME), \"queue\", Codec.bytes())."},
        subcommands = {PutCommand.class, TakeCommand.class, CatCommand.class},
        footer = {"", "Example:", "  seq 1000 | ringfork queue put jobs &", "  ringfork queue cat jobs | wc -l", "",
                "Across hosts, on a cluster of host agents (ringfork worker --cluster C ...):",
                "  seq 1000 | ringfork queue put jobs --cluster C --members 10.0.0.5:5701",
                "  ringfork queue take jobs --cluster C --members 10.0.0.5:5701", "",
                "A put ends the queue for good at the end of its input (unless --keep-open); remove it afterwards"
                        + " with ringfork clean, or rm the region file."})
final class QueueCommand implements Callable<Integer>, ChannelKind {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: put, take or cat");
    }

    @Override
    public Channel open(ChannelOptions options) {
        return options.clustered() ? ClusterQueueChannel.open(options, options.name()) : QueueChannel.open(options);
    }
}
