package dev.ringfork.ipc.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;

/**
 * Carries a task from the parent to the child: Java serialisation in the parent, written to the child's
 * standard input by a daemon thread (so its size is not limited by the command line or the pipe buffer),
 * read to the end and deserialised by {@link ChildLauncher}.
 */
public final class TaskTransfer {

    private TaskTransfer() {
    }

    /**
     * The serialised task.
     *
     * @throws IllegalArgumentException naming the task's class and the class that cannot be serialised
     */
    public static byte[] toBytes(Serializable task) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(task);
        } catch (NotSerializableException e) {
            String culprit = e.getMessage();
            throw new IllegalArgumentException("task " + task.getClass().getName() + " cannot be sent to a child JVM:"
                    + " it holds a " + culprit + ", which is not Serializable. Make " + culprit + " Serializable,"
                    + " mark the field that holds it transient, or capture only serializable values; a captured"
                    + " lambda must itself be declared with a serializable type such as SerializableRunnable.", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("task " + task.getClass().getName() + " cannot be serialised: " + e
                    + ". Make everything it holds Serializable.", e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code task} to {@code stdin} on a daemon thread, then closes it; a child that died early is ignored. */
    public static void send(byte[] task, OutputStream stdin, String threadName) {
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            try (stdin) {
                stdin.write(task);
            } catch (IOException e) {
                // The child went away before reading its task: its exit code and stderr tell why.
            }
        });
    }

    /** Reads {@code in} to its end and deserialises the task in it. */
    static Runnable read(InputStream in) throws IOException, ClassNotFoundException {
        byte[] bytes = in.readAllBytes();
        try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            Object task = objects.readObject();
            if (!(task instanceof Runnable runnable)) {
                throw new IOException("the parent sent a " + (task == null ? "null" : task.getClass().getName())
                        + ", not a Runnable");
            }
            return runnable;
        }
    }
}
