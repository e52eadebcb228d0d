package dev.ringfork.ipc.function;

import java.io.Serializable;

/**
 * A function of three arguments that is {@link Serializable}, so it can be shipped to a worker JVM; a
 * lambda or method reference passed where one is expected is serializable automatically.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableTriFunction<A, B, C, R> extends Serializable {

    /** The result for the arguments {@code a}, {@code b} and {@code c}. */
    R apply(A a, B b, C c);
}
