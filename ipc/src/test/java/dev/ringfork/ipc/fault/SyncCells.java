package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.sync.SharedBarrier;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.sync.SharedReentrantLock;
import dev.ringfork.core.testing.ChildJvm;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.ringfork.ipc.fault.ChannelChildren.open;
import static dev.ringfork.ipc.fault.ChannelChildren.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The reentrant lock and barrier cells of the fault matrix, and the child JVMs they kill. */
final class SyncCells {

    /** A barrier party waits at most this long for the others before it breaks the barrier. */
    static final long PARTY_TIMEOUT_MILLIS = 5_000;

    private SyncCells() {
    }

    /**
     * Two processes take turns in a critical section guarded by a SharedReentrantLock, held twice (the
     * outer hold writes a, the nested one b); one is killed at a random point, possibly holding it once
     * or twice. The other goes on (taking over and repairing), then is killed too, and this process takes
     * the lock: the guarded pair is consistent after the repairs, and nobody waited for ever.
     */
    static String reentrantOwnerKilled(Trial trial) throws Exception {
        try (SharedRegion region = trial.region(0)) {
            SharedReentrantLock lock = region.reentrantLock("rlock");
            SharedLong a = region.sharedLong("a");
            SharedLong b = region.sharedLong("b");
            SharedLong sections = region.sharedLong("sections");
            ChildJvm victim = trial.start(ReentrantHolder.class);
            ChildJvm survivor = trial.start(ReentrantHolder.class);
            victim.awaitLine("READY", Trial.STEP);
            survivor.awaitLine("READY", Trial.STEP);
            Trial.awaitAtLeast(sections::get, trial.between(1_000, 100_000), "sections");
            victim.kill();
            long after = sections.get();
            Trial.awaitAtLeast(sections::get, after + 5_000, "sections after the kill (the survivor goes on)");
            survivor.kill();
            boolean repaired = false;
            try {
                if (!lock.tryLock(Trial.STEP.toSeconds(), TimeUnit.SECONDS)) {
                    fail("the reentrant lock was not free within " + Trial.STEP + " of both holders' deaths");
                }
            } catch (OwnerDiedException e) {
                b.setPlain(a.getPlain());
                repaired = true;
            }
            try {
                assertEquals(1, lock.holdCount(), "a lock taken over from a dead owner is held once");
                assertEquals(a.getPlain(), b.getPlain(), "the guarded pair after repair");
            } finally {
                lock.unlock();
            }
            assertFalse(lock.isLocked(), "one unlock frees a lock taken over once");
            return sections.get() + " sections; " + lock.ownerDeaths() + " owner deaths taken over"
                    + (repaired ? " (the last by this process)" : "");
        }
    }

    /**
     * Two processes meet at a two-party barrier again and again; one is killed at a random point. The
     * other's wait ends within its timeout with the barrier broken (not forever), {@code reset()} mends it,
     * and two fresh parties pass it: the generations counted by both sides agree.
     */
    static String barrierPartyKilled(Trial trial) throws Exception {
        try (SharedRegion region = trial.region(0)) {
            SharedBarrier barrier = region.barrier("meet", 2);
            SharedLong trips = region.sharedLong("trips");
            ChildJvm victim = trial.start(BarrierParty.class);
            ChildJvm survivor = trial.start(BarrierParty.class);
            victim.awaitLine("READY", Trial.STEP);
            survivor.awaitLine("READY", Trial.STEP);
            Trial.awaitAtLeast(trips::get, trial.between(100, 20_000), "barrier trips");
            victim.kill();
            String ending = survivor.awaitLine("ENDED", Trial.STEP);
            assertTrue(ending.contains("broken") || ending.contains("timed out"), ending);
            assertEquals(0, survivor.awaitExit(Trial.STEP), survivor.output());
            assertTrue(barrier.isBroken(), "the barrier is broken once a party's wait gave up");
            long before = trips.get();
            barrier.reset();
            ChildJvm fresh = trial.start(BarrierParty.class, "once");
            fresh.awaitLine("READY", Trial.STEP);
            int index = barrier.await(Trial.STEP.toSeconds(), TimeUnit.SECONDS);
            if (index == 0) {
                trips.getAndAdd(1); // the first to arrive counts the trip, as the parties do
            }
            assertEquals(0, fresh.awaitExit(Trial.STEP), fresh.output());
            assertTrue(index == 0 || index == 1, "arrival index " + index);
            assertEquals(before + 1, trips.get(), "the mended barrier tripped once more");
            return before + " trips before the kill; " + ending;
        }
    }

    /** Args: dir. Holds "rlock" twice per section: the outer hold writes a, the nested one b. */
    public static final class ReentrantHolder {
        public static void main(String[] args) {
            try (SharedRegion region = open(args)) {
                SharedReentrantLock lock = region.reentrantLock("rlock");
                SharedLong a = region.sharedLong("a");
                SharedLong b = region.sharedLong("b");
                SharedLong sections = region.sharedLong("sections");
                say("READY");
                for (;;) {
                    try {
                        lock.lock();
                    } catch (OwnerDiedException e) {
                        b.setPlain(a.getPlain()); // repair what the dead owner left half done
                    }
                    try {
                        a.setPlain(a.getPlain() + 1);
                        lock.lock(); // nested: cannot find a dead owner, this thread holds it
                        try {
                            b.setPlain(a.getPlain());
                        } finally {
                            lock.unlock();
                        }
                        sections.getAndAdd(1);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /**
     * Args: dir [once]. Meets the other party at "meet" (counting each trip once, by the party that
     * arrived first) until a wait breaks or times out, then says how it ended and exits 0; with "once",
     * passes the barrier once.
     */
    public static final class BarrierParty {
        public static void main(String[] args) throws InterruptedException {
            try (SharedRegion region = open(args)) {
                SharedBarrier barrier = region.barrier("meet", 2);
                SharedLong trips = region.sharedLong("trips");
                boolean once = args.length > 1 && args[1].equals("once");
                say("READY");
                do {
                    try {
                        if (barrier.await(once ? Trial.STEP.toMillis() : PARTY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) == 0) {
                            trips.getAndAdd(1);
                        }
                    } catch (BrokenBarrierException e) {
                        say("ENDED broken");
                        return;
                    } catch (TimeoutException e) {
                        say("ENDED timed out");
                        return;
                    }
                } while (!once);
            }
        }
    }
}
