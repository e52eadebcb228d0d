package dev.ringfork.ipc.process;

import dev.ringfork.ipc.function.SerializableRunnable;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A child JVM, like {@code multiprocessing.Process}: it runs a main class or a {@link SerializableRunnable}
 * with this JVM's {@code java} executable and class path (or module path), or a class path of its own
 * ({@link JvmProcessBuilder#classPath}).
 * <pre>{@code
 * JvmProcess worker = JvmProcess.builder()
 *         .mainClass(Worker.class, "--shard", "3")    // or .task(() -> crunch(shard))
 *         .heap("256m")
 *         .start();
 * int code = worker.join();                        // 0 once main returned and its threads ended
 * }</pre>
 *
 * <p><b>Lifetime:</b> a child never outlives its parent. A watchdog thread in the child looks every 100 ms
 * whether the JVM that started it is still alive; once it is gone (however it ended, SIGKILL included) the
 * child prints one line to stderr and halts with {@link #ORPHANED_EXIT_CODE} (86). So {@link #join()} the
 * processes whose work must finish before this JVM exits.
 *
 * <p><b>Exit codes:</b> what the child's {@code System.exit} passed; 0 when its entry point returned (and
 * its last non-daemon thread ended); 1 when the entry point threw (the stack trace goes to the child's
 * stderr) or could not be started; 3 when {@code -XX:+ExitOnOutOfMemoryError} ended it
 * ({@link #exitedOnOutOfMemoryError()} tells that from a {@code System.exit(3)}); 86 when it halted
 * because its parent was gone; {@code 128 +} the signal number when a signal ended it, so 143 after
 * {@link #terminate()} and 137 after {@link #kill()}.
 *
 * <p><b>In the child</b> the system properties {@value #NAME_PROPERTY} (the {@linkplain #name() name})
 * and {@value #PARENT_PID_PROPERTY} (the parent's pid) tell it who it is. Its standard input is empty;
 * its output goes where {@link OutputMode} says.
 *
 * <p>Thread-safe.
 */
public final class JvmProcess {

    /** System property in the child: its {@linkplain #name() name}. */
    public static final String NAME_PROPERTY = "ringfork.process.name";
    /** System property in the child: the pid of the JVM that started it. */
    public static final String PARENT_PID_PROPERTY = "ringfork.parent.pid";
    /**
     * Exit code of a child that halted because its parent was gone: 86, apart from 1 (an uncaught
     * exception), 2, 3 ({@code -XX:+ExitOnOutOfMemoryError}, as pool workers run) and {@code 128 +} a signal.
     */
    public static final int ORPHANED_EXIT_CODE = 86;

    /** How long {@link #join()} and {@link #onExit()} wait for the last output after the child ended. */
    private static final long DRAIN_GRACE_SECONDS = 5;

    /** Where a child's standard output and standard error go. */
    public enum OutputMode {
        /** Straight to this JVM's stdout and stderr (the same file descriptors), unmarked. */
        INHERIT,
        /**
         * Copied line by line to this JVM's {@code System.out} and {@code System.err}, each line prefixed
         * with {@code [name pid] }. The default.
         */
        PREFIXED,
        /** Kept, stdout and stderr merged and unchanged, for {@link JvmProcess#output()}. */
        CAPTURE
    }

    private final String name;
    private final Process process;
    private final OutputMode outputMode;
    private final StringBuffer captured;
    private final CompletableFuture<JvmProcess> exited;
    private final BooleanSupplier outOfMemoryExit;

    JvmProcess(String name, Process process, OutputMode outputMode, StringBuffer captured, CompletableFuture<Void> drained,
               BooleanSupplier outOfMemoryExit) {
        this.name = name;
        this.process = process;
        this.outputMode = outputMode;
        this.captured = captured;
        this.outOfMemoryExit = outOfMemoryExit;
        this.exited = process.onExit()
                .thenCompose(p -> drained.copy().completeOnTimeout(null, DRAIN_GRACE_SECONDS, TimeUnit.SECONDS))
                .thenApply(ignored -> this);
    }

    /** A builder for a new process: set the entry point, then {@link JvmProcessBuilder#start()}. */
    public static JvmProcessBuilder builder() {
        return new JvmProcessBuilder();
    }

    /** The child's pid. */
    public long pid() {
        return process.pid();
    }

    /** The name given to the builder, else the main class's simple name or {@code worker-N}. */
    public String name() {
        return name;
    }

    /** Where the child's output goes. */
    public OutputMode outputMode() {
        return outputMode;
    }

    /** True until the child has exited. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the child has exited and its output has been copied (up to 5 s more, in case a
     * grandchild keeps the pipe open), and returns its exit code.
     */
    public int join() throws InterruptedException {
        try {
            exited.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + this + " failed", e.getCause());
        }
        return process.exitValue();
    }

    /**
     * Like {@link #join()} with a deadline: true if the child exited and its output was copied within it,
     * false otherwise (the child is left running).
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exited.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for " + this + " failed", e.getCause());
        }
    }

    /** The exit code, or empty while the child runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Whether the child printed the line HotSpot prints when {@code -XX:+ExitOnOutOfMemoryError} ends a
     * JVM ({@code Terminating due to java.lang.OutOfMemoryError: ...}, then exit code 3): what tells an
     * out-of-memory exit from a {@code System.exit(3)}. Only output this JVM reads is seen
     * ({@link OutputMode#PREFIXED} and {@link OutputMode#CAPTURE}; always false with
     * {@link OutputMode#INHERIT}); final once {@link #join()} returned.
     */
    public boolean exitedOnOutOfMemoryError() {
        return outOfMemoryExit.getAsBoolean();
    }

    /** Asks the child to stop with SIGTERM: its shutdown hooks run, then it exits with 143. Does not wait. */
    public void terminate() {
        // Through the handle: Process.destroy() also closes our ends of the child's pipes, and whatever
        // its shutdown hooks print would be lost.
        process.toHandle().destroy();
    }

    /** Kills the child with SIGKILL: it ends at once with 137, no shutdown hooks. Does not wait. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * A future completed with this process once {@link #join()} would return. Dependent actions run on an
     * internal thread: keep them short.
     */
    public CompletableFuture<JvmProcess> onExit() {
        return exited.copy();
    }

    /**
     * Everything the child printed so far, stdout and stderr merged; complete after {@link #join()}.
     *
     * @throws IllegalStateException unless the process was started with {@link OutputMode#CAPTURE}
     */
    public String output() {
        if (captured == null) {
            throw new IllegalStateException("process '" + name + "' was started with OutputMode." + outputMode
                    + ", so its output went to this JVM's stdout and stderr; start it with output(OutputMode.CAPTURE)"
                    + " to keep it for output()");
        }
        return captured.toString();
    }

    @Override
    public String toString() {
        OptionalInt code = exitCode();
        return "JvmProcess[" + name + ", pid " + pid() + ", "
                + (code.isPresent() ? "exit code " + code.getAsInt() : "running") + "]";
    }
}
