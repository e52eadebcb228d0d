package dev.ringfork.ipc.function;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that is {@link Serializable}, so it can be shipped to a worker JVM; a lambda passed
 * where one is expected is serializable automatically.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {
}
