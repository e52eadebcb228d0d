package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contracts of the reentrant lock, the condition and the barrier, with threads of one process. */
class SharedCoordinationTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private SharedRegion region() {
        return SharedRegion.create("coordination", RegionOptions.defaults().withDirectory(temp));
    }

    @Test
    void reentrantLockCountsHolds() throws Exception {
        try (SharedRegion region = region()) {
            SharedReentrantLock lock = region.reentrantLock("rlock");
            lock.lock();
            assertTrue(lock.tryLock());
            assertTrue(lock.tryLock(1, TimeUnit.MILLISECONDS));
            assertEquals(3, lock.holdCount());
            assertFalse(Await.inThread(lock::tryLock).get(30, TimeUnit.SECONDS), "another thread cannot take it");
            assertFalse(Await.inThread(() -> lock.tryLock(20, TimeUnit.MILLISECONDS)).get(30, TimeUnit.SECONDS));
            lock.unlock();
            lock.unlock();
            assertTrue(lock.isLocked(), "one hold left");
            lock.unlock();
            assertFalse(lock.isLocked());
            assertEquals(0, lock.holdCount());
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertTrue(Await.inThread(() -> {
                boolean got = lock.tryLock();
                lock.unlock();
                return got;
            }).get(30, TimeUnit.SECONDS), "free for another thread");
        }
    }

    @Test
    void conditionAwaitReleasesAndReacquiresTheLock() throws Exception {
        try (SharedRegion region = region()) {
            SharedReentrantLock lock = region.reentrantLock("rlock");
            SharedCondition ready = region.condition("ready", lock);
            SharedInt value = region.sharedInt("value");
            assertThrows(IllegalMonitorStateException.class, ready::signal);
            assertThrows(IllegalMonitorStateException.class, () -> ready.await(1, TimeUnit.MILLISECONDS));
            lock.lock();
            lock.lock();
            assertFalse(ready.await(20, TimeUnit.MILLISECONDS), "nobody signals: times out");
            assertEquals(2, lock.holdCount(), "both holds are back after the timeout");
            assertEquals(0, ready.waiters());
            CompletableFuture<Boolean> setter = Await.inThread(() -> {
                lock.lock(); // gets the lock only while the waiter waits
                try {
                    value.set(42);
                    ready.signal();
                    return true;
                } finally {
                    lock.unlock();
                }
            });
            assertTrue(ready.waitFor(() -> value.get() == 42, 30, TimeUnit.SECONDS));
            assertTrue(setter.get(30, TimeUnit.SECONDS));
            assertEquals(2, lock.holdCount());
            lock.unlock();
            lock.unlock();
        }
    }

    @Test
    void signalAllWakesEveryWaiterAndSignalOneAtATime() throws Exception {
        try (SharedRegion region = region()) {
            SharedLock lock = region.lock("lock");
            SharedCondition go = region.condition("go", lock);
            SharedInt woken = region.sharedInt("woken");
            CompletableFuture<?>[] waiters = new CompletableFuture<?>[3];
            for (int i = 0; i < waiters.length; i++) {
                waiters[i] = Await.inThread(() -> {
                    lock.lock();
                    try {
                        boolean signalled = go.await(30, TimeUnit.SECONDS);
                        woken.incrementAndGet();
                        return signalled;
                    } finally {
                        lock.unlock();
                    }
                });
            }
            Await.until(() -> go.waiters() == 3, BOUND, "three waiters registered");
            lock.lock();
            go.signal();
            lock.unlock();
            Await.until(() -> woken.get() == 1, BOUND, "one waiter woken by signal()");
            lock.lock();
            go.signalAll();
            lock.unlock();
            CompletableFuture.allOf(waiters).get(30, TimeUnit.SECONDS);
            assertEquals(3, woken.get());
            for (CompletableFuture<?> waiter : waiters) {
                assertEquals(Boolean.TRUE, waiter.get(), "signalled, not timed out");
            }
            assertEquals(0, go.waiters());
        }
    }

    @Test
    void barrierTripsEachGenerationAndReturnsArrivalIndexes() throws Exception {
        try (SharedRegion region = region()) {
            SharedBarrier barrier = region.barrier("b", 2);
            assertThrows(IllegalStateException.class, () -> region.barrier("b", 3));
            for (int generation = 0; generation < 5; generation++) {
                CompletableFuture<Integer> other = Await.inThread(() -> barrier.await(30, TimeUnit.SECONDS));
                Await.until(() -> barrier.numberWaiting() == 1, BOUND, "the other party waits");
                assertEquals(1, barrier.await(30, TimeUnit.SECONDS), "the last to arrive gets parties - 1");
                assertEquals(0, other.get(30, TimeUnit.SECONDS), "the first gets 0");
            }
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryoneUntilReset() throws Exception {
        try (SharedRegion region = region()) {
            SharedBarrier barrier = region.barrier("b", 3);
            CompletableFuture<Integer> patient = Await.inThread(() -> barrier.await(30, TimeUnit.SECONDS));
            Await.until(() -> barrier.numberWaiting() == 1, BOUND, "the patient party waits");
            assertThrows(TimeoutException.class, () -> barrier.await(20, TimeUnit.MILLISECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> patient.get(30, TimeUnit.SECONDS));
            assertInstanceOf(BrokenBarrierException.class, e.getCause());
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(1, TimeUnit.SECONDS), "broken until reset");
            barrier.reset();
            assertFalse(barrier.isBroken());
            assertEquals(0, barrier.numberWaiting());
        }
    }

    @Test
    void abortAndResetBreakWaiters() throws Exception {
        try (SharedRegion region = region()) {
            SharedBarrier barrier = region.barrier("b", 2);
            CompletableFuture<Integer> waiter = Await.inThread(() -> barrier.await(30, TimeUnit.SECONDS));
            Await.until(() -> barrier.numberWaiting() == 1, BOUND, "a party waits");
            barrier.reset();
            ExecutionException byReset = assertThrows(ExecutionException.class, () -> waiter.get(30, TimeUnit.SECONDS));
            assertInstanceOf(BrokenBarrierException.class, byReset.getCause(), "reset breaks the waiters of its generation");
            assertFalse(barrier.isBroken(), "and leaves a fresh generation");
            CompletableFuture<Integer> second = Await.inThread(() -> barrier.await(30, TimeUnit.SECONDS));
            Await.until(() -> barrier.numberWaiting() == 1, BOUND, "a party waits again");
            barrier.abort();
            ExecutionException byAbort = assertThrows(ExecutionException.class, () -> second.get(30, TimeUnit.SECONDS));
            assertInstanceOf(BrokenBarrierException.class, byAbort.getCause());
            assertTrue(barrier.isBroken());
        }
    }
}
