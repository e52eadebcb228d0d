package dev.ringfork.ipc.cli;

/** What {@code queue} and {@code pipe} give their {@code put}, {@code take} and {@code cat} subcommands. */
interface ChannelKind {

    /** Opens, or creates, the channel the options name. */
    Channel open(ChannelOptions options);
}
