package dev.ringfork.ipc.pool;

/**
 * A function or task given to a pool cannot be sent to a worker JVM because Java serialization rejects
 * it. The message names what was passed, its class (for a lambda, the class that defines it), the class
 * that is not {@link java.io.Serializable}, and the fix.
 */
public final class TaskNotSerializableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The failure described by {@code message}, caused by {@code cause} (from serialization; may be null). */
    public TaskNotSerializableException(String message, Throwable cause) {
        super(message, cause);
    }
}
