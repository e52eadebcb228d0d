package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.pool.TaskNotSerializableException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Objects;

/**
 * Ships functions and tasks to workers by Java serialization, once per pool call (a lambda that captures
 * nothing once per class: {@link StatelessLambdas}), and explains in one
 * message why one cannot be shipped.
 */
public final class TaskSerializer {

    private static final String LAMBDA_MARK = "$$Lambda";
    private static final String LAMBDA_FIX = "lambdas must be declared as SerializableFunction, SerializableCallable"
            + " (or another dev.ringfork.ipc.Serializable* interface), or cast to (Function<T, R> & Serializable)";

    private TaskSerializer() {
    }

    /**
     * The serialized form of {@code task}.
     *
     * @param what what the task is, for the message, e.g. {@code "the function passed to imap"}
     * @throws TaskNotSerializableException if {@code task} or something it refers to is not
     *         {@link Serializable}, or its serialization fails otherwise
     */
    public static byte[] serialize(Object task, String what) {
        Objects.requireNonNull(task, () -> (what == null ? "the task" : what) + " is null");
        String subject = (what == null ? "the task" : what) + " (" + describe(task.getClass().getName()) + ")";
        if (!(task instanceof Serializable)) {
            throw new TaskNotSerializableException(subject + " cannot be sent to a worker: its class "
                    + task.getClass().getName() + " does not implement java.io.Serializable. "
                    + fixFor(task.getClass()), null);
        }
        boolean stateless = StatelessLambdas.isStateless(task.getClass());
        byte[] known = stateless ? StatelessLambdas.bytesOf(task.getClass()) : null;
        if (known != null) {
            return known.clone();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(task);
        } catch (NotSerializableException e) {
            throw new TaskNotSerializableException(notSerializable(subject, task.getClass(), e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            throw new TaskNotSerializableException(subject + " cannot be sent to a worker: serializing it failed with "
                    + e + ". Capture only values that serialize, or fix the writeObject/writeReplace that threw", e);
        }
        byte[] serialized = bytes.toByteArray();
        if (stateless) {
            StatelessLambdas.rememberBytes(task.getClass(), serialized.clone());
        }
        return serialized;
    }

    /**
     * The task in {@code bytes}, its classes resolved with {@code loader} first.
     *
     * @throws CodecException if the bytes cannot be deserialized (e.g. a class is missing from the worker's
     *         class path)
     */
    @SuppressWarnings("unchecked")
    public static <T> T deserialize(byte[] bytes, ClassLoader loader) {
        Object known = StatelessLambdas.instanceOf(bytes, loader);
        if (known != null) {
            return (T) known;
        }
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            Object task = in.readObject();
            StatelessLambdas.rememberInstance(bytes, loader, task);
            return (T) task;
        } catch (ClassNotFoundException e) {
            throw new CodecException("cannot deserialize a task of " + bytes.length + " bytes: class "
                    + e.getMessage() + " is not found; the worker's class path must hold the task's classes", e);
        } catch (InvalidClassException e) {
            throw new CodecException("cannot deserialize a task of " + bytes.length + " bytes: " + e
                    + "; the worker must run the same version of the task's classes as the parent", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot deserialize a task of " + bytes.length + " bytes: " + e, e);
        }
    }

    /**
     * A class name for people: {@code "a lambda defined in com.example.Foo"} for a lambda's synthetic class
     * {@code com.example.Foo$$Lambda/0x...}, else {@code "a com.example.Foo"}.
     */
    static String describe(String className) {
        int mark = className.indexOf(LAMBDA_MARK);
        return mark > 0 ? "a lambda defined in " + className.substring(0, mark) : "a " + className;
    }

    private static String notSerializable(String subject, Class<?> taskClass, String offending) {
        StringBuilder message = new StringBuilder(subject).append(" cannot be sent to a worker: it refers to ")
                .append(describe(offending)).append(", which is not java.io.Serializable. ");
        String owner = definingClass(taskClass);
        if (offending.equals(owner)) {
            message.append("It uses a field or instance method of ").append(owner)
                    .append(", so it captures `this`: copy what it needs into a local variable first, or make ")
                    .append(owner).append(" Serializable. ");
        } else if (offending.contains(LAMBDA_MARK)) {
            message.append("It captures a lambda that is not serializable: ").append(LAMBDA_FIX).append(". ");
        }
        return message.append("Capture only Serializable values, or make ").append(offending)
                .append(" Serializable; ").append(LAMBDA_FIX).toString();
    }

    private static String fixFor(Class<?> taskClass) {
        if (taskClass.getName().contains(LAMBDA_MARK)) {
            return "Declare the lambda as a SerializableFunction, SerializableCallable (or another"
                    + " dev.ringfork.ipc.Serializable* interface), or cast it: (Function<T, R> & Serializable) x -> ...";
        }
        return "Make " + taskClass.getName() + " implement java.io.Serializable";
    }

    /** The class a lambda, anonymous or inner class is written in (whose {@code this} it may capture). */
    private static String definingClass(Class<?> taskClass) {
        String name = taskClass.getName();
        int mark = name.indexOf(LAMBDA_MARK);
        if (mark > 0) {
            return name.substring(0, mark);
        }
        Class<?> enclosing = taskClass.getEnclosingClass();
        return enclosing == null ? name : enclosing.getName();
    }
}
