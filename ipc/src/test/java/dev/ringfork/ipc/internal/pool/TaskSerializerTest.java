package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.function.SerializableBiFunction;
import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableFunction;
import dev.ringfork.ipc.pool.TaskNotSerializableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class TaskSerializerTest {

    private static final ClassLoader LOADER = TaskSerializerTest.class.getClassLoader();
    private static final String LAMBDA_HERE = "a lambda defined in " + TaskSerializerTest.class.getName();

    /** Not serializable: what a careless task might capture. */
    static final class Connection {
    }

    static final class PlainTask implements Runnable {
        @Override
        public void run() {
        }
    }

    private int offset = 7; // not a constant: a lambda using it captures `this`

    private static <T> T roundTrip(Object task) {
        return TaskSerializer.deserialize(TaskSerializer.serialize(task, "the task"), LOADER);
    }

    private static void assertMentions(Throwable e, String... words) {
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), () -> "'" + word + "' is missing from: " + e.getMessage());
        }
    }

    @Test
    void serializableLambdaCapturingAStringRoundTripsAndRuns() {
        String prefix = "pre-";
        SerializableFunction<String, String> f = s -> prefix + s;
        SerializableFunction<String, String> back = roundTrip(f);
        assertEquals("pre-x", back.apply("x"));
    }

    @Test
    void methodReferencesAndTheOtherInterfacesRoundTrip() throws Exception {
        SerializableBiFunction<Integer, Integer, Integer> sum = Integer::sum;
        SerializableBiFunction<Integer, Integer, Integer> back = roundTrip(sum);
        assertEquals(5, back.apply(2, 3));
        List<Integer> captured = new ArrayList<>(List.of(1, 2));
        SerializableCallable<Integer> size = captured::size;
        assertEquals(2, TaskSerializer.<SerializableCallable<Integer>>deserialize(
                TaskSerializer.serialize(size, "the task passed to submit"), LOADER).call());
        Function<Integer, Integer> cast = (Function<Integer, Integer> & Serializable) x -> x * 2;
        assertEquals(8, TaskSerializerTest.<Function<Integer, Integer>>roundTrip(cast).apply(4));
    }

    @Test
    void aCapturedObjectIsNamed() {
        Object lock = new Object();
        SerializableFunction<Integer, Integer> f = x -> x + lock.hashCode();
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> TaskSerializer.serialize(f, "the function passed to imap"));
        assertMentions(e, "the function passed to imap", LAMBDA_HERE, "java.lang.Object", "not java.io.Serializable",
                "Capture only Serializable values", "SerializableFunction", "& Serializable");
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void aCapturedNonSerializableClassIsNamed() {
        Connection connection = new Connection();
        SerializableCallable<String> task = connection::toString;
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> TaskSerializer.serialize(task, "the task passed to submit"));
        assertMentions(e, "the task passed to submit", LAMBDA_HERE, Connection.class.getName(),
                "make " + Connection.class.getName() + " Serializable");
    }

    @Test
    void aPlainLambdaIsToldToBeDeclaredSerializable() {
        Function<Integer, Integer> plain = x -> x + 1;
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> TaskSerializer.serialize(plain, "the function passed to map"));
        assertMentions(e, "the function passed to map", LAMBDA_HERE, "does not implement java.io.Serializable",
                "SerializableFunction", "(Function<T, R> & Serializable)");
    }

    @Test
    void aLambdaUsingAFieldIsToldItCapturesThis() {
        SerializableFunction<Integer, Integer> usesField = x -> x + offset;
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> TaskSerializer.serialize(usesField, "the function passed to imap"));
        assertMentions(e, "captures `this`", "local variable", TaskSerializerTest.class.getName());
    }

    @Test
    void aCapturedPlainLambdaIsExplained() {
        Function<Integer, Integer> inner = x -> x + 1;
        SerializableFunction<Integer, Integer> outer = x -> inner.apply(x);
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> TaskSerializer.serialize(outer, "the function passed to imap"));
        assertMentions(e, "refers to " + LAMBDA_HERE, "captures a lambda that is not serializable");
    }

    @Test
    void aNonSerializableClassIsToldToImplementSerializable() {
        TaskNotSerializableException e = assertThrows(TaskNotSerializableException.class,
                () -> TaskSerializer.serialize(new PlainTask(), "the task passed to submit"));
        assertMentions(e, "a " + PlainTask.class.getName(), "Make " + PlainTask.class.getName()
                + " implement java.io.Serializable");
    }

    @Test
    void describeNamesTheClassThatDefinesALambda() {
        assertEquals("a lambda defined in com.example.Foo", TaskSerializer.describe("com.example.Foo$$Lambda/0x0000123"));
        assertEquals("a lambda defined in com.example.Foo$Inner",
                TaskSerializer.describe("com.example.Foo$Inner$$Lambda$14/0x01"));
        assertEquals("a com.example.Foo", TaskSerializer.describe("com.example.Foo"));
    }

    @Test
    void damagedBytesGiveACodecException() {
        byte[] bytes = TaskSerializer.serialize((SerializableFunction<Integer, Integer>) x -> x, "f");
        CodecException e = assertThrows(CodecException.class,
                () -> TaskSerializer.deserialize(java.util.Arrays.copyOf(bytes, bytes.length / 2), LOADER));
        assertMentions(e, "cannot deserialize a task of " + bytes.length / 2 + " bytes");
    }
}
