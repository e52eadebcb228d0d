package dev.ringfork.ipc.channel;

/**
 * Receives the elements of one take from a {@link SharedQueue} or a {@link Connection} while the queue
 * or pipe still holds them: they are given back (forgotten) only after {@link #beforeRelease()} returns.
 * If this process dies before that, they are delivered again (to another taker, or to the next one that
 * opens the queue or pipe), so a handler that writes them somewhere durable in {@code beforeRelease}
 * loses none of them: it may see some of them twice.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface ElementHandler<T> {

    /**
     * One element, decoded. If it throws, the take ends: {@link #beforeRelease()} is still called for what
     * the handler saw, then this element and those before it in the take are forgotten and the exception
     * is rethrown; the rest stay. If {@code beforeRelease} throws too, the queue or pipe keeps them all. A
     * handler whose output failed can therefore just remember the failure and throw it from
     * {@code beforeRelease}.
     */
    void onElement(T element);

    /**
     * After the last element of the take, before they are given back: make them durable here (flush
     * them to a file or stream). If it throws, they are not given back and the next take delivers them
     * again. Does nothing by default.
     */
    default void beforeRelease() {
    }
}
