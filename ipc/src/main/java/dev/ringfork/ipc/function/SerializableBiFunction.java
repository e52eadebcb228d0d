package dev.ringfork.ipc.function;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that is {@link Serializable}, so it can be shipped to a worker JVM; a lambda or
 * method reference passed where one is expected is serializable automatically.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {
}
