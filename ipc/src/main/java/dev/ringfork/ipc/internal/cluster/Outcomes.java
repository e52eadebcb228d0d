package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import dev.ringfork.core.sync.Deadline;
import dev.ringfork.ipc.cluster.ClusterOutcomeUnknownException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Turns the Hazelcast exceptions that leave an operation's outcome unknown (the connection to the member applying
 * it closed, or no answer came in time, after it was sent) into a {@link ClusterOutcomeUnknownException}. The client
 * runs with {@code redoOperation=false}: Hazelcast itself resends only what it knows was not applied (no connection
 * yet, a member that refused it during a migration) and read-only operations.
 */
public final class Outcomes {

    private static final int RETRY_SECONDS = 30;

    private Outcomes() {
    }

    /**
     * True if {@code e} is how the client reports that the calling thread was interrupted while it waited (a
     * HazelcastException caused by an InterruptedException).
     */
    public static boolean interrupted(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code operation}, which may be applied twice without harm (setting a value, closing a queue), again while
     * its outcome is unknown because a member left: for up to {@value #RETRY_SECONDS} s, 100 ms apart, while the
     * client learns who took over.
     */
    public static <T> T idempotent(Supplier<T> operation, String what) {
        long deadline = Deadline.after(RETRY_SECONDS, TimeUnit.SECONDS);
        for (;;) {
            try {
                return operation.get();
            } catch (TargetDisconnectedException | OperationTimeoutException e) {
                if (Deadline.passed(deadline, System.nanoTime())) {
                    throw of(e, what);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            } catch (RuntimeException e) {
                throw of(e, what);
            }
        }
    }

    /** {@code e} as the caller should see it; {@code what} is "counter 'hits': getAndAdd(1)". */
    public static RuntimeException of(RuntimeException e, String what) {
        if (e instanceof TargetDisconnectedException || e instanceof OperationTimeoutException) {
            return new ClusterOutcomeUnknownException(what + ": the member applying it left or lost its connection before it"
                    + " answered, so it may or may not have been applied (it was not sent again): read the state to know ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        return e;
    }
}
