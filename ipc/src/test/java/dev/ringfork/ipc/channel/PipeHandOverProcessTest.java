package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.testing.Await;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An end detached in one process and taken over by another (a child JVM): the stream goes on, whatever
 * the detaching process does with the end afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PipeHandOverProcessTest {

    private static final Duration STEP = Duration.ofSeconds(60);
    /** Generous bound on what should take well under a second. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private static Pipe<String> pipe(SharedRegion region) {
        return Pipe.open(region, "handover", Codec.string());
    }

    @Test
    void closingADetachedEndLeavesTheStreamToTheProcessThatTakesItOver() throws Exception {
        try (SharedRegion region = SharedRegion.create("p", RegionOptions.defaults().withDirectory(temp))) {
            Connection<String> peer = pipe(region).second();
            Connection<String> handedOver = pipe(region).first();
            try (Connection<String> end = handedOver) {
                end.send("from parent");
                end.detach();
            } // close() after detach(): a no-op
            peer.send("to child");
            try (ChildJvm child = ChildJvm.start(TakeOver.class, temp.toString())) {
                assertEquals("from parent", peer.recv(STEP.toSeconds(), TimeUnit.SECONDS));
                assertEquals("from child", peer.recv(STEP.toSeconds(), TimeUnit.SECONDS));
                child.awaitLine("CHILD_GOT to child", STEP);
                child.awaitSuccess(STEP);
            }
            assertThrows(EndOfStreamException.class, () -> peer.recv(STEP.toSeconds(), TimeUnit.SECONDS),
                    "the child closed the end it took over");
            assertFalse(handedOver.isClosed(), "close() on a detached end did nothing");
        }
    }

    @Test
    void detachStopsAReceiveBlockedInAnotherThreadSoOnlyTheSuccessorReads() throws Exception {
        try (SharedRegion region = SharedRegion.create("p", RegionOptions.defaults().withDirectory(temp))) {
            Connection<String> peer = pipe(region).second();
            Connection<String> end = pipe(region).first();
            SpscRing toEnd = SpscRing.open(region, "handover" + Pipe.B_TO_A, RingOptions.defaults().withCapacity(Pipe.DEFAULT_CAPACITY));
            CompletableFuture<String> blocked = Await.inThread(end::recv);
            awaitSleepingConsumer(toEnd);
            end.detach();
            Throwable stopped = outcome(blocked, "the receive blocked in another thread when the end was detached");
            assertInstanceOf(IllegalStateException.class, stopped, "it ends saying the end was detached");
            assertTrue(stopped.getMessage().contains("detached"), stopped.getMessage());

            try (ChildJvm child = ChildJvm.start(TakeOver.class, temp.toString())) {
                assertEquals("from child", peer.recv(STEP.toSeconds(), TimeUnit.SECONDS));
                peer.send("to child");
                child.awaitLine("CHILD_GOT to child", STEP);
                child.awaitSuccess(STEP);
            }
        }
    }

    /** Waits (bounded) until a thread sleeps in a read of {@code ring}: then it holds the end's receive turn. */
    private static void awaitSleepingConsumer(SpscRing ring) {
        Await.until(() -> ring.sleepingConsumers() != 0, BOUND, "no thread went to sleep in recv()");
    }

    /** What {@code call} threw, within {@link #BOUND}; fails if it returned or is still blocked. */
    private static Throwable outcome(CompletableFuture<String> call, String what) throws InterruptedException {
        try {
            String value = call.get(BOUND.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError(what + " returned '" + value + "' instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was still blocked " + BOUND + " after detach()");
        }
    }

    /** Child: takes the first end over, sends "from child", prints what it receives, and closes the end. */
    public static final class TakeOver {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(STEP);
            try (SharedRegion region = SharedRegion.open("p", ChildSupport.options(args[0]));
                 Connection<String> end = pipe(region).first()) {
                end.send("from child");
                System.out.println("CHILD_GOT " + end.recv(STEP.toSeconds(), TimeUnit.SECONDS));
                System.out.flush();
            }
        }
    }
}
