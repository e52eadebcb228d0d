package dev.ringfork.ipc.pool;

import java.util.Objects;

/**
 * A task failed in a worker JVM. The message reads like the remote exception's, plus where it happened:
 * {@code java.lang.ArithmeticException: / by zero (in worker pid 1234)}. The stack trace is the remote
 * one, and the remote causes are kept as a chain of {@code RemoteTaskException}s ({@link #getCause()}),
 * so the parent never needs the worker's exception classes.
 */
public final class RemoteTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long workerPid;
    private final String remoteClassName;
    private final String remoteMessage;

    /**
     * The failure of a task in worker {@code workerPid} with an exception of class {@code remoteClassName},
     * message {@code remoteMessage} (may be null) and stack trace {@code remoteTrace}, caused by
     * {@code cause} (may be null).
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage, long workerPid,
                               StackTraceElement[] remoteTrace, RemoteTaskException cause) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage) + " (in worker pid " + workerPid
                + ")", cause);
        this.workerPid = workerPid;
        this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
        this.remoteMessage = remoteMessage;
        setStackTrace(remoteTrace == null ? new StackTraceElement[0] : remoteTrace);
    }

    /** The process id of the worker the task failed in. */
    public long workerPid() {
        return workerPid;
    }

    /** The name of the remote exception's class, e.g. {@code java.lang.ArithmeticException}. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** The remote exception's message, or null if it had none. */
    public String remoteMessage() {
        return remoteMessage;
    }
}
