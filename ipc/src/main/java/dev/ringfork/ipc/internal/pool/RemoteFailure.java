package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.RemoteTaskException;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A task's exception as a worker sends it to the parent: only names, messages and stack frames, so the
 * parent needs none of the worker's exception classes (and an exception that is not serializable still
 * travels). The parent turns it into a {@link RemoteTaskException} with {@link #toException}.
 *
 * @param className  the exception's class name
 * @param message    its message, or null
 * @param stackTrace its stack frames
 * @param cause      its cause, or null (also when the chain was cut: a cycle, or deeper than {@link #MAX_DEPTH})
 * @param suppressed its suppressed exceptions (at most {@link #MAX_SUPPRESSED} each)
 */
public record RemoteFailure(String className, String message, StackTraceElement[] stackTrace, RemoteFailure cause,
                            List<RemoteFailure> suppressed) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    /** How many causes deep a failure is kept. */
    public static final int MAX_DEPTH = 20;
    /** How many suppressed exceptions of one exception are kept. */
    public static final int MAX_SUPPRESSED = 8;
    /** How many exceptions one failure holds at most, causes and suppressed together. */
    public static final int MAX_EXCEPTIONS = 64;

    /** Checks the class name, and copies the frames and the suppressed list. */
    public RemoteFailure {
        Objects.requireNonNull(className, "className");
        stackTrace = stackTrace == null ? new StackTraceElement[0] : stackTrace.clone();
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
    }

    /**
     * The failure {@code thrown} describes, with its causes and suppressed exceptions; a cause that points
     * back into the chain, or lies deeper than {@link #MAX_DEPTH}, is left out.
     */
    public static RemoteFailure of(Throwable thrown) {
        Objects.requireNonNull(thrown, "thrown");
        return convert(thrown, Collections.newSetFromMap(new IdentityHashMap<>()), 0, new int[] {MAX_EXCEPTIONS});
    }

    /** The exception for the parent: this failure, from worker {@code workerPid}, with its causes and suppressed. */
    public RemoteTaskException toException(long workerPid) {
        RemoteTaskException exception = new RemoteTaskException(className, message, workerPid, stackTrace,
                cause == null ? null : cause.toException(workerPid));
        for (RemoteFailure other : suppressed) {
            exception.addSuppressed(other.toException(workerPid));
        }
        return exception;
    }

    /** A copy of the stack frames. */
    @Override
    public StackTraceElement[] stackTrace() {
        return stackTrace.clone();
    }

    @Override
    public String toString() {
        return message == null ? className : className + ": " + message;
    }

    private static RemoteFailure convert(Throwable thrown, Set<Throwable> seen, int depth, int[] budget) {
        seen.add(thrown);
        budget[0]--;
        String message;
        try {
            message = thrown.getMessage();
        } catch (RuntimeException e) {
            message = "(its getMessage() threw " + e + ")";
        }
        Throwable next = thrown.getCause();
        RemoteFailure cause = next != null && !seen.contains(next) && depth < MAX_DEPTH && budget[0] > 0
                ? convert(next, seen, depth + 1, budget) : null;
        List<RemoteFailure> suppressed = new ArrayList<>();
        for (Throwable other : thrown.getSuppressed()) {
            if (suppressed.size() == MAX_SUPPRESSED || budget[0] <= 0 || depth >= MAX_DEPTH) {
                break;
            }
            if (!seen.contains(other)) {
                suppressed.add(convert(other, seen, depth + 1, budget));
            }
        }
        return new RemoteFailure(thrown.getClass().getName(), message, thrown.getStackTrace(), cause, suppressed);
    }
}
