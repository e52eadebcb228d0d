package dev.ringfork.ipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;

/**
 * {@code ringfork}: the command line ({@code scripts/ringfork}). Exit codes: 0 done, 1 failed (one line on
 * stderr says what and what to do), 2 bad arguments (the usage follows on stderr).
 */
@Command(name = "ringfork", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = "Shared-memory IPC between JVMs and shell scripts: worker JVMs, queues, pipes, inspection, benchmarks.",
        subcommands = {RunCommand.class, QueueCommand.class, PipeCommand.class, StatCommand.class, CleanCommand.class,
                BenchCommand.class, WorkerCommand.class},
        footer = {"", "Regions live in $RINGFORK_DIR, else in /dev/shm/ringfork-$USER (or --dir PATH).",
                "Exit codes: 0 done, 1 failed, 2 bad arguments. ringfork COMMAND --help for more."})
public final class RingforkCli implements Callable<Integer> {

    /** Exit code of a command that failed. */
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    RingforkCli() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line in this JVM with usage and messages going to {@code out} and {@code err};
     * returns the exit code. Record data goes through {@code System.in} and {@code System.out} (or files).
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new RingforkCli());
        cli.setOut(out);
        cli.setErr(err);
        // --jvm-opt takes JVM options that look like ours (-cp, -m...): they are its values, not options
        cli.getSubcommands().get("run").setAllowOptionsAsOptionParameters(true);
        // A usage error always shows the message, any "Did you mean" suggestion, and the usage.
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter to = command.getErr();
            to.println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, to);
            command.usage(to);
            to.flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getCommandSpec().qualifiedName();
            String message = e.getMessage(); // Ringfork's exceptions say what failed and what to do
            if (message == null || message.isBlank()) {
                message = e.toString();
            } else if (e instanceof IOException || e instanceof UncheckedIOException) {
                message = e.getClass().getSimpleName() + ": " + message; // "NoSuchFileException: /a/b"
            }
            command.getErr().println(name + ": " + message.strip());
            if (System.getenv("RINGFORK_DEBUG") != null) {
                e.printStackTrace(command.getErr());
            }
            command.getErr().flush();
            return FAILED;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** {@code --version}: the version of the ipc module, or of its jar. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = RingforkCli.class.getModule().getDescriptor() != null
                    ? RingforkCli.class.getModule().getDescriptor().rawVersion().orElse(null) : null;
            if (version == null) {
                version = RingforkCli.class.getPackage().getImplementationVersion();
            }
            return new String[] {"ringfork " + (version != null ? version : "(development build)")
                    + ", Java " + Runtime.version()};
        }
    }
}
