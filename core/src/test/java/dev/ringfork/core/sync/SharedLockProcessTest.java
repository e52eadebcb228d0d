package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lock across real processes, including an owner killed with SIGKILL while holding it. */
class SharedLockProcessTest {

    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void sleepingWaiterTakesOverFromAKilledOwnerWithinTwoSeconds() {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("robust", options);
             ChildJvm owner = ChildJvm.start(HoldForever.class, temp.toString())) {
            SharedLock lock = region.lock("lock");
            owner.awaitLine("LOCKED", STEP);
            assertEquals(owner.pid(), lock.ownerPid());
            try (ChildJvm waiter = ChildJvm.start(LockAndReport.class, temp.toString())) {
                waiter.awaitLine("WAITING", STEP);
                // Let the waiter reach its futex sleep: it raises the waiters bit just before sleeping.
                long deadline = System.nanoTime() + STEP.toNanos();
                while (!lock.hasSleepers() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(lock.hasSleepers(), "the waiter is asleep on the lock");

                owner.kill();
                long killed = System.nanoTime();
                String line = waiter.awaitLine("OWNER_DIED", Duration.ofSeconds(30));
                long tookOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertEquals("OWNER_DIED " + owner.pid() + " guarded=half-done", line);
                assertTrue(tookOverMillis < 2_000, "taken over " + tookOverMillis + " ms after the kill; must be under 2 s");
                waiter.awaitSuccess(STEP);
            }
            assertEquals(1, lock.ownerDeaths());
            assertEquals(2, region.sharedInt("guarded").get(), "the new owner repaired the guarded state");
            assertTrue(lock.tryLock(), "free again after the waiter's unlock");
            lock.unlock();
        }
    }

    @Test
    void tryLockTakesOverFromADeadOwnerAndSaysSo() {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("robust", options)) {
            SharedLock lock = region.lock("lock");
            long deadPid;
            try (ChildJvm owner = ChildJvm.start(HoldForever.class, temp.toString())) {
                owner.awaitLine("LOCKED", STEP);
                assertFalse(lock.tryLock(), "held by a live child");
                deadPid = owner.pid();
                owner.kill();
            }
            OwnerDiedException died = assertThrows(OwnerDiedException.class, lock::tryLock);
            assertEquals(deadPid, died.deadOwnerPid());
            assertTrue(died.getMessage().contains("repair"), died.getMessage());
            assertTrue(lock.isHeldByCurrentThread(), "the exception hands over the lock");
            lock.unlock();
            lock.lock();
            lock.unlock();
            assertEquals(1, lock.ownerDeaths());
        }
    }

    @Test
    void aChildCannotUnlockTheParentsLockAndWaitsForIt() throws Exception {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("robust", options)) {
            SharedLock lock = region.lock("lock");
            lock.lock();
            try (ChildJvm child = ChildJvm.start(UnlockThenLock.class, temp.toString())) {
                String refused = child.awaitLine("UNLOCK", STEP);
                assertTrue(refused.startsWith("UNLOCK refused: SharedLock 'robust/lock' is held by pid "
                        + ProcessHandle.current().pid()), refused);
                child.awaitLine("TRYLOCK false", STEP);
                assertTrue(lock.isHeldByCurrentThread());
                lock.unlock();
                child.awaitLine("LOCKED", STEP);
                child.awaitSuccess(STEP);
            }
            assertFalse(lock.isLocked());
        }
    }

    /** Child: takes the lock, marks the guarded value half-done, and never lets go. */
    public static final class HoldForever {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            SharedRegion region = SharedRegion.open("robust", ChildSupport.options(args[0]));
            region.lock("lock").lock();
            region.sharedInt("guarded").set(1); // "half-done": the waiter must repair it
            System.out.println("LOCKED");
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    /** Child: blocks in lock(); on OwnerDiedException repairs the guarded value and unlocks. */
    public static final class LockAndReport {
        public static void main(String[] args) {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            try (SharedRegion region = SharedRegion.open("robust", ChildSupport.options(args[0]))) {
                SharedLock lock = region.lock("lock");
                SharedInt guarded = region.sharedInt("guarded");
                System.out.println("WAITING");
                System.out.flush();
                try {
                    lock.lock();
                    System.out.println("LOCKED without owner death (unexpected)");
                } catch (OwnerDiedException e) {
                    System.out.println("OWNER_DIED " + e.deadOwnerPid() + " guarded=" + (guarded.get() == 1 ? "half-done" : "?"));
                    guarded.set(2); // repaired
                }
                lock.unlock();
            }
        }
    }

    /** Child: tries to unlock a lock it does not hold, then tryLock, then waits for it. */
    public static final class UnlockThenLock {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            try (SharedRegion region = SharedRegion.open("robust", ChildSupport.options(args[0]))) {
                SharedLock lock = region.lock("lock");
                try {
                    lock.unlock();
                    System.out.println("UNLOCK accepted (wrong)");
                } catch (IllegalMonitorStateException e) {
                    System.out.println("UNLOCK refused: " + e.getMessage());
                }
                System.out.println("TRYLOCK " + lock.tryLock(200, TimeUnit.MILLISECONDS));
                System.out.flush();
                lock.lock();
                System.out.println("LOCKED");
                lock.unlock();
            }
        }
    }
}
