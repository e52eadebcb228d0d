package dev.ringfork.ipc.cluster;

/**
 * An operation on a cluster structure was sent, and the member that was to apply it died or lost its connection
 * before it answered: it may have been applied or not, and it was not repeated (Ringfork's clients never resend
 * what may have been applied, so that an increment or a put is never done twice). Read the state and decide; the
 * next call goes to the member that took over.
 */
public final class ClusterOutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
