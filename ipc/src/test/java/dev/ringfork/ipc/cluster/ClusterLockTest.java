package dev.ringfork.ipc.cluster;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock across hosts: a killed holder's lock passes on with its death reported, tryLock times out, a held lock
 * survives the death of a host agent. Two agents shared; the last test kills one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLockTest extends SharedAgents {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @Test
    @Order(1)
    void aKilledHoldersLockPassesOnAndTheNewHolderIsToldWhoDied() throws Exception {
        ClusterLock lock = ClusterLock.open(cluster, "ledger");
        try (ClientJvm holder = ClientJvm.start(members, "lock", "ledger")) {
            holder.await("LOCKED", 120);
            assertTrue(lock.isLocked());
            assertFalse(lock.tryLock());
            assertFalse(assertTimeoutPreemptively(DEADLINE, () -> lock.tryLock(300, TimeUnit.MILLISECONDS)));
            assertFalse(lock.isHeldByCurrentThread());
            holder.kill();
            ClusterOwnerDiedException died = assertTimeoutPreemptively(DEADLINE, () -> {
                ClusterOwnerDiedException e = assertThrows(ClusterOwnerDiedException.class, lock::lock);
                assertTrue(lock.isHeldByCurrentThread(), "the new holder holds it");
                lock.unlock();
                return e;
            });
            assertEquals(holder.pid(), died.deadOwnerPid(), died.getMessage());
            assertTrue(died.getMessage().contains("pid " + holder.pid()), died.getMessage());
        }
        assertTimeoutPreemptively(DEADLINE, () -> {
            assertTrue(lock.tryLock(1, TimeUnit.MINUTES), "free, and no death to report after a clean unlock");
            lock.unlock();
        });
        assertFalse(lock.isLocked());
    }

    @Test
    @Order(2)
    void threadsExcludeEachOtherAndTheLockIsNotReentrant() throws Exception {
        ClusterLock lock = ClusterLock.open(cluster, "plain");
        assertTimeoutPreemptively(DEADLINE, () -> {
            lock.lock();
            try {
                assertThrows(IllegalStateException.class, lock::tryLock);
                assertThrows(IllegalStateException.class, () -> ClusterLock.open(cluster, "plain").lock());
                CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(lock::tryLock);
                assertFalse(other.get());
                CompletableFuture<Throwable> foreignUnlock = CompletableFuture.supplyAsync(() -> {
                    try {
                        lock.unlock();
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                assertTrue(foreignUnlock.get() instanceof IllegalMonitorStateException, () -> "" + foreignUnlock.join());
            } finally {
                lock.unlock();
            }
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
        });
        assertThrows(IllegalArgumentException.class, () -> ClusterLock.open(cluster, "no/slash"));
    }

    @Test
    @Order(3)
    void anInterruptedWaiterStopsWaitingAtOnce() throws Exception {
        ClusterLock lock = ClusterLock.open(cluster, "interrupts");
        try (ClientJvm holder = ClientJvm.start(members, "lock", "interrupts")) {
            holder.await("LOCKED", 120);
            CompletableFuture<Thread> waiter = new CompletableFuture<>();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                waiter.complete(Thread.currentThread());
                try {
                    lock.lockInterruptibly();
                    outcome.complete(new AssertionError("locked"));
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            waiter.get().interrupt();
            assertTrue(outcome.get(DEADLINE.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException, () -> outcome.join().toString());
        }
    }

    @Test
    @Order(4)
    void aHeldLockStaysHeldWhenAHostAgentIsKilled() throws Exception {
        ClusterLock lock = ClusterLock.open(cluster, "survivor");
        String owner = cluster.hazelcast().getPartitionService().getPartition("survivor").getOwner().getAddress().getPort() + "";
        int victim = members.agent(0).port() == Integer.parseInt(owner) ? 0 : 1;
        assertTimeoutPreemptively(DEADLINE, () -> {
            lock.lock();
            try (Cluster second = members.connect()) {
                kill(members.agent(victim), cluster, second);
                ClusterLock other = ClusterLock.open(second, "survivor");
                assertTrue(other.isLocked());
                assertFalse(other.tryLock(500, TimeUnit.MILLISECONDS), "a second client must not get a held lock");
                assertTrue(lock.isHeldByCurrentThread());
                lock.unlock();
                CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> {
                    try {
                        boolean got = other.tryLock(1, TimeUnit.MINUTES);
                        other.unlock();
                        return got;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertTrue(next.get(), "the lock passes on after the unlock");
            }
        });
    }
}
