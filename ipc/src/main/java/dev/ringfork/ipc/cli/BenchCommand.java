package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.internal.text.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code ringfork bench}: runs the benchmarks (JMH, the side-by-side peers harness, the pool benchmarks)
 * in a child JVM from {@code bench/target/benchmarks.jar} ({@code dev.ringfork.bench.report.BenchReport}),
 * shows its progress on stderr, keeps the rest of its output in {@code <out>/<stamp>.log}, and lists the
 * files it wrote: {@code <stamp>.json}, {@code <stamp>.md} and the PNG charts. Exit codes: 0 done, 1 a
 * benchmark failed or could not run, 2 a bad argument.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the benchmarks (JMH, the peers, the pool) and writes JSON, markdown and PNG charts.",
                "Files: <stamp>.json, <stamp>.md and charts (also copied to latest-*.png) in the results folder.",
                "Build the benchmarks first: scripts/bench --build-only."})
public final class BenchCommand implements Callable<Integer> {

    static final List<String> SUITES = List.of("jmh", "peers", "pool");
    static final String REPORT_CLASS = "dev.ringfork.bench.report.BenchReport";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm");

    /** Makes the child's command line for BenchReport's arguments, or empty if the benchmarks are not built. */
    @FunctionalInterface
    interface Launcher {
        Optional<List<String>> command(Path home, List<String> reportArgs);
    }

    /** The real child: this JVM's java running BenchReport from bench/target/benchmarks.jar. */
    static final Launcher BENCHMARKS_JAR = (home, reportArgs) -> {
        Path jar = home.resolve("bench").resolve("target").resolve("benchmarks.jar");
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true", "-cp", jar.toString(), REPORT_CLASS));
        command.addAll(reportArgs);
        return Optional.of(command);
    };

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Short warm-up and measurement, one round (a few minutes): shows that everything runs, not for figures.")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "SUITE", description = "Which suites to run: jmh, peers, pool (default: all).")
    List<String> only;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the results go (default: bench/results in the Ringfork folder).")
    Path out;

    private final Path home;
    private final Launcher launcher;
    private final boolean terminal;

    /** The command as {@code ringfork} runs it: the Ringfork folder from {@code -Dringfork.home}, the real benchmarks. */
    public BenchCommand() {
        this(home(), BENCHMARKS_JAR, stderrIsTerminal());
    }

    BenchCommand(Path home, Launcher launcher, boolean terminal) {
        this.home = home;
        this.launcher = launcher;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> suites = only == null ? SUITES : only;
        for (String suite : suites) {
            if (!SUITES.contains(suite)) {
                throw new ParameterException(spec.commandLine(), "--only takes jmh, peers and pool; unknown suite '" + suite + "'");
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Path dir = (out != null ? out : home.resolve("bench").resolve("results")).toAbsolutePath();
        String stamp = LocalDateTime.now().format(STAMP);
        List<String> reportArgs = new ArrayList<>();
        if (quick) {
            reportArgs.add("--quick");
        }
        reportArgs.add("--only=" + String.join(",", suites));
        reportArgs.add("--out=" + dir);
        reportArgs.add("--stamp=" + stamp);
        Optional<List<String>> command = launcher.command(home, reportArgs);
        if (command.isEmpty()) {
            err.println("ringfork bench: the benchmarks are not built (no bench/target/benchmarks.jar in " + home
                    + "): run scripts/bench --build-only first");
            return 1;
        }
        Files.createDirectories(dir);
        Path log = dir.resolve(stamp + ".log");
        err.println("ringfork bench: running " + String.join(", ", suites) + (quick ? " (quick)" : "") + "; log in " + log);
        err.flush();
        int exit;
        List<String> wrote = Collections.synchronizedList(new ArrayList<>());
        try (Writer logFile = Files.newBufferedWriter(log)) {
            exit = runChild(command.get(), logFile, new ProgressLine(err, terminal), wrote);
        }
        if (!wrote.isEmpty()) {
            stdout.println("Results in " + dir + ":");
            wrote.forEach(f -> stdout.println("  " + f));
            stdout.flush();
        }
        if (exit != 0) {
            err.println("ringfork bench: the benchmarks " + (exit == 1 ? "finished with failures" : "stopped (exit code " + exit + ")")
                    + "; see " + log);
            return 1;
        }
        return 0;
    }

    /** Runs the child to its end: progress to the progress line, its stderr shown, everything else to the log. */
    private int runChild(List<String> command, Writer log, ProgressLine progress, List<String> wrote)
            throws IOException, InterruptedException {
        Process child;
        try {
            child = new ProcessBuilder(command).directory(home.toFile()).start();
            child.getOutputStream().close();
        } catch (IOException e) {
            progress.message("ringfork bench: cannot start " + command.getFirst() + ": " + e.getMessage());
            return 1;
        }
        Thread stopChild = new Thread(() -> {
            child.descendants().forEach(ProcessHandle::destroy);
            child.destroy();
        });
        Runtime.getRuntime().addShutdownHook(stopChild);
        Consumer<String> toLog = line -> {
            synchronized (log) {
                try {
                    log.write(line);
                    log.write(System.lineSeparator());
                    log.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Thread errors = Thread.ofPlatform().name("bench-stderr").start(() -> lines(child.getErrorStream(), line -> {
            toLog.accept(line);
            progress.message(line);
        }));
        lines(child.getInputStream(), line -> {
            Optional<ProgressLine.Step> step = ProgressLine.parse(line);
            if (step.isPresent()) {
                progress.show(step.get());
                return;
            }
            toLog.accept(line);
            if (line.startsWith("WROTE ")) {
                wrote.add(line.substring("WROTE ".length()));
            }
        });
        int exit = child.waitFor();
        errors.join();
        progress.finish();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: nothing to undo
        }
        return exit;
    }

    private static void lines(InputStream in, Consumer<String> each) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                each.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Ringfork folder: {@code -Dringfork.home} (scripts/ringfork sets it), else the working directory. */
    private static Path home() {
        String home = System.getProperty("ringfork.home");
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath();
    }

    /** {@code -Dringfork.tty=true|false} if given (scripts/ringfork knows: {@code [ -t 2 ]}), else whether this JVM has a terminal. */
    private static boolean stderrIsTerminal() {
        String tty = System.getProperty("ringfork.tty");
        if (tty != null) {
            return Boolean.parseBoolean(tty);
        }
        return System.console() != null && System.console().isTerminal();
    }
}
