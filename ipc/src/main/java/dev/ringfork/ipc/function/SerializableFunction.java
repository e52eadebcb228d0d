package dev.ringfork.ipc.function;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that is {@link Serializable}, so it can be shipped to a worker JVM; a lambda passed
 * where one is expected is serializable automatically.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
