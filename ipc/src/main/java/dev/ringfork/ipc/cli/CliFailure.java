package dev.ringfork.ipc.cli;

/**
 * A command failed for a reason the user can act on: {@link RingforkCli} prints the message as one line
 * on stderr, prefixed with the command, and exits with 1.
 */
final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message, null, false, false);
    }
}
