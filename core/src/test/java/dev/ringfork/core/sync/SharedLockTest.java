package dev.ringfork.core.sync;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In-process behaviour of the lock: threads of one JVM exclude each other too. */
class SharedLockTest {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory = arena.allocate(LockLayout.LENGTH * 2L, 128);
    private final SharedLock lock = SharedLock.at(memory, 0, "test");

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void uncontendedLockRecordsTheOwner() {
        assertFalse(lock.isLocked());
        lock.lock();
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(ProcessHandle.current().pid(), lock.ownerPid());
        int word = memory.get(java.lang.foreign.ValueLayout.JAVA_INT, LockLayout.STATE_OFFSET);
        assertEquals(ProcessHandle.current().pid(), word & LockLayout.PID_MASK);
        assertEquals(LockLayout.startTag(dev.ringfork.core.internal.ProcessIdentity.current().startTime()), LockLayout.tag(word),
                "the word carries the owner's start tag");
        lock.unlock();
        assertFalse(lock.isLocked());
        assertEquals(0, lock.ownerPid());
    }

    @Test
    void unlockByANonOwnerThrows() throws Exception {
        IllegalMonitorStateException notLocked = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(notLocked.getMessage().contains("not locked"), notLocked.getMessage());
        lock.lock();
        try {
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    lock.unlock();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, r -> Thread.ofPlatform().start(r));
            assertInstanceOf(IllegalMonitorStateException.class, other.get(30, TimeUnit.SECONDS));
            assertTrue(lock.isHeldByCurrentThread(), "a failed unlock changes nothing");
        } finally {
            lock.unlock();
        }
    }

    @Test
    void relockingFromTheOwningThreadIsAnErrorNotAHang() {
        lock.lock();
        try {
            assertFalse(lock.tryLock());
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void tryLockWithTimeoutGivesUpAndLaterSucceeds() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            lock.lock();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        assertTrue(held.await(30, TimeUnit.SECONDS));
        assertFalse(lock.tryLock(), "held by another thread of this process");
        assertFalse(lock.tryLock(100, TimeUnit.MILLISECONDS));
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                boolean got = lock.tryLock(60, TimeUnit.SECONDS);
                lock.unlock();
                return got;
            } catch (InterruptedException e) {
                return false;
            }
        }, r -> Thread.ofPlatform().start(r));
        release.countDown();
        assertTrue(waiter.get(60, TimeUnit.SECONDS), "woken by the unlock");
        holder.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Test
    void lockInterruptiblyObeysInterrupts() throws Exception {
        lock.lock();
        try {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    lock.lockInterruptibly();
                    outcome.set(new AssertionError("acquired a held lock"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            assertTrue(started.await(30, TimeUnit.SECONDS));
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(waiter.isAlive(), "an interrupted waiter returns within a slice");
            assertInstanceOf(InterruptedException.class, outcome.get());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void threadsExcludeEachOther() throws Exception {
        SharedInt counter = SharedInt.at(memory, LockLayout.LENGTH);
        int threads = 4;
        int perThread = 100_000;
        CompletableFuture<?>[] all = new CompletableFuture<?>[threads];
        for (int t = 0; t < threads; t++) {
            all[t] = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perThread; i++) {
                    lock.lock();
                    try {
                        counter.setPlain(counter.getPlain() + 1); // a racy update made safe only by the lock
                    } finally {
                        lock.unlock();
                    }
                }
            }, r -> Thread.ofPlatform().start(r));
        }
        try {
            CompletableFuture.allOf(all).get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
        assertEquals(threads * perThread, counter.get());
        assertFalse(lock.isLocked());
    }
}
