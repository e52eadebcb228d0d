package dev.ringfork.ipc.function;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that is {@link Serializable}, so it can be shipped to a worker JVM; a lambda passed
 * where one is expected is serializable automatically.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
