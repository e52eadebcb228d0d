package dev.ringfork.ipc.pool;

import dev.ringfork.ipc.function.SerializableCallable;
import dev.ringfork.ipc.function.SerializableRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shape of task a Java user hands an executor runs in a worker JVM, not in this one: void and value
 * lambdas, static and bound method references, {@code execute}, and an {@link ExecutorCompletionService}
 * over the pool. {@code CompletableFuture.supplyAsync(supplier, pool)} cannot (the JDK wraps the supplier
 * in a task that is not serializable) and is refused with a message naming the fix.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessPoolTaskShapesTest {

    private static final long BOUND_SECONDS = FileGate.BOUND.toSeconds();
    private static ProcessPool pool;
    @TempDir
    static Path markers;

    @BeforeAll
    static void startPool() {
        pool = ProcessPool.builder().workers(2).jvmOption("-Dshapes.markers=" + markers).build();
        FileGate.awaitReady(pool);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    /** A void static method, for a method reference: marks the directory given to the workers. */
    static void markStatic() {
        FileGate.in(Path.of(System.getProperty("shapes.markers"))).mark("static-void-ref");
    }

    static long workerPid() {
        return ProcessHandle.current().pid();
    }

    /** A receiver for a bound method reference. */
    record Marker(FileGate gate, String name) implements Serializable {
        void markIt() {
            gate.mark(name);
        }
    }

    private static void assertRanInAWorker(long pid) {
        assertNotEquals(ProcessHandle.current().pid(), pid, "the task ran in the test JVM");
        assertTrue(pool.workerPids().contains(pid), "pid " + pid + " is not one of the workers " + pool.workerPids());
    }

    @Test
    void aVoidLambdaRunsInAWorker() throws Exception {
        FileGate gate = FileGate.in(markers);
        Future<?> done = pool.submit(() -> gate.mark("void-lambda"));
        assertNull(done.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertRanInAWorker(gate.pidIn("void-lambda"));
    }

    @Test
    void aValueLambdaRunsInAWorkerAndItsValueComesBack() throws Exception {
        Future<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
        assertRanInAWorker(pid.get(BOUND_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aStaticVoidMethodReferenceRunsInAWorker() throws Exception {
        pool.submit(ProcessPoolTaskShapesTest::markStatic).get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertRanInAWorker(FileGate.in(markers).pidIn("static-void-ref"));
    }

    @Test
    void aBoundVoidMethodReferenceRunsInAWorker() throws Exception {
        Marker marker = new Marker(FileGate.in(markers), "bound-void-ref");
        pool.submit(marker::markIt).get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertRanInAWorker(FileGate.in(markers).pidIn("bound-void-ref"));
    }

    @Test
    void aValueMethodReferenceRunsInAWorker() throws Exception {
        assertRanInAWorker(pool.submit(ProcessPoolTaskShapesTest::workerPid).get(BOUND_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aRunnableWithAResultGivesTheResult() throws Exception {
        FileGate gate = FileGate.in(markers);
        assertEquals("done", pool.submit(() -> gate.mark("runnable-result"), "done").get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertRanInAWorker(gate.pidIn("runnable-result"));
    }

    @Test
    void executeOfAVoidLambdaRunsInAWorker() {
        FileGate gate = FileGate.in(markers);
        pool.execute(() -> gate.mark("execute"));
        assertRanInAWorker(gate.pidIn("execute"));
    }

    @Test
    void anExecutorCompletionServiceRunsItsTasksInWorkersAndHandsThemOutAsTheyComplete() throws Exception {
        FileGate gate = FileGate.in(markers);
        ExecutorCompletionService<Long> completion = new ExecutorCompletionService<>(pool);
        Future<Long> slow = completion.submit((SerializableCallable<Long>) () -> {
            gate.mark("ecs-started");
            gate.await("ecs-release"); // held until the quick one came out of the queue
            return ProcessHandle.current().pid();
        });
        gate.await("ecs-started"); // so the quick one goes to the other worker
        Future<Long> quick = completion.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid());
        Future<Long> first = completion.poll(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(quick, first, "the task that finished first comes out first");
        assertRanInAWorker(first.get());
        gate.mark("ecs-release");
        assertEquals(slow, completion.poll(BOUND_SECONDS, TimeUnit.SECONDS));
        assertRanInAWorker(slow.get());
        assertNull(completion.poll(), "each task comes out once");
    }

    @Test
    void anExecutorCompletionServiceTakesRunnablesWithResults() throws Exception {
        FileGate gate = FileGate.in(markers);
        ExecutorCompletionService<String> completion = new ExecutorCompletionService<>(pool);
        completion.submit((SerializableRunnable) () -> gate.mark("ecs-runnable"), "ok");
        assertEquals("ok", completion.poll(BOUND_SECONDS, TimeUnit.SECONDS).get());
        assertRanInAWorker(gate.pidIn("ecs-runnable"));
    }

    @Test
    void anExecutorCompletionServiceHandsOutACancelledTask() throws Exception {
        FileGate gate = FileGate.in(markers);
        ExecutorCompletionService<String> completion = new ExecutorCompletionService<>(pool);
        Future<String> held = completion.submit((SerializableCallable<String>) () -> {
            gate.await("ecs-never");
            return "unreachable";
        });
        assertTrue(held.cancel(true));
        assertEquals(held, completion.poll(BOUND_SECONDS, TimeUnit.SECONDS), "a cancelled task is handed out too");
        assertTrue(held.isCancelled());
        gate.mark("ecs-never"); // lets the worker go on
    }

    @Test
    void anExecutorCompletionServiceGivenAPlainLambdaSaysHowToDeclareIt() {
        ExecutorCompletionService<Long> completion = new ExecutorCompletionService<>(pool);
        TaskNotSerializableException refused = assertThrows(TaskNotSerializableException.class,
                () -> completion.submit(() -> ProcessHandle.current().pid()));
        assertTrue(refused.getMessage().contains("(SerializableCallable<T>)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Futures.asCompleted"), refused.getMessage());
        assertNull(completion.poll(), "nothing was queued");
    }

    @Test
    void completableFutureSupplyAsyncWithThePoolIsRefusedWithTheFix() {
        Set<Long> ranHere = new HashSet<>();
        RejectedExecutionException refused = assertThrows(RejectedExecutionException.class,
                () -> CompletableFuture.supplyAsync(() -> ranHere.add(ProcessHandle.current().pid()), pool));
        assertTrue(refused.getMessage().contains("pool.supplyAsync"), refused.getMessage());
        assertEquals(Set.of(), ranHere, "the supplier ran in the test JVM");
    }

    @Test
    void aRunnableThatIsNotSerializableIsRefusedWithTheFix() {
        Object notSerializable = new Object();
        Runnable task = () -> notSerializable.hashCode();
        TaskNotSerializableException refused = assertThrows(TaskNotSerializableException.class, () -> pool.execute(task));
        assertInstanceOf(IllegalArgumentException.class, refused);
        assertTrue(refused.getMessage().contains("Serializable"), refused.getMessage());
    }
}
