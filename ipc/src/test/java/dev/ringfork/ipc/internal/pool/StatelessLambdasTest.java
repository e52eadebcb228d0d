package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class StatelessLambdasTest {

    private static final ClassLoader LOADER = StatelessLambdasTest.class.getClassLoader();

    private static SerializableFunction<Integer, Integer> adding(int n) {
        return x -> x + n;
    }

    @Test
    void aLambdaThatCapturesNothingIsSerializedOnceAndSharedOnceDeserialized() {
        SerializableCallable<Integer> one = () -> 1;
        assertTrue(StatelessLambdas.isStateless(one.getClass()));
        byte[] first = TaskSerializer.serialize(one, "one");
        byte[] second = TaskSerializer.serialize(one, "one");
        assertArrayEquals(first, second);
        first[0] ^= 1; // a caller changing its copy changes nothing kept
        assertArrayEquals(second, TaskSerializer.serialize(one, "one"));
        Object a = TaskSerializer.deserialize(second, LOADER);
        Object b = TaskSerializer.deserialize(TaskSerializer.serialize(one, "one"), LOADER);
        assertSame(a, b);
    }

    @Test
    void aLambdaWithCapturedValuesIsDeserializedAfreshEachTime() throws Exception {
        SerializableFunction<Integer, Integer> addTwo = adding(2);
        assertFalse(StatelessLambdas.isStateless(addTwo.getClass()));
        byte[] bytes = TaskSerializer.serialize(addTwo, "addTwo");
        SerializableFunction<Integer, Integer> a = TaskSerializer.deserialize(bytes, LOADER);
        SerializableFunction<Integer, Integer> b = TaskSerializer.deserialize(bytes, LOADER);
        assertNotSame(a, b);
        assertEquals(5, a.apply(3));
        assertEquals(13, TaskSerializer.<SerializableFunction<Integer, Integer>>deserialize(
                TaskSerializer.serialize(adding(10), "addTen"), LOADER).apply(3));
    }

    @Test
    void ordinaryClassesAreNeverShared() {
        assertFalse(StatelessLambdas.isStateless(String.class));
        assertFalse(StatelessLambdas.isStateless(TaskSerializerTest.PlainTask.class));
    }
}
