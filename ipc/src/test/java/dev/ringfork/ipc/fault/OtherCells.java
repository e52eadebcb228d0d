package dev.ringfork.ipc.fault;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.ipc.channel.BrokenPipeException;
import dev.ringfork.ipc.channel.Connection;
import dev.ringfork.ipc.channel.PeerDiedException;
import dev.ringfork.ipc.channel.Pipe;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The lock, pipe and pool cells of the fault matrix. */
final class OtherCells {

    /** A pipe peer's death must be noticed within this (the library looks every 200 ms). */
    static final long NOTICE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private OtherCells() {
    }

    /**
     * Two processes take turns in a critical section guarded by a SharedLock; one is killed at a random
     * point, possibly holding the lock. The other goes on (taking over and repairing if needed), then is
     * killed too, and this process takes the lock: the guarded pair is consistent after the repairs, and
     * nobody waited for ever.
     */
    static String lockOwnerKilled(Trial trial) throws Exception {
        try (SharedRegion region = trial.region(0)) {
            SharedLock lock = region.lock("lock");
            SharedLong a = region.sharedLong("a");
            SharedLong b = region.sharedLong("b");
            SharedLong sections = region.sharedLong("sections");
            ChildJvm victim = trial.start(OtherChildren.LockHolder.class);
            ChildJvm survivor = trial.start(OtherChildren.LockHolder.class);
            victim.awaitLine("READY", Trial.STEP);
            survivor.awaitLine("READY", Trial.STEP);
            Trial.awaitAtLeast(sections::get, trial.between(1_000, 200_000), "sections");
            victim.kill();
            long after = sections.get();
            Trial.awaitAtLeast(sections::get, after + 10_000, "sections after the kill (the survivor goes on)");
            survivor.kill();
            boolean repaired = false;
            try {
                if (!lock.tryLock(Trial.STEP.toSeconds(), TimeUnit.SECONDS)) {
                    fail("the lock was not free within " + Trial.STEP + " of both holders' deaths");
                }
            } catch (OwnerDiedException e) {
                b.setPlain(a.getPlain());
                repaired = true;
            }
            try {
                assertEquals(a.getPlain(), b.getPlain(), "the guarded pair after repair");
            } finally {
                lock.unlock();
            }
            return sections.get() + " sections; " + lock.ownerDeaths() + " owner deaths taken over"
                    + (repaired ? " (the last by this process)" : "");
        }
    }

    /**
     * A pool of two workers maps 20,000 items; one worker is SIGKILLed at a random point: every result
     * arrives, once, in order, and the worker is replaced.
     */
    static String poolWorkerKilled(Trial trial) {
        int items = 20_000;
        long killAt = trial.between(100, items - 2_000);
        try (ProcessPool pool = ProcessPool.builder().workers(2).jvmOption("-Xmx64m").directory(trial.dir).build()) {
            List<Long> before = pool.workerPids();
            long victim = before.get(trial.random.nextInt(before.size()));
            try (PoolResults<Long> results = pool.imap(OtherCells::triple, () -> LongStream.range(0, items).iterator(), 50)) {
                long n = 0;
                while (results.hasNext()) {
                    assertEquals(3 * n, results.next(), "result " + n);
                    if (++n == killAt) {
                        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                assertEquals(items, n, "results");
            }
            return "worker " + victim + " killed at result " + killAt + "; " + items + " results in order, each once";
        }
    }

    static long triple(long x) {
        return 3 * x;
    }

    /** The sending peer of a pipe is killed mid-stream: the receiver gets an unbroken run, then PeerDiedException. */
    static String pipeSenderKilled(Trial trial) throws Exception {
        try (SharedRegion region = trial.region(0)) {
            Connection<Long> in = Pipe.open(region, "p", Codec.int64()).first();
            SharedLong sent = region.sharedLong("sent");
            ChildJvm sender = trial.start(OtherChildren.PipeSender.class);
            sender.awaitLine("READY", Trial.STEP);
            long killAt = trial.between(100, 100_000);
            long next = 0;
            boolean killed = false;
            long diedAt = 0;
            try {
                for (;;) {
                    Long value = in.recv(Trial.STEP.toSeconds(), TimeUnit.SECONDS);
                    assertEquals(next, value, "values arrive in order, none lost or repeated");
                    next++;
                    if (!killed && sent.get() >= killAt) {
                        sender.kill();
                        killed = true;
                        diedAt = System.nanoTime();
                    }
                }
            } catch (PeerDiedException e) {
                assertTrue(killed, "a death reported for a live peer: " + e);
                assertTrue(System.nanoTime() - diedAt < NOTICE_NANOS + TimeUnit.SECONDS.toNanos(2), "noticed late");
                assertTrue(next >= sent.get(), "received " + next + " of " + sent.get() + " counted sends");
            }
            return "sender killed after " + killAt + "+ sends; " + next + " received in order, then PeerDiedException";
        }
    }

    /** The receiving peer of a pipe is killed: the sender's next waiting send fails with BrokenPipeException. */
    static String pipeReceiverKilled(Trial trial) throws Exception {
        try (SharedRegion region = trial.region(0)) {
            Connection<Long> out = Pipe.open(region, "p", Codec.int64()).first();
            SharedLong received = region.sharedLong("received");
            ChildJvm receiver = trial.start(OtherChildren.PipeReceiver.class);
            receiver.awaitLine("READY", Trial.STEP);
            long killAt = trial.between(100, 100_000);
            long sentCount = 0;
            long diedAt = 0;
            try {
                for (long i = 0; ; i++) {
                    if (diedAt == 0 && received.get() >= killAt) {
                        receiver.kill();
                        diedAt = System.nanoTime();
                    }
                    if (diedAt != 0 && System.nanoTime() - diedAt > NOTICE_NANOS * 4) {
                        fail("sends went on for " + NOTICE_NANOS * 4 / 1_000_000 + " ms after the receiver died");
                    }
                    out.send(i);
                    sentCount++;
                }
            } catch (BrokenPipeException e) {
                assertTrue(diedAt != 0, "a broken pipe with a live receiver: " + e);
                assertEquals(receiver.pid(), e.peerPid().orElse(-1));
            }
            return "receiver killed after " + killAt + "+ receives; sender stopped with BrokenPipeException after " + sentCount;
        }
    }

    /** The JVM that owns a pool is killed: its worker JVMs are gone soon after (they watch their parent). */
    static String poolParentKilled(Trial trial) {
        try (SharedRegion region = trial.region(0)) {
            ChildJvm parent = trial.start(OtherChildren.PoolParent.class);
            String[] workers = parent.awaitLine("WORKERS", Trial.STEP).split(" ");
            parent.awaitLine("MAPPING", Trial.STEP);
            parent.kill();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 1; i < workers.length; i++) {
                long pid = Long.parseLong(workers[i]);
                while (ProcessIdentity.of(pid).isPresent()) {
                    if (System.nanoTime() - deadline > 0) {
                        fail("worker " + pid + " still alive 10 s after its parent's SIGKILL");
                    }
                    Thread.onSpinWait();
                }
            }
            return "parent killed while mapping; both workers gone";
        }
    }
}
