package dev.ringfork.bench.pool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code multiprocessing.Pool}, the side-by-side peer: {@code bench/python/pool_peer.py} running
 * in a child process, one command a line, its pools kept warm between commands.
 */
final class PythonPool implements AutoCloseable {

    static final Path SCRIPT = Path.of("bench/python/pool_peer.py");
    private static final Pattern SECONDS = Pattern.compile("\"seconds\": ([0-9.eE+-]+)");
    private static final Pattern VERSION = Pattern.compile("\"python\": \"([^\"]+)\"");
    private static final Pattern START_METHOD = Pattern.compile("\"start_method\": \"([^\"]+)\"");

    private final Process process;
    private final BufferedReader answers;
    private final Writer commands;
    private final String version;
    private final String startMethod;

    private PythonPool(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        String hello = readLine();
        Matcher m = VERSION.matcher(hello);
        this.version = m.find() ? m.group(1) : "?";
        Matcher method = START_METHOD.matcher(hello);
        this.startMethod = method.find() ? method.group(1) : "?";
    }

    /** Starts the peer, or returns null (saying why on stderr) if python3 or the script is missing. */
    static PythonPool startOrNull() {
        if (!Files.isReadable(SCRIPT)) {
            System.err.println("side by side: " + SCRIPT.toAbsolutePath() + " not found (run from the repository root): Python not measured");
            return null;
        }
        try {
            Process process = new ProcessBuilder("python3", SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new PythonPool(process);
        } catch (IOException e) {
            System.err.println("side by side: cannot start python3 " + SCRIPT + ": " + e.getMessage() + ": Python not measured");
            return null;
        }
    }

    /** The shell command that starts the peer. */
    static String command() {
        return "python3 " + SCRIPT;
    }

    String version() {
        return version;
    }

    /** multiprocessing's start method of the peer's pools (fork, forkserver or spawn). */
    String startMethod() {
        return startMethod;
    }

    /** Seconds from {@code ProcessPoolExecutor(max_workers=workers)} to the first {@code submit(one).result()}. */
    double startupSeconds(int workers) throws IOException {
        return ask("startup " + workers);
    }

    /** Seconds of {@code Pool(2).imap(double, numbers(items), chunksize=chunk)}, consumed and summed. */
    double imapSeconds(long items, int chunk) throws IOException {
        return ask("imap " + items + " " + chunk);
    }

    /** Seconds of bench_primes' job (primes below 3,000,000 in 64 ranges) on {@code Pool(workers)}. */
    double primesSeconds(int workers) throws IOException {
        return ask("primes " + workers);
    }

    private double ask(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        String answer = readLine();
        Matcher m = SECONDS.matcher(answer);
        if (!m.find()) {
            throw new IOException("python peer answered '" + answer + "' to '" + command + "'");
        }
        return Double.parseDouble(m.group(1));
    }

    private String readLine() throws IOException {
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("the python peer ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        return line;
    }

    @Override
    public void close() throws Exception {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // it ended already
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
