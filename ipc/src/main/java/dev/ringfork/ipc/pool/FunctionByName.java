package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableFunction;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A function shipped by class name instead of by serialization: only the name travels; each worker JVM
 * makes one instance of the class (public, with a public no-argument constructor, implementing
 * {@link Function}) on first use and reuses it. For functions that are not serializable, or heavy to
 * build (a parser, a model), or defined outside lambdas. Get one with {@link ProcessPool#byClassName}.
 *
 * @param className the binary name of a class implementing {@code Function<T, R>}
 */
record FunctionByName<T, R>(String className) implements SerializableFunction<T, R> {

    /** One instance per class and JVM. */
    private static final Map<String, Function<?, ?>> INSTANCES = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public R apply(T item) {
        return ((Function<T, R>) INSTANCES.computeIfAbsent(className, FunctionByName::instantiate)).apply(item);
    }

    /** Makes the instance, or explains why it cannot be made. */
    static Function<?, ?> instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : FunctionByName.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("function class " + className + " is not on the class path of this JVM", e);
        }
        if (!Function.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("function class " + className + " does not implement java.util.function.Function");
        }
        try {
            return (Function<?, ?>) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("function class " + className
                    + " needs to be public with a public no-argument constructor", e);
        } catch (InstantiationException | InvocationTargetException e) {
            throw new IllegalArgumentException("function class " + className + " could not be instantiated: " + e.getCause(), e);
        }
    }
}
