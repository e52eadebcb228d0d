package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.Await;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JoinableQueue in one process: counting, taskDone over-calls, join's wake-up and timeout, opening rules. */
class JoinableQueueTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path temp;
    SharedRegion region;

    @BeforeEach
    void createRegion() {
        region = SharedRegion.create("joinable", RegionOptions.defaults().withDirectory(temp).withSize(4 << 20));
    }

    @AfterEach
    void closeRegion() {
        region.close();
    }

    private JoinableQueue<String> queue(String name) {
        return JoinableQueue.open(region, name, Codec.string(), QueueOptions.defaults().withCapacity(1024));
    }

    @Test
    void everyPutCountsUntilItsTaskIsDoneAndJoinThenReturnsAtOnce() throws Exception {
        JoinableQueue<String> queue = queue("count");
        assertTrue(queue.join(0, TimeUnit.SECONDS), "nothing put: nothing to wait for");
        queue.put("a");
        assertTrue(queue.offer("b"));
        assertTrue(queue.offer("c", 1, TimeUnit.SECONDS));
        assertEquals(3, queue.unfinishedTasks());
        assertEquals("a", queue.take());
        assertEquals("b", queue.poll());
        List<String> rest = new ArrayList<>();
        assertEquals(1, queue.drainTo(rest));
        assertEquals(List.of("c"), rest);
        assertEquals(3, queue.unfinishedTasks(), "taking is not finishing");
        assertFalse(queue.join(20, TimeUnit.MILLISECONDS), "three unfinished: join times out");
        queue.taskDone();
        queue.taskDone();
        assertEquals(1, queue.unfinishedTasks());
        queue.taskDone();
        assertTrue(queue.join(0, TimeUnit.SECONDS));
        assertEquals(0, queue.lostTasks());
    }

    @Test
    void taskDoneMoreOftenThanItemsWerePutThrowsAndChangesNothing() throws Exception {
        JoinableQueue<String> queue = queue("over");
        IllegalStateException none = assertThrows(IllegalStateException.class, queue::taskDone);
        assertTrue(none.getMessage().contains("more times than there were items put"), none.getMessage());
        queue.put("x");
        assertEquals("x", queue.take());
        queue.taskDone();
        assertThrows(IllegalStateException.class, queue::taskDone);
        assertEquals(0, queue.unfinishedTasks());
        queue.put("y"); // the count still works after a refused over-call
        assertEquals(1, queue.unfinishedTasks());
    }

    @Test
    void aPutThatDidNotHappenIsNotCounted() throws Exception {
        JoinableQueue<String> queue = queue("full");
        String element = "x".repeat(100);
        int accepted = 0;
        while (queue.offer(element)) {
            accepted++;
        }
        assertEquals(accepted, queue.unfinishedTasks(), "the refused offer is not counted");
        assertFalse(queue.offer(element, 10, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, () -> queue.add(element));
        assertThrows(NullPointerException.class, () -> queue.put(null));
        assertEquals(accepted, queue.unfinishedTasks());
        queue.clear(); // dropped elements count as done
        assertEquals(0, queue.unfinishedTasks());
        assertTrue(queue.join(0, TimeUnit.SECONDS));
    }

    @Test
    void joinInAnotherThreadWakesWhenTheLastTaskIsDone() throws Exception {
        JoinableQueue<String> queue = queue("wake");
        for (int i = 0; i < 5; i++) {
            queue.put("item-" + i);
        }
        CompletableFuture<Boolean> join = Await.inThread(() -> queue.join(WAIT_SECONDS, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            assertEquals("item-" + i, queue.take());
            assertFalse(join.isDone(), "join returned with " + queue.unfinishedTasks() + " unfinished");
            queue.taskDone();
        }
        assertTrue(join.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aSecondHandleSharesTheCount() throws Exception {
        JoinableQueue<String> first = queue("shared");
        JoinableQueue<String> second = queue("shared");
        first.put("one");
        assertEquals(1, second.unfinishedTasks());
        assertEquals("one", second.take());
        second.taskDone();
        assertTrue(first.join(0, TimeUnit.SECONDS));
    }

    @Test
    void aJoinableQueueAndAPlainQueueDoNotOpenEachOther() {
        queue("joinable");
        IllegalStateException plain = assertThrows(IllegalStateException.class,
                () -> SharedQueue.open(region, "joinable", Codec.string()));
        assertTrue(plain.getMessage().contains("JoinableQueue.open"), plain.getMessage());
        SharedQueue.open(region, "plain", Codec.string());
        IllegalStateException joinable = assertThrows(IllegalStateException.class, () -> queue("plain"));
        assertTrue(joinable.getMessage().contains("plain SharedQueue"), joinable.getMessage());
    }

    @Test
    void anInterruptEndsAWaitingJoin() throws Exception {
        JoinableQueue<String> queue = queue("interrupt");
        queue.put("never done");
        CompletableFuture<Thread> joiner = new CompletableFuture<>();
        CompletableFuture<Boolean> join = Await.inThread(() -> {
            joiner.complete(Thread.currentThread());
            return queue.join(WAIT_SECONDS, TimeUnit.SECONDS);
        });
        joiner.get(WAIT_SECONDS, TimeUnit.SECONDS).interrupt();
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> join.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof InterruptedException, "cause: " + failure.getCause());
    }
}
