package dev.ringfork.ipc.cluster;

/**
 * The cluster could not be reached in time, or none of the members reached accepted the cluster's name:
 * the message says which, at which addresses, and what to check.
 */
public final class ClusterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
