package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.ipc.channel.SharedQueueProcessTest.parse;
import static dev.ringfork.ipc.channel.SharedQueueProcessTest.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channels.waitAny across child JVMs: a parent serving three pipes gets every message exactly once, in
 * order per sender, and a sender killed with SIGKILL makes its pipe come back ready, its receive
 * throwing PeerDiedException.
 */
class ChannelsProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** A dead sender must be noticed within about 400 ms; this bound leaves room for a busy machine. */
    private static final Duration NOTICED = Duration.ofSeconds(5);
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 2_000;

    @TempDir
    Path temp;

    private RegionOptions options() {
        return RegionOptions.defaults().withDirectory(temp).withSize(2 << 20);
    }

    static Pipe<String> pipe(SharedRegion region, int sender) {
        return Pipe.simplex(region, "from-" + sender, Codec.string(), RingOptions.defaults().withCapacity(4096));
    }

    @Test
    void aParentWaitingOnThreePipesGetsEveryMessageExactlyOnce() throws Exception {
        try (SharedRegion region = SharedRegion.create("w", options())) {
            List<Connection<String>> open = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                open.add(pipe(region, s).reader());
            }
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int s = 0; s < SENDERS; s++) {
                    children.add(ChildJvm.start(Sender.class, temp.toString(), Integer.toString(s), Integer.toString(PER_SENDER)));
                }
                int[] next = new int[SENDERS];
                int rounds = 0;
                while (!open.isEmpty()) {
                    List<Connection<String>> ready = Channels.waitAny(open, DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    assertTrue(!ready.isEmpty(), "nothing ready within " + DEADLINE + "; still open: " + open);
                    rounds++;
                    for (Connection<String> connection : ready) {
                        String message;
                        try {
                            message = connection.recv(0, TimeUnit.SECONDS);
                        } catch (EndOfStreamException end) {
                            open.remove(connection);
                            continue;
                        }
                        assertTrue(message != null, "a ready connection had nothing to receive: " + connection);
                        int[] ps = parse(message);
                        assertEquals(next[ps[0]]++, ps[1], "sender " + ps[0] + "'s messages in order, none lost or twice");
                    }
                }
                for (int s = 0; s < SENDERS; s++) {
                    assertEquals(PER_SENDER, next[s], "every message of sender " + s);
                }
                assertTrue(rounds > 1, "many rounds of waiting");
                for (ChildJvm child : children) {
                    child.awaitSuccess(DEADLINE);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    @Test
    void aSenderKilledWithSigkillMakesItsPipeReadyAndItsReceiveThrowPeerDied() throws Exception {
        try (SharedRegion region = SharedRegion.create("w", options())) {
            Connection<String> quiet = pipe(region, 0).reader();
            Connection<String> doomed = pipe(region, 1).reader();
            try (ChildJvm idle = ChildJvm.start(SendThenHang.class, temp.toString(), "0", "0");
                 ChildJvm victim = ChildJvm.start(SendThenHang.class, temp.toString(), "1", "2")) {
                idle.awaitLine("SENT", DEADLINE);
                victim.awaitLine("SENT", DEADLINE);
                List<Connection<String>> both = List.of(quiet, doomed);
                for (int i = 0; i < 2; i++) {
                    assertEquals(List.of(doomed), Channels.waitAny(both, DEADLINE.toSeconds(), TimeUnit.SECONDS));
                    assertEquals(payload(1, i), doomed.recv(0, TimeUnit.SECONDS));
                }
                assertEquals(List.of(), Channels.waitAny(both, 300, TimeUnit.MILLISECONDS), "both senders alive and quiet");
                victim.kill();
                long start = System.nanoTime();
                List<Connection<String>> ready = Channels.waitAny(both, DEADLINE.toSeconds(), TimeUnit.SECONDS);
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(List.of(doomed), ready);
                assertTrue(tookMillis < NOTICED.toMillis(), "the death was noticed after " + tookMillis + " ms");
                PeerDiedException died = assertThrows(PeerDiedException.class, () -> doomed.recv(0, TimeUnit.SECONDS));
                assertEquals(victim.pid(), died.pid());
                assertEquals(List.of(), Channels.waitAny(List.of(quiet), 100, TimeUnit.MILLISECONDS), "the live one is not ready");
            }
        }
    }

    @Test
    void aQueueFedByAChildJvmAndAQuietPipeWakeTheWaiterForEveryElement() throws Exception {
        int count = 3_000;
        try (SharedRegion region = SharedRegion.create("q", options())) { // the region and queue SharedQueueProcessTest.Putter uses
            SharedQueue<String> queue = SharedQueue.open(region, "jobs", Codec.string(), QueueOptions.defaults().withCapacity(4096));
            Connection<String> quiet = pipe(region, 0).reader();
            List<Object> both = List.of(quiet, queue);
            try (ChildJvm putter = ChildJvm.start(SharedQueueProcessTest.Putter.class, temp.toString(), "0", Integer.toString(count))) {
                int next = 0;
                while (next < count) {
                    List<Object> ready = Channels.waitAny(both, DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    assertEquals(List.of(queue), ready, "only the queue gets anything; element " + next);
                    for (String element; (element = queue.poll()) != null; next++) {
                        int[] ps = parse(element);
                        assertEquals(next, ps[1], "in order, none lost or twice");
                    }
                }
                putter.awaitSuccess(DEADLINE);
            }
            assertEquals(List.of(), Channels.waitAny(both, 0, TimeUnit.SECONDS));
        }
    }

    @Test
    void withoutFutexWaitvTheWaitFallsBackToSlicesAndSaysSo() throws Exception {
        try (SharedRegion region = SharedRegion.create("w", options())) {
            Connection<String> out = pipe(region, 0).writer();
            try (ChildJvm waiter = ChildJvm.start(WaitAndReceive.class, List.of("-Dringfork.futex=polling"), temp.toString())) {
                waiter.awaitLine("WAITING", DEADLINE);
                out.send(payload(0, 7));
                assertEquals("GOT " + payload(0, 7), waiter.awaitLine("GOT", DEADLINE));
                waiter.awaitSuccess(DEADLINE);
                assertTrue(waiter.output().contains("futex_waitv unavailable"), "one line says why:\n" + waiter.output());
            }
        }
    }

    /** Child: waits on the reader of pipe "from-0" with waitAny, prints "GOT message". */
    public static final class WaitAndReceive {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            try (SharedRegion region = SharedRegion.open("w", ChildSupport.options(args[0]))) {
                Connection<String> in = pipe(region, 0).reader();
                if (dev.ringfork.core.sync.DoorbellSet.usesFutexWaitv()) {
                    throw new IllegalStateException("expected the fallback with -Dringfork.futex=polling");
                }
                System.out.println("WAITING");
                System.out.flush();
                List<Connection<String>> ready = Channels.waitAny(List.of(in), 60, TimeUnit.SECONDS);
                if (!ready.equals(List.of(in))) {
                    throw new IllegalStateException("ready: " + ready);
                }
                System.out.println("GOT " + in.recv(0, TimeUnit.SECONDS));
                System.out.flush();
            }
        }
    }

    /** Child: sends n self-checking messages on pipe "from-id", then closes it. */
    public static final class Sender {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            int id = Integer.parseInt(args[1]);
            int count = Integer.parseInt(args[2]);
            try (SharedRegion region = SharedRegion.open("w", ChildSupport.options(args[0]))) {
                try (Connection<String> out = pipe(region, id).writer()) {
                    for (int i = 0; i < count; i++) {
                        out.send(payload(id, i));
                    }
                }
            }
        }
    }

    /** Child: sends n self-checking messages on pipe "from-id", prints "SENT" and waits to be killed. */
    public static final class SendThenHang {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            int id = Integer.parseInt(args[1]);
            SharedRegion region = SharedRegion.open("w", ChildSupport.options(args[0]));
            Connection<String> out = pipe(region, id).writer();
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                out.send(payload(id, i));
            }
            System.out.println("SENT");
            System.out.flush();
            new CountDownLatch(1).await(); // until killed
        }
    }
}
