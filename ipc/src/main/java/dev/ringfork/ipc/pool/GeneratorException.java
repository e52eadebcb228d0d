package dev.ringfork.ipc.pool;

/**
 * The body of a {@link Generator} threw: the consumer gets this from {@code hasNext()} or {@code next()},
 * after every item the body yielded before it. {@link #getCause()} is what the body threw.
 */
public final class GeneratorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure of a generator's body with {@code cause}. */
    public GeneratorException(Throwable cause) {
        super("the generator's body threw " + cause + " (the items it yielded before that were delivered)", cause);
    }
}
