package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipe whose other end's process is killed (SIGKILL, so it closes nothing): the survivor's receive,
 * poll and blocked send end within about a second with a clear exception naming the dead process, as
 * Python's EOFError and BrokenPipeError do; everything sent before the death is still received.
 */
class PipePeerDeathTest {

    static final Duration STEP = Duration.ofSeconds(60);
    /** A dead peer must be noticed within about a second; this bound leaves room for a busy machine. */
    static final Duration NOTICED = Duration.ofSeconds(5);
    static final int CAPACITY = 4096;

    @TempDir
    Path temp;

    interface Call<T> {
        T call() throws Exception;
    }

    /** Runs {@code call} on another thread; returns what it threw, failing if it returned or took longer than {@code limit}. */
    static Throwable throwsWithin(Duration limit, String what, Call<?> call) throws InterruptedException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            Object value = result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError(what + " returned " + value + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError(what + " was still blocked " + limit + " after the peer's death");
        }
    }

    private SharedRegion region() {
        return SharedRegion.create("p", RegionOptions.defaults().withDirectory(temp));
    }

    private static Pipe<Long> pipe(SharedRegion region) {
        return Pipe.open(region, "link", Codec.int64(), RingOptions.defaults().withCapacity(CAPACITY));
    }

    static void assertPeerDied(Throwable e, long pid) {
        assertEquals("PeerDiedException", e.getClass().getSimpleName(), "exception: " + e);
        assertTrue(String.valueOf(e.getMessage()).contains("pid " + pid), e.getMessage());
    }

    @RepeatedTest(3)
    void recvAfterTheSenderWasKilledGetsWhatWasSentThenPeerDied() throws Exception {
        try (SharedRegion region = region();
             ChildJvm child = ChildJvm.start(SendThenHang.class, temp.toString(), "3")) {
            Connection<Long> parent = pipe(region).first();
            child.awaitLine("SENT", STEP);
            child.kill();
            for (long i = 0; i < 3; i++) {
                assertEquals(i, parent.recv(STEP.toSeconds(), TimeUnit.SECONDS), "sent before the death");
            }
            assertPeerDied(throwsWithin(NOTICED, "recv() after the sender died", parent::recv), child.pid());
            assertPeerDied(throwsWithin(NOTICED, "poll(30 s) after the sender died", () -> parent.poll(30, TimeUnit.SECONDS)), child.pid());
        }
    }

    @RepeatedTest(3)
    void sendBlockedOnAFullRingWhoseReceiverDiedFails() throws Exception {
        try (SharedRegion region = region();
             ChildJvm child = ChildJvm.start(AttachAndHang.class, temp.toString())) {
            Connection<Long> parent = pipe(region).first();
            child.awaitLine("ATTACHED", STEP);
            Throwable failure = throwsWithin(STEP, "sending until the ring is full, then killing the receiver", () -> {
                for (long i = 0; ; i++) {
                    if (i == CAPACITY / 32) {
                        // Half full (the ring holds fewer than CAPACITY / 16 records of 16 bytes): the kill lands
                        // while we fill the rest or once we are blocked on the full ring.
                        Thread.ofPlatform().daemon().start(child::kill);
                    }
                    parent.send(i);
                }
            });
            assertEquals("BrokenPipeException", failure.getClass().getSimpleName(), "exception: " + failure);
            assertTrue(String.valueOf(failure.getMessage()).contains("pid " + child.pid()), failure.getMessage());
        }
    }

    /** A timed send waits its timeout while a live receiver does not read, and says nothing was sent. */
    @org.junit.jupiter.api.Test
    void aTimedSendToALiveReceiverThatDoesNotReadReturnsFalse() throws Exception {
        try (SharedRegion region = region();
             ChildJvm child = ChildJvm.start(AttachAndHang.class, temp.toString())) {
            Connection<Long> parent = pipe(region).first();
            child.awaitLine("ATTACHED", STEP);
            int sent = 0;
            while (parent.send((long) sent, 50, TimeUnit.MILLISECONDS)) {
                sent++;
            }
            assertTrue(sent > 0 && sent < CAPACITY / 8, "sent " + sent + " before the ring was full");
            assertEquals(false, parent.send(-1L, 300, TimeUnit.MILLISECONDS), "no room: false, nothing sent");
            assertEquals(false, parent.sendBytes(new byte[8], 10, TimeUnit.MILLISECONDS));
        }
    }

    /** A peer that detached and exited is not a death: the survivor waits (here, its timeout) for a new owner of that end. */
    @org.junit.jupiter.api.Test
    void aPeerThatDetachedBeforeExitingIsNotTakenForDead() throws Exception {
        try (SharedRegion region = region()) {
            Connection<Long> parent = pipe(region).first();
            try (ChildJvm child = ChildJvm.start(SendAndDetach.class, temp.toString())) {
                child.awaitSuccess(STEP);
            }
            assertEquals(7L, parent.recv(STEP.toSeconds(), TimeUnit.SECONDS));
            assertEquals(null, parent.recv(1500, TimeUnit.MILLISECONDS), "nothing more, and no death: a timeout");
            assertEquals(false, parent.poll(300, TimeUnit.MILLISECONDS));
            // A new process takes the end over and goes on.
            try (ChildJvm next = ChildJvm.start(SendAndDetach.class, temp.toString())) {
                next.awaitSuccess(STEP);
            }
            assertEquals(7L, parent.recv(STEP.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** An end held by a live process cannot be taken by another one. */
    @org.junit.jupiter.api.Test
    void anEndHeldByALiveProcessIsRefusedToAnother() throws Exception {
        try (SharedRegion region = region();
             ChildJvm child = ChildJvm.start(AttachAndHang.class, temp.toString())) {
            child.awaitLine("ATTACHED", STEP);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> pipe(region).second());
            assertTrue(e.getMessage().contains("in use by another live process") && e.getMessage().contains(Long.toString(child.pid())),
                    e.getMessage());
        }
    }

    /** Child: the second end; sends 7, detaches (the stream stays open) and exits. */
    public static final class SendAndDetach {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(STEP);
            try (SharedRegion region = SharedRegion.openOrCreate("p", ChildSupport.options(args[0]))) {
                Connection<Long> child = pipe(region).second();
                child.send(7L);
                child.detach();
            }
        }
    }

    /** Child: the second end; sends 0..n-1, prints "SENT", and waits to be killed. */
    public static final class SendThenHang {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(STEP);
            SharedRegion region = SharedRegion.openOrCreate("p", ChildSupport.options(args[0]));
            Connection<Long> child = pipe(region).second();
            for (long i = 0; i < Long.parseLong(args[1]); i++) {
                child.send(i);
            }
            System.out.println("SENT");
            System.out.flush();
            new CountDownLatch(1).await(); // until killed
        }
    }

    /** Child: takes the second end, never reads, and waits to be killed. */
    public static final class AttachAndHang {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(STEP);
            SharedRegion region = SharedRegion.openOrCreate("p", ChildSupport.options(args[0]));
            Connection<Long> child = pipe(region).second();
            child.poll(); // on versions that attach lazily: touch the receiving side
            System.out.println("ATTACHED");
            System.out.flush();
            new CountDownLatch(1).await(); // until killed
        }
    }
}
