package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.RemoteTaskException;
import dev.ringfork.ipc.pool.WorkerDiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class RemoteFailureTest {

    /** An exception that Java serialization cannot write: it holds a plain Object. */
    static final class UnshippableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object handle = new Object();

        UnshippableException(String message) {
            super(message);
        }
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** Ships {@code failure} as a worker would: serialized, and read back without the worker's classes. */
    private static RemoteFailure ship(RemoteFailure failure) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(failure)))) {
            return (RemoteFailure) in.readObject();
        }
    }

    private static int divide(int a, int b) {
        return a / b;
    }

    @Test
    void keepsClassMessageAndFrames() throws Exception {
        ArithmeticException thrown = assertThrows(ArithmeticException.class, () -> divide(1, 0));
        RemoteFailure failure = ship(RemoteFailure.of(thrown));
        assertEquals("java.lang.ArithmeticException", failure.className());
        assertEquals("/ by zero", failure.message());
        assertArrayEquals(thrown.getStackTrace(), failure.stackTrace());

        RemoteTaskException e = failure.toException(1234);
        assertEquals("java.lang.ArithmeticException: / by zero (in worker pid 1234)", e.getMessage());
        assertEquals(1234, e.workerPid());
        assertEquals("java.lang.ArithmeticException", e.remoteClassName());
        assertEquals("/ by zero", e.remoteMessage());
        assertArrayEquals(thrown.getStackTrace(), e.getStackTrace());
        assertEquals("divide", e.getStackTrace()[0].getMethodName());
        assertNull(e.getCause());
    }

    @Test
    void keepsTheCauseChainAndSuppressed() throws Exception {
        NullPointerException root = new NullPointerException();
        IOException middle = new IOException("disk", root);
        IllegalStateException top = new IllegalStateException("outer", middle);
        top.addSuppressed(new IllegalArgumentException("while closing"));

        RemoteTaskException e = ship(RemoteFailure.of(top)).toException(7);
        assertEquals("java.lang.IllegalStateException: outer (in worker pid 7)", e.getMessage());
        RemoteTaskException second = (RemoteTaskException) e.getCause();
        assertEquals("java.io.IOException", second.remoteClassName());
        assertEquals("disk", second.remoteMessage());
        assertArrayEquals(middle.getStackTrace(), second.getStackTrace());
        RemoteTaskException third = (RemoteTaskException) second.getCause();
        assertEquals("java.lang.NullPointerException (in worker pid 7)", third.getMessage());
        assertNull(third.remoteMessage());
        assertNull(third.getCause());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("java.lang.IllegalArgumentException", ((RemoteTaskException) e.getSuppressed()[0]).remoteClassName());

        StringWriter printed = new StringWriter();
        e.printStackTrace(new PrintWriter(printed));
        assertTrue(printed.toString().contains("Caused by: " + RemoteTaskException.class.getName()
                + ": java.io.IOException: disk (in worker pid 7)"), printed.toString());
    }

    @Test
    void anExceptionThatCannotBeSerializedStillTravels() throws Exception {
        UnshippableException thrown = new UnshippableException("no way");
        assertThrows(NotSerializableException.class, () -> serialize(thrown));
        RemoteTaskException e = ship(RemoteFailure.of(thrown)).toException(99);
        assertEquals(UnshippableException.class.getName() + ": no way (in worker pid 99)", e.getMessage());
        // and a class the parent cannot load at all: only its name travels
        RemoteFailure foreign = new RemoteFailure("com.example.worker.Secret", "hidden", thrown.getStackTrace(), null,
                null);
        assertEquals("com.example.worker.Secret", ship(foreign).toException(1).remoteClassName());
    }

    @Test
    void causeCyclesAreCut() throws Exception {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b");
        a.initCause(b);
        b.initCause(a);
        RemoteTaskException e = ship(RemoteFailure.of(a)).toException(1);
        assertEquals("b", ((RemoteTaskException) e.getCause()).remoteMessage());
        assertNull(e.getCause().getCause());

        IllegalStateException self = new IllegalStateException("self");
        self.addSuppressed(a);
        a.addSuppressed(self);
        assertEquals("self", RemoteFailure.of(self).toException(1).remoteMessage());
    }

    @Test
    void deepChainsAreCapped() {
        Throwable deepest = new RuntimeException("level 0");
        for (int i = 1; i < 500; i++) {
            deepest = new RuntimeException("level " + i, deepest);
        }
        Throwable e = RemoteFailure.of(deepest).toException(1);
        int depth = 1;
        while (e.getCause() != null) {
            e = e.getCause();
            depth++;
        }
        assertEquals(RemoteFailure.MAX_DEPTH + 1, depth);
    }

    @Test
    void aThrowingGetMessageIsSurvived() {
        RuntimeException odd = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new UnsupportedOperationException("nope");
            }
        };
        assertTrue(RemoteFailure.of(odd).message().contains("getMessage() threw"));
    }

    @Test
    void workerDiedNamesTheWorkerTheExitAndTheRetries() {
        WorkerDiedException killed = new WorkerDiedException(2, 4711, 137, 1);
        assertEquals("worker 2 (pid 4711) died (exit code 137: killed by signal 9, SIGKILL (perhaps the out-of-memory"
                + " killer)) while running this task; it was retried 1 time", killed.getMessage());
        assertEquals(2, killed.workerIndex());
        assertEquals(4711, killed.pid());
        assertEquals(137, killed.exitCode());
        assertEquals(1, killed.retries());
        assertEquals(OptionalInt.of(9), killed.signal());

        WorkerDiedException exited = new WorkerDiedException(0, 12, 3, 0);
        assertEquals("worker 0 (pid 12) died (exit code 3) while running this task; it was retried 0 times",
                exited.getMessage());
        assertEquals(OptionalInt.empty(), exited.signal());
        assertFalse(exited.outOfMemory());
        assertTrue(new WorkerDiedException(1, 5, -1, 2).getMessage().contains("exit code unknown"));

        WorkerDiedException starved = new WorkerDiedException(0, 12, 3, 0, true);
        assertEquals("worker 0 (pid 12) died (exit code 3: OutOfMemoryError; give the workers more heap, e.g."
                + " builder.jvmOption(\"-Xmx2g\")) while running this task; it was retried 0 times", starved.getMessage());
        assertTrue(starved.outOfMemory());
    }

    @Test
    void remoteTaskExceptionDefaultsAndIdentity() {
        RemoteTaskException cause = new RemoteTaskException("x.Y", null, 3, null, null);
        RemoteTaskException e = new RemoteTaskException("a.B", "m", 3, new StackTraceElement[0], cause);
        assertSame(cause, e.getCause());
        assertEquals(0, cause.getStackTrace().length);
        assertEquals("x.Y (in worker pid 3)", cause.getMessage());
    }
}
