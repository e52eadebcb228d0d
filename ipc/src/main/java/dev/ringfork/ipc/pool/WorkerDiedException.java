package dev.ringfork.ipc.pool;

import java.util.OptionalInt;

/**
 * A worker JVM ended while it was running a task, e.g. {@code worker 2 (pid 4711) died (exit code 137:
 * killed by signal 9, SIGKILL) while running this task; it was retried 1 time}. A worker dies when the
 * task calls {@code System.exit} or {@code Runtime.halt}, runs out of memory, crashes in native code,
 * or is killed. Workers run with {@code -XX:+ExitOnOutOfMemoryError}: one that ran out of heap exits
 * with code 3 after printing HotSpot's {@code Terminating due to java.lang.OutOfMemoryError} line, and
 * is reported as {@code exit code 3: OutOfMemoryError} ({@link #outOfMemory()}); a task's own
 * {@code System.exit(3)} prints no such line and is reported as plain {@code exit code 3}.
 */
public final class WorkerDiedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int workerIndex;
    private final long pid;
    private final int exitCode;
    private final int retries;
    private final boolean outOfMemory;

    /**
     * Worker number {@code workerIndex} (process {@code pid}) ended with {@code exitCode} (negative if
     * unknown) while running the task, which had been retried {@code retries} times.
     */
    public WorkerDiedException(int workerIndex, long pid, int exitCode, int retries) {
        this(workerIndex, pid, exitCode, retries, false);
    }

    /**
     * Like {@link #WorkerDiedException(int, long, int, int)}; {@code outOfMemory} says the worker ended
     * because it ran out of memory.
     */
    public WorkerDiedException(int workerIndex, long pid, int exitCode, int retries, boolean outOfMemory) {
        super(message(workerIndex, pid, exitCode, retries, outOfMemory));
        this.workerIndex = workerIndex;
        this.pid = pid;
        this.exitCode = exitCode;
        this.retries = retries;
        this.outOfMemory = outOfMemory;
    }

    /**
     * Work that had no worker left to run it, for a reason other than one worker's exit, e.g. a cluster pool's
     * host agent that left while holding it, or no host agent in the cluster: {@link #workerIndex()},
     * {@link #pid()} and {@link #exitCode()} are -1.
     */
    public WorkerDiedException(String message, int retries) {
        super(message);
        this.workerIndex = -1;
        this.pid = -1;
        this.exitCode = -1;
        this.retries = retries;
        this.outOfMemory = false;
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

    /** Whether the worker ended because it ran out of memory ({@code java.lang.OutOfMemoryError}). */
    public boolean outOfMemory() {
        return outOfMemory;
    }

    private static OptionalInt signalOf(int exitCode) {
        return exitCode > 128 && exitCode < 128 + 65 ? OptionalInt.of(exitCode - 128) : OptionalInt.empty();
    }

    private static String message(int workerIndex, long pid, int exitCode, int retries, boolean outOfMemory) {
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
        if (outOfMemory) {
            out.append(": OutOfMemoryError; give the workers more heap, e.g. builder.jvmOption(\"-Xmx2g\")");
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
