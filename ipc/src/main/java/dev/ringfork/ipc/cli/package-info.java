/**
 * The {@code ringfork} command line ({@code scripts/ringfork}): {@link dev.ringfork.ipc.cli.RingforkCli}
 * and its subcommands, on picocli. Internal: not exported; opened to picocli only.
 */
package dev.ringfork.ipc.cli;
