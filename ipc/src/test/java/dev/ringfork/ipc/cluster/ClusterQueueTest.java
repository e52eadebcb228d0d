package dev.ringfork.ipc.cluster;

import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.ipc.channel.EndOfStreamException;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue across hosts: exactly once across JVMs, end of stream, back-pressure and interrupts, on two shared agents
 * (the SIGKILL of the agent that holds a queue is {@link ClusterFailoverTest}'s).
 */
class ClusterQueueTest extends SharedAgents {

    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void aHundredThousandMessagesFromOneJvmAreEachTakenOnceByTwoOthers() throws Exception {
        int count = 100_000;
        ClusterQueue<String> queue = ClusterQueue.open(cluster, "seq", Codec.string());
        Path childFile = dir.resolve("child.txt");
        try (ClientJvm taker = ClientJvm.start(members, "take", "seq", childFile.toString());
             ClientJvm putter = ClientJvm.start(members, "put", "seq", "0", Integer.toString(count))) {
            taker.await("READY", 120);
            putter.await("READY", 120);
            CompletableFuture<List<Long>> mine = CompletableFuture.supplyAsync(() -> takeAll(queue));
            putter.await("DONE", DEADLINE.toSeconds());
            taker.await("DONE", DEADLINE.toSeconds());
            List<Long> taken = new ArrayList<>(mine.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            int here = taken.size();
            Files.readAllLines(childFile).forEach(line -> taken.add(Long.parseLong(line)));
            BitSet seen = new BitSet(count);
            for (long n : taken) {
                assertFalse(seen.get((int) n), () -> "taken twice: " + n);
                seen.set((int) n);
            }
            assertEquals(count, taken.size(), "taken here " + here + ", by the child " + (taken.size() - here));
            assertEquals(count, seen.cardinality());
        }
    }

    private static List<Long> takeAll(ClusterQueue<String> queue) {
        List<Long> numbers = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        try {
            while (queue.drainTo(batch, 1000, 1, TimeUnit.MINUTES) >= 0) {
                batch.forEach(payload -> numbers.add(ClientMain.sequence(payload)));
                batch.clear();
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return numbers;
    }

    @Test
    void closeLetsTakersDrainThenEndsTheStreamAndRefusesPuts() throws Exception {
        ClusterQueue<String> queue = ClusterQueue.open(cluster, "ending", Codec.string());
        ClusterQueue<String> other = ClusterQueue.open(cluster, "ending", Codec.string());
        queue.putAll(List.of("a", "b", "c"));
        queue.put("d");
        assertFalse(other.isClosed());
        queue.close();
        assertTrue(other.isClosed());
        assertThrows(RingClosedException.class, () -> queue.put("late"));
        assertTimeoutPreemptively(DEADLINE, () -> {
            assertEquals("a", other.take());
            List<String> rest = new ArrayList<>();
            assertEquals(3, other.drainTo(rest, 10, 1, TimeUnit.MINUTES));
            assertEquals(List.of("b", "c", "d"), rest);
            assertThrows(EndOfStreamException.class, other::take);
            assertNull(other.poll(1, TimeUnit.MINUTES));
            assertEquals(-1, other.drainTo(rest, 10, 1, TimeUnit.MINUTES));
            assertNull(other.poll());
        });
    }

    @Test
    void aTakerWaitingOnAnotherHandleSeesTheEndOfTheStream() throws Exception {
        ClusterQueue<String> queue = ClusterQueue.open(cluster, "waiting", Codec.string());
        ClusterQueue<String> taker = ClusterQueue.open(cluster, "waiting", Codec.string());
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try {
                taker.take();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        queue.close();
        assertTrue(ended.get(DEADLINE.toSeconds(), TimeUnit.SECONDS) instanceof EndOfStreamException, () -> ended.join().toString());
    }

    @Test
    void aBoundedQueueAppliesBackPressure() throws Exception {
        ClusterQueue<String> queue = ClusterQueue.open(cluster, "bounded", Codec.string(), 3);
        queue.putAll(List.of("1", "2", "3"));
        assertEquals(0, queue.remainingCapacity());
        assertEquals(0, ClusterQueue.open(cluster, "bounded", Codec.string(), 50).remainingCapacity(),
                "a later opener attaches to the queue as it was made");
        assertFalse(queue.offer("4"));
        assertThrows(IllegalStateException.class, () -> queue.add("4"));
        assertThrows(IllegalStateException.class, () -> queue.addAll(List.of("4")));
        assertFalse(assertTimeoutPreemptively(DEADLINE, () -> queue.offer("4", 300, TimeUnit.MILLISECONDS)));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                queue.putAll(List.of("4", "5"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> taken = new ArrayList<>();
        assertTimeoutPreemptively(DEADLINE, () -> {
            while (taken.size() < 5) {
                queue.drainTo(taken, 5, 1, TimeUnit.MINUTES);
            }
            blocked.get();
        });
        assertEquals(List.of("1", "2", "3", "4", "5"), taken);
    }

    @Test
    void anInterruptedTakeReturnsAtOnceAndLosesNothing() throws Exception {
        ClusterQueue<String> queue = ClusterQueue.open(cluster, "interrupted", Codec.string());
        CompletableFuture<Thread> taker = new CompletableFuture<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            taker.complete(Thread.currentThread());
            try {
                outcome.complete(new AssertionError("took " + queue.take()));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        taker.get().interrupt();
        assertTrue(outcome.get(DEADLINE.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException, () -> outcome.join().toString());
        queue.put("kept");
        assertEquals("kept", assertTimeoutPreemptively(DEADLINE, () -> queue.poll(1, TimeUnit.MINUTES)));
    }

    @Test
    void namesAreCheckedAndElementsAreNotLookedAtInPlace() {
        assertThrows(IllegalArgumentException.class, () -> ClusterQueue.open(cluster, ".hidden", Codec.string()));
        assertThrows(IllegalArgumentException.class, () -> ClusterQueue.open(cluster, "a b", Codec.string()));
        ClusterQueue<String> queue = ClusterQueue.open(cluster, "plain", Codec.string());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, queue::peek);
        assertTrue(e.getMessage().contains("ClusterQueue 'plain' does not support peek()"), e.getMessage());
        assertThrows(NullPointerException.class, () -> queue.put(null));
        assertEquals(0, queue.size());
    }
}
