package dev.ringfork.ipc.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a task does to its worker: a result that cannot be sent back fails that task only (the worker
 * lives on), and a worker that dies says why: out of memory, or an exit code of its own.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolWorkerFaultTest {

    /** One worker with a small heap, shared by the tests of this class; retries(0): each death is reported at once. */
    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.builder().workers(1).retries(0).jvmOption("-Xmx32m").build();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    /** A result that cannot be serialized. */
    static final class Opaque {
        final int value;

        Opaque(int value) {
            this.value = value;
        }
    }

    @Test
    void aResultThatIsNotSerializableFailsThatTaskAndTheWorkerLivesOn() throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pool.submit(() -> new Opaque(1)).get(60, TimeUnit.SECONDS));
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, failed.getCause());
        assertEquals("java.io.NotSerializableException", remote.remoteClassName());
        assertTrue(remote.getMessage().contains(Opaque.class.getName()), remote.getMessage());
        long next = pool.submit(() -> ProcessHandle.current().pid()).get(60, TimeUnit.SECONDS);
        assertEquals(remote.workerPid(), next, "the worker that could not send the result serves the next task");
    }

    @Test
    void inAMapOnlyTheItemsWhoseResultsCannotBeSentFail() {
        List<Object> got = new ArrayList<>();
        int failed = 0;
        try (PoolResults<Object> results = pool.imap(x -> x % 3 == 0 ? new Opaque(x) : (Object) x,
                IntStream.range(0, 30).boxed().toList(), 10)) {
            while (results.hasNext()) {
                try {
                    got.add(results.next());
                } catch (RemoteTaskException e) {
                    assertEquals("java.io.NotSerializableException", e.remoteClassName());
                    failed++;
                }
            }
        }
        assertEquals(10, failed, "0, 3, ..., 27 fail");
        assertEquals(IntStream.range(0, 30).filter(x -> x % 3 != 0).boxed().toList(), got, "the others arrive, in order");
    }

    @Test
    void aWorkerThatRunsOutOfMemoryIsReportedAsOutOfMemory() {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(() -> {
            List<byte[]> hog = new ArrayList<>();
            for (;;) {
                hog.add(new byte[1 << 20]);
            }
        }).get(60, TimeUnit.SECONDS));
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
        assertTrue(died.getMessage().contains("OutOfMemoryError"), died.getMessage());
        assertTrue(died.outOfMemory());
        assertEquals(3, died.exitCode());
    }

    @Test
    void aTaskThatCallsSystemExit3IsReportedAsThatExitNotAsOutOfMemory() {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.submit(() -> {
            System.exit(3);
            return 0;
        }).get(60, TimeUnit.SECONDS));
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
        assertEquals(3, died.exitCode());
        assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
        assertFalse(died.getMessage().contains("OutOfMemoryError"), died.getMessage());
        assertFalse(died.outOfMemory());
    }
}
