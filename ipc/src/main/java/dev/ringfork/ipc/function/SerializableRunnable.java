package dev.ringfork.ipc.function;

import dev.ringfork.ipc.process.JvmProcess;
import dev.ringfork.ipc.process.JvmProcessBuilder;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to another JVM: the entry point of a {@link JvmProcess} started with
 * {@link JvmProcessBuilder#task}. A lambda or method reference declared with this type is serializable
 * as long as everything it captures is; the class that declares it must be on the child's class path
 * (it is, for a child started by {@link JvmProcess}).
 * <pre>{@code
 * String greeting = "hello";
 * SerializableRunnable task = () -> System.out.println(greeting + " from " + ProcessHandle.current().pid());
 * }</pre>
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
