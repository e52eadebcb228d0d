package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.Await;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.ipc.channel.SharedQueueProcessTest.parse;
import static dev.ringfork.ipc.channel.SharedQueueProcessTest.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JoinableQueue between child JVMs: join sees every task done across processes, and a consumer killed
 * while holding items makes a running join end with the dead process named.
 */
class JoinableQueueProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** A dead holder must be noticed within about 200 ms; this bound leaves room for a busy machine. */
    private static final Duration NOTICED = Duration.ofSeconds(5);
    private static final int PER_PRODUCER = 3_000;

    @TempDir
    Path temp;

    private RegionOptions options() {
        return RegionOptions.defaults().withDirectory(temp).withSize(2 << 20);
    }

    static JoinableQueue<String> jobs(SharedRegion region) {
        return JoinableQueue.open(region, "jobs", Codec.string(), QueueOptions.defaults().withCapacity(16 << 10));
    }

    @Test
    void joinReturnsOnceConsumerJvmsMarkedEveryItemOfProducerJvmsDone() throws Exception {
        try (SharedRegion region = SharedRegion.create("jq", options())) {
            JoinableQueue<String> queue = jobs(region);
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int c = 0; c < 2; c++) {
                    children.add(ChildJvm.start(Worker.class, temp.toString(), Integer.toString(c)));
                }
                List<ChildJvm> producers = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    producers.add(ChildJvm.start(Producer.class, temp.toString(), Integer.toString(p)));
                }
                children.addAll(producers);
                for (ChildJvm producer : producers) {
                    producer.awaitSuccess(DEADLINE); // every put returned, so every item is counted
                }
                assertTrue(queue.join(DEADLINE.toSeconds(), TimeUnit.SECONDS), "join: every item done");
                assertEquals(0, queue.unfinishedTasks());
                queue.close(); // the workers see the end of the stream and exit
                for (ChildJvm child : children) {
                    child.awaitSuccess(DEADLINE);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            Set<String> done = new HashSet<>();
            for (int c = 0; c < 2; c++) {
                for (String line : Files.readAllLines(temp.resolve("done-" + c), StandardCharsets.UTF_8)) {
                    parse(line);
                    assertTrue(done.add(line), "done twice: " + line);
                }
            }
            assertEquals(2 * PER_PRODUCER, done.size(), "every item done exactly once");
            assertEquals(0, queue.lostTasks());
        }
    }

    @Test
    void aConsumerKilledWhileHoldingItemsEndsARunningJoinNamingIt() throws Exception {
        try (SharedRegion region = SharedRegion.create("jq", options())) {
            JoinableQueue<String> queue = jobs(region);
            for (int i = 0; i < 5; i++) {
                queue.put(payload(0, i));
            }
            try (ChildJvm holder = ChildJvm.start(TakeAndHang.class, temp.toString(), "3")) {
                holder.awaitLine("HOLDING", DEADLINE);
                CompletableFuture<Boolean> join = Await.inThread(() -> queue.join(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                assertThrows(java.util.concurrent.TimeoutException.class, () -> join.get(300, TimeUnit.MILLISECONDS),
                        "join waits while the holder lives");
                holder.kill();
                Throwable failure;
                try {
                    join.get(NOTICED.toMillis(), TimeUnit.MILLISECONDS);
                    throw new AssertionError("join returned although 3 items were never done");
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                ConsumerDiedException died = assertInstanceOf(failure);
                assertEquals(holder.pid(), died.pid(), died.getMessage());
                assertEquals(3, died.itemsHeld());
                assertTrue(died.getMessage().contains("pid " + holder.pid()), died.getMessage());
            }
            assertEquals(3, queue.lostTasks());
            assertEquals(2, queue.unfinishedTasks(), "the two items nobody took are still unfinished");
            assertFalse(queue.join(100, TimeUnit.MILLISECONDS), "a later join waits for the rest, reporting nothing again");
            for (int i = 3; i < 5; i++) {
                assertEquals(payload(0, i), queue.take());
                queue.taskDone();
            }
            assertTrue(queue.join(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void aJoinStartedAfterTheHolderDiedReportsItWithinItsTimeout() throws Exception {
        try (SharedRegion region = SharedRegion.create("jq", options())) {
            JoinableQueue<String> queue = jobs(region);
            queue.put(payload(0, 0));
            try (ChildJvm holder = ChildJvm.start(TakeAndHang.class, temp.toString(), "1")) {
                holder.awaitLine("HOLDING", DEADLINE);
                holder.kill();
                ConsumerDiedException died = assertThrows(ConsumerDiedException.class,
                        () -> queue.join(NOTICED.toSeconds(), TimeUnit.SECONDS));
                assertEquals(holder.pid(), died.pid());
                assertEquals(1, died.itemsHeld());
            }
            assertTrue(queue.join(0, TimeUnit.SECONDS), "the written-off item no longer counts");
        }
    }

    private static ConsumerDiedException assertInstanceOf(Throwable t) {
        if (t instanceof ConsumerDiedException died) {
            return died;
        }
        throw new AssertionError("expected ConsumerDiedException, got " + t, t);
    }

    /** Child: puts PER_PRODUCER self-checking items. */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            int id = Integer.parseInt(args[1]);
            try (SharedRegion region = SharedRegion.open("jq", ChildSupport.options(args[0]))) {
                JoinableQueue<String> queue = jobs(region);
                for (int i = 0; i < PER_PRODUCER; i++) {
                    if (!queue.offer(payload(id, i), 60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no room for 60 s at item " + i);
                    }
                }
            }
        }
    }

    /** Child: takes until the end of the stream, checks each item, records it, then marks it done. */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            try (SharedRegion region = SharedRegion.open("jq", ChildSupport.options(args[0]));
                 BufferedWriter out = Files.newBufferedWriter(Path.of(args[0], "done-" + args[1]), StandardCharsets.UTF_8)) {
                JoinableQueue<String> queue = jobs(region);
                for (;;) {
                    String item;
                    try {
                        item = queue.take();
                    } catch (EndOfStreamException end) {
                        break;
                    }
                    parse(item);
                    out.write(item);
                    out.newLine();
                    out.flush(); // recorded before it is marked done: the parent reads the files after join
                    queue.taskDone();
                }
            }
        }
    }

    /** Child: takes n items, never marks them done, prints "HOLDING" and waits to be killed. */
    public static final class TakeAndHang {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            SharedRegion region = SharedRegion.open("jq", ChildSupport.options(args[0]));
            JoinableQueue<String> queue = jobs(region);
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                parse(queue.take());
            }
            System.out.println("HOLDING");
            System.out.flush();
            new CountDownLatch(1).await(); // until killed
        }
    }
}
