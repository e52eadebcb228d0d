package dev.ringfork.ipc;

import java.util.OptionalInt;

/**
 * A worker JVM ended while it was running a task, e.g. {@code worker 2 (pid 4711) died (exit code 137:
 * killed by signal 9, SIGKILL) while running this task; it was retried 1 time}. A worker dies when the
 * task calls {@code System.exit} or {@code Runtime.halt}, runs out of memory, crashes in native code,
 * or is killed.
 */
public final class WorkerDiedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int workerIndex;
    private final long pid;
    private final int exitCode;
    private final int retries;

    /**
     * Worker number {@code workerIndex} (process {@code pid}) ended with {@code exitCode} (negative if
     * unknown) while running the task, which had been retried {@code retries} times.
     */
    public WorkerDiedException(int workerIndex, long pid, int exitCode, int retries) {
        super(message(workerIndex, pid, exitCode, retries));
        this.workerIndex = workerIndex;
        this.pid = pid;
        this.exitCode = exitCode;
        this.retries = retries;
    }

    /** The worker's number in its pool. */
    public int workerIndex() {
        return workerIndex;
    }

    /** The worker's process id. */
    public long pid() {
        return pid;
    }

    /** The worker's exit code (128 + n when it was killed by signal n), or a negative number if unknown. */
    public int exitCode() {
        return exitCode;
    }

    /** The signal that killed the worker, if its exit code says so (above 128 on Linux and macOS). */
    public OptionalInt signal() {
        return signalOf(exitCode);
    }

    /** How many times the task was retried on a fresh worker before this failure. */
    public int retries() {
        return retries;
    }

    private static OptionalInt signalOf(int exitCode) {
        return exitCode > 128 && exitCode < 128 + 65 ? OptionalInt.of(exitCode - 128) : OptionalInt.empty();
    }

    private static String message(int workerIndex, long pid, int exitCode, int retries) {
        StringBuilder out = new StringBuilder("worker ").append(workerIndex).append(" (pid ").append(pid)
                .append(") died (");
        if (exitCode < 0) {
            out.append("exit code unknown");
        } else {
            out.append("exit code ").append(exitCode);
            OptionalInt signal = signalOf(exitCode);
            if (signal.isPresent()) {
                out.append(": killed by signal ").append(signal.getAsInt()).append(signalName(signal.getAsInt()));
            }
        }
        return out.append(") while running this task; it was retried ").append(retries)
                .append(retries == 1 ? " time" : " times").toString();
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> ", SIGHUP";
            case 2 -> ", SIGINT";
            case 3 -> ", SIGQUIT";
            case 4 -> ", SIGILL";
            case 6 -> ", SIGABRT";
            case 7 -> ", SIGBUS";
            case 8 -> ", SIGFPE";
            case 9 -> ", SIGKILL (perhaps the out-of-memory killer)";
            case 11 -> ", SIGSEGV";
            case 13 -> ", SIGPIPE";
            case 15 -> ", SIGTERM";
            default -> "";
        };
    }
}
