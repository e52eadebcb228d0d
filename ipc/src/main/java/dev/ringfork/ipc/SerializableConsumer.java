package dev.ringfork.ipc;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A {@link Consumer} that is {@link Serializable}, so it can be shipped to a worker JVM; a lambda passed
 * where one is expected is serializable automatically.
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Consumer<T>, Serializable {
}
