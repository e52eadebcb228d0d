package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.Await;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reentrant lock, barrier, condition, bounded semaphore and shared arrays across child JVMs, including SIGKILLed ones. */
class CoordinationProcessTest {

    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private SharedRegion region() {
        return SharedRegion.create("coord", RegionOptions.defaults().withDirectory(temp));
    }

    private List<ChildJvm> start(int count, Class<?> main, String... args) {
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] full = new String[args.length + 1];
            full[0] = temp.toString();
            System.arraycopy(args, 0, full, 1, args.length);
            children.add(ChildJvm.start(main, full));
        }
        return children;
    }

    @Test
    void childrenCountExactlyUnderAReentrantLockHeldTwice() {
        int rounds = 3_000;
        try (SharedRegion region = region()) {
            SharedLongArray counts = region.longArray("counts", 2);
            List<ChildJvm> children = start(3, CoordinationChildren.CountUnderReentrantLock.class, Integer.toString(rounds));
            try {
                for (ChildJvm child : children) {
                    assertEquals("DONE", child.awaitLine("", STEP), child.output());
                    child.awaitSuccess(STEP);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertEquals(3L * rounds, counts.get(0), "every increment, none lost");
            assertEquals(3L * rounds, counts.get(1));
            assertEquals(0, region.reentrantLock("rlock").ownerDeaths());
        }
    }

    @Test
    void killedOwnerOfAReentrantLockIsTakenOverWithOwnerDied() throws Exception {
        try (SharedRegion region = region()) {
            SharedReentrantLock lock = region.reentrantLock("rlock");
            long deadPid;
            try (ChildJvm owner = start(1, CoordinationChildren.HoldReentrantLock.class).getFirst()) {
                owner.awaitLine("LOCKED", STEP);
                deadPid = owner.pid();
                assertEquals(deadPid, lock.ownerPid());
                owner.kill();
            }
            OwnerDiedException died = assertThrows(OwnerDiedException.class, () -> lock.tryLock(30, TimeUnit.SECONDS));
            assertEquals(deadPid, died.deadOwnerPid());
            assertEquals(1, lock.holdCount(), "taken over once, whatever the dead owner's count");
            region.sharedInt("guarded").set(2); // repaired
            lock.unlock();
            assertTrue(!lock.isLocked(), "one unlock frees it");
            assertEquals(1, lock.ownerDeaths());
        }
    }

    @Test
    void threeChildrenPassABarrierManyGenerations() {
        int generations = 30;
        try (SharedRegion region = region()) {
            SharedBarrier barrier = region.barrier("barrier", 3);
            List<ChildJvm> parties = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    parties.add(ChildJvm.start(CoordinationChildren.BarrierParty.class, temp.toString(), Integer.toString(i),
                            Integer.toString(generations)));
                }
                for (ChildJvm party : parties) {
                    assertEquals("DONE " + generations, party.awaitLine("", STEP), party.output());
                    party.awaitSuccess(STEP);
                }
            } finally {
                parties.forEach(ChildJvm::close);
            }
            assertEquals(0, barrier.numberWaiting());
            assertTrue(!barrier.isBroken());
        }
    }

    @Test
    void aKilledPartyBreaksTheBarrierAtTheOthersTimeouts() {
        try (SharedRegion region = region()) {
            SharedBarrier barrier = region.barrier("barrier", 3);
            List<ChildJvm> waiters = start(2, CoordinationChildren.BarrierWaiter.class);
            try (ChildJvm doomed = start(1, CoordinationChildren.HoldReentrantLock.class).getFirst()) {
                doomed.awaitLine("LOCKED", STEP);
                Await.until(() -> barrier.numberWaiting() == 2, STEP, "two parties wait");
                doomed.kill(); // the third party dies before arriving
                List<String> outcomes = new ArrayList<>();
                for (ChildJvm waiter : waiters) {
                    outcomes.add(waiter.awaitLine("", Duration.ofSeconds(3)).equals("ARRIVING")
                            ? waiter.awaitLine("", Duration.ofSeconds(30)) : "?");
                    waiter.awaitSuccess(STEP);
                }
                outcomes.sort(null);
                assertEquals(List.of("BROKEN", "TIMEOUT"), outcomes, "one timed out and broke it, the other saw it broken");
            } finally {
                waiters.forEach(ChildJvm::close);
            }
            assertTrue(barrier.isBroken());
            barrier.reset();
            assertTrue(!barrier.isBroken());
        }
    }

    @Test
    void producerAndConsumersHandOverEveryItemThroughConditions() {
        int perConsumer = 2_000;
        try (SharedRegion region = region()) {
            List<ChildJvm> consumers = start(2, CoordinationChildren.Consumer.class, Integer.toString(perConsumer));
            List<ChildJvm> producer = start(1, CoordinationChildren.Producer.class, Integer.toString(2 * perConsumer));
            long total = 0;
            try {
                assertEquals("PUT " + 2 * perConsumer, producer.getFirst().awaitLine("", STEP), producer.getFirst().output());
                for (ChildJvm consumer : consumers) {
                    String line = consumer.awaitLine("", STEP);
                    assertTrue(line.startsWith("SUM " + perConsumer + " "), consumer.output());
                    total += Long.parseLong(line.split(" ")[2]);
                    consumer.awaitSuccess(STEP);
                }
            } finally {
                consumers.forEach(ChildJvm::close);
                producer.forEach(ChildJvm::close);
            }
            long n = 2L * perConsumer;
            assertEquals(n * (n + 1) / 2, total, "every item taken exactly once");
        }
    }

    @Test
    void aWaiterKilledOnAConditionDoesNotKeepASignalFromAnother() {
        try (SharedRegion region = region()) {
            SharedLock lock = region.lock("lock");
            SharedCondition wake = region.condition("wake", lock);
            try (ChildJvm doomed = start(1, CoordinationChildren.ConditionWaiter.class).getFirst()) {
                doomed.awaitLine("WAITING", STEP);
                Await.until(() -> wake.waiters() == 1, STEP, "the first waiter waits");
                doomed.kill();
            }
            try (ChildJvm waiter = start(1, CoordinationChildren.ConditionWaiter.class).getFirst()) {
                waiter.awaitLine("WAITING", STEP);
                Await.until(() -> wake.waiters() == 2, STEP, "the second waiter waits beside the dead one");
                lock.lock();
                try {
                    region.sharedInt("signals").set(1);
                    wake.signal();
                } finally {
                    lock.unlock();
                }
                assertEquals("SIGNALLED", waiter.awaitLine("", Duration.ofSeconds(10)), waiter.output());
                waiter.awaitSuccess(STEP);
            }
        }
    }

    @Test
    void overReleasingABoundedSemaphoreInAChildIsRefused() throws Exception {
        try (SharedRegion region = region()) {
            SharedSemaphore semaphore = region.boundedSemaphore("bounded", 2);
            try (ChildJvm child = start(1, CoordinationChildren.OverRelease.class).getFirst()) {
                String line = child.awaitLine("", STEP);
                assertTrue(line.startsWith("REFUSED") && line.contains("bound of 2"), child.output());
                child.awaitSuccess(STEP);
            }
            assertEquals(2, semaphore.availablePermits(), "the refused release changed nothing");
            assertTrue(semaphore.tryAcquire(1, TimeUnit.SECONDS));
            semaphore.release();
        }
    }
}
