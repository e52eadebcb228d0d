package dev.ringfork.core.sync;

import dev.ringfork.core.internal.ProcessIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A lock whose owner died with this process's pid: an earlier process of the same pid (a restarted
 * container where every JVM is pid 1, with a region directory that outlived it) died holding it. Its
 * owner record says our pid, another start time and, as thread ids coincide between JVMs, possibly our
 * thread's id. Every attempt must see a dead owner, not itself, and take over within a bounded time.
 */
class SharedLockDeadSelfTest {

    private static final ProcessIdentity SELF = ProcessIdentity.current();
    /** A takeover waits a 50 ms liveness delay; this is generous on a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory = arena.allocate(LockLayout.LENGTH, 128);
    private final SharedLock lock = SharedLock.at(memory, 0, "restarted");

    @AfterEach
    void closeArena() {
        arena.close();
    }

    /**
     * The state an earlier process with our pid left: locked, with a complete owner record. The state word
     * carries only the pid, as the owner of a lock does whose start time is unknown.
     */
    private void plantDeadSelf(long ownerThread) {
        plant((int) SELF.pid(), (int) SELF.pid(), SELF.startTime() - 4242, ownerThread);
    }

    /** Writes a state word and an owner record (pid, start time, thread id), as a dead owner left them. */
    private void plant(int word, int recordPid, long recordStart, long recordThread) {
        memory.set(ValueLayout.JAVA_INT, LockLayout.STATE_OFFSET, word);
        memory.set(ValueLayout.JAVA_LONG, LockLayout.OWNER_START_OFFSET, recordStart);
        memory.set(ValueLayout.JAVA_LONG, LockLayout.OWNER_THREAD_OFFSET, recordThread);
        memory.set(ValueLayout.JAVA_INT, LockLayout.OWNER_PID_OFFSET, recordPid);
    }

    /** A start time other than ours with our start tag (1 in 255 earlier processes have one). */
    private static long otherStartWithOurTag() {
        assumeTrue(SELF.startTime() != 0, "needs a known start time (Linux /proc)");
        return SELF.startTime() + 255;
    }

    /** A start time other than ours with another start tag. */
    private static long otherStartWithAnotherTag() {
        assumeTrue(SELF.startTime() != 0, "needs a known start time (Linux /proc)");
        return SELF.startTime() + 1;
    }

    @Test
    void aDeadOwnerWithOurPidIsNotUs() {
        plantDeadSelf(Thread.currentThread().threadId());
        assertTrue(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread(), "held by an earlier process with our pid, not by this thread");
        assertFalse(lock.isOwnerAlive(), "that process is dead");
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(e.getMessage().contains("not by this thread"), e.getMessage());
        assertTrue(lock.isLocked(), "the refused unlock changed nothing");
    }

    @Test
    void tryLockTakesOverAtOnce() {
        plantDeadSelf(Thread.currentThread().threadId());
        OwnerDiedException died = assertThrows(OwnerDiedException.class, lock::tryLock);
        assertEquals(SELF.pid(), died.deadOwnerPid());
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(1, lock.ownerDeaths());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void anEarlierProcessWithOurPidIsRecognisedFromTheWordAlone() {
        // It died between its compare-and-set and its owner record: the record is empty.
        plant(LockLayout.ownerWord((int) SELF.pid(), otherStartWithAnotherTag()), 0, 0, 0);
        assertFalse(lock.isHeldByCurrentThread());
        assertFalse(lock.isOwnerAlive());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        OwnerDiedException died = assertThrows(OwnerDiedException.class, lock::tryLock);
        assertEquals(SELF.pid(), died.deadOwnerPid());
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void withOurStartTagTheOwnerRecordDecides() {
        int ourWord = LockLayout.ownerWord((int) SELF.pid(), SELF.startTime());
        plant(ourWord, (int) SELF.pid(), otherStartWithOurTag(), Thread.currentThread().threadId());
        assertFalse(lock.isHeldByCurrentThread(), "same pid, tag and thread id, another start time");
        assertFalse(lock.isOwnerAlive());
        IllegalMonitorStateException refused = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(refused.getMessage().contains("earlier process"), refused.getMessage());
        assertThrows(OwnerDiedException.class, lock::tryLock);
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    /**
     * Our pid and start tag and no owner record: a thread of ours between its compare-and-set and its
     * record, or an earlier process that died right there. Only a word that stays so for the grace
     * period is taken over; a non-blocking tryLock does not.
     */
    @Test
    void withOurStartTagAndNoRecordTheWordIsTakenOverAfterTheGrace() {
        plant(LockLayout.ownerWord((int) SELF.pid(), otherStartWithOurTag()), 0, 0, 0);
        assertTrue(lock.isOwnerAlive(), "as far as anyone can tell, one of our threads is about to record itself");
        assertFalse(lock.tryLock());
        long started = System.nanoTime();
        assertTakesOverPlanted(l -> {
            l.lock();
            return null;
        });
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis >= TimeUnit.NANOSECONDS.toMillis(SharedLock.UNRECORDED_GRACE_NANOS),
                "taken over after " + tookMillis + " ms, before the grace period");
    }

    /** A live process that got a dead owner's pid has another start tag: dead, from the word alone. */
    @Test
    void aRecycledPidIsRecognisedFromTheWordAlone() {
        ProcessIdentity parent = ProcessHandle.current().parent().flatMap(h -> ProcessIdentity.of(h.pid()))
                .orElseThrow(() -> new AssertionError("the test JVM's parent runs"));
        assumeTrue(parent.startTime() != 0, "needs a known start time (Linux /proc)");
        int pid = (int) parent.pid();
        plant(LockLayout.ownerWord(pid, parent.startTime()), 0, 0, 0);
        assertTrue(lock.isOwnerAlive(), "the live process's own start tag, no record yet: alive");
        assertFalse(lock.tryLock());
        plant(LockLayout.ownerWord(pid, parent.startTime() + 1), 0, 0, 0);
        assertFalse(lock.isOwnerAlive(), "another start tag: the owner was an earlier process with that pid");
        OwnerDiedException died = assertThrows(OwnerDiedException.class, lock::tryLock);
        assertEquals(pid, died.deadOwnerPid());
        lock.unlock();
    }

    @Test
    void lockTakesOverWithinTheBound() {
        assertTakesOver(l -> {
            l.lock();
            return null;
        });
    }

    @Test
    void lockTakesOverWhenTheDeadOwnersThreadIdIsNotOurs() {
        assertTakesOver(l -> {
            l.lock();
            return null;
        }, false);
    }

    @Test
    void lockInterruptiblyTakesOverWithinTheBound() {
        assertTakesOver(l -> {
            l.lockInterruptibly();
            return null;
        });
    }

    @Test
    void tryLockWithATimeoutTakesOverWithinTheBound() {
        assertTakesOver(l -> l.tryLock(60, TimeUnit.SECONDS));
    }

    @Test
    void tryLockWithAShortTimeoutTakesOverToo() {
        assertTakesOver(l -> l.tryLock(500, TimeUnit.MILLISECONDS));
    }

    /**
     * Threads of this JVM race to take over the same dead lock, many times, spinning on tryLock: never two
     * owners at once, and exactly one OwnerDiedException per planted death. "ours" plants our very owner
     * word (start tags collide), where a takeover is a compare-and-set from our word to itself and only
     * the JVM-wide takeover lock keeps a second thread from repeating it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"no start tag", "another start tag", "ours"})
    void racingThreadsOfThisJvmNeverBothTakeOver(String planted) throws Exception {
        int rounds = 300;
        int threads = 4;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger deaths = new AtomicInteger();
        for (int round = 0; round < rounds; round++) {
            switch (planted) {
                case "no start tag" -> plantDeadSelf(1); // thread ids coincide between JVMs: 1 is usually "main"
                case "another start tag" -> plant(LockLayout.ownerWord((int) SELF.pid(), otherStartWithAnotherTag()),
                        (int) SELF.pid(), otherStartWithAnotherTag(), 1);
                default -> plant(LockLayout.ownerWord((int) SELF.pid(), SELF.startTime()),
                        (int) SELF.pid(), otherStartWithOurTag(), 1);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long deadline = System.nanoTime() + BOUND.toNanos();
            for (int t = 0; t < threads; t++) {
                racers.add(Thread.ofPlatform().daemon().start(() -> {
                    try {
                        start.await();
                        boolean got = false;
                        while (!got) {
                            try {
                                got = lock.tryLock();
                            } catch (OwnerDiedException e) {
                                deaths.incrementAndGet();
                                got = true;
                            }
                            if (System.nanoTime() - deadline > 0) {
                                throw new AssertionError("no lock within " + BOUND);
                            }
                        }
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                        lock.unlock();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            start.countDown();
            for (Thread racer : racers) {
                racer.join(BOUND.toMillis() * 2);
            }
            if (failure.get() != null) {
                throw new AssertionError("round " + round + " (takeovers so far " + deaths.get() + ")", failure.get());
            }
            assertEquals(round + 1, deaths.get(), "exactly one takeover per dead owner, round " + round);
            assertFalse(lock.isLocked());
        }
        assertEquals(0, overlaps.get(), "two threads held the lock at once");
        assertEquals(rounds, lock.ownerDeaths());
    }

    private interface Attempt {
        Object apply(SharedLock lock) throws Exception;
    }

    /**
     * Runs {@code attempt} on a new thread whose id the dead owner's record carries (or not), and expects an
     * OwnerDiedException within {@link #BOUND}. A lock that hangs is released (state word freed and woken)
     * at the bound, so the thread ends either way.
     */
    private void assertTakesOver(Attempt attempt) {
        assertTakesOver(attempt, true);
    }

    private void assertTakesOver(Attempt attempt, boolean sameThreadId) {
        assertTakesOver(attempt, thread -> plantDeadSelf(sameThreadId ? thread.threadId() : thread.threadId() + 1_000_000));
    }

    /** Like {@link #assertTakesOver(Attempt)} for a lock the test has planted already. */
    private void assertTakesOverPlanted(Attempt attempt) {
        assertTakesOver(attempt, thread -> { });
    }

    private void assertTakesOver(Attempt attempt, java.util.function.Consumer<Thread> plant) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> heldAfter = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().daemon().unstarted(() -> {
            try {
                outcome.set(attempt.apply(lock));
            } catch (Throwable e) {
                outcome.set(e);
            }
            heldAfter.set(lock.isHeldByCurrentThread());
            if (heldAfter.get()) {
                lock.unlock();
            }
        });
        plant.accept(thread);
        long started = System.nanoTime();
        thread.start();
        try {
            thread.join(BOUND.toMillis());
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (thread.isAlive()) {
                release();
                thread.join(BOUND.toMillis());
                throw new AssertionError("not taken over within " + BOUND + "; after a forced release it returned "
                        + outcome.get());
            }
            OwnerDiedException died = assertInstanceOf(OwnerDiedException.class, outcome.get(),
                    "taken over after " + tookMillis + " ms");
            assertEquals(SELF.pid(), died.deadOwnerPid());
            assertTrue(heldAfter.get(), "the exception hands over the lock");
            assertEquals(1, lock.ownerDeaths());
            assertFalse(lock.isLocked());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Frees the state word and wakes its sleepers, as an owner's unlock would. */
    private void release() {
        memory.set(ValueLayout.JAVA_INT, LockLayout.OWNER_PID_OFFSET, 0);
        memory.set(ValueLayout.JAVA_INT, LockLayout.STATE_OFFSET, 0);
        Futex.system().wake(memory, LockLayout.STATE_OFFSET, Integer.MAX_VALUE);
    }

    /**
     * Another process took the lock over from a dead owner whose pid it has (a recycled pid): its word is
     * in, its owner record not yet, so the record still names the dead owner (same pid, old start time).
     * A third process looking in that window must not take the live owner for dead; only a record that
     * stays that way past the grace period (a dead owner whose word had, by chance, the same tag) is.
     */
    @Test
    void aLiveOwnerStillRecordingOverARecycledPidsRecordIsNotTakenOver() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        try {
            ProcessIdentity live = ProcessIdentity.of(sleeper.pid()).orElseThrow();
            assumeTrue(live.startTime() != 0, "needs a known start time (Linux /proc)");
            plant(LockLayout.ownerWord((int) live.pid(), live.startTime()), (int) live.pid(), live.startTime() + 1, 1);
            assertFalse(lock.tryLock(500, TimeUnit.MILLISECONDS), "the owner may still be writing its record");
            assertThrows(OwnerDiedException.class, () -> lock.tryLock(BOUND.toMillis() + 3000, TimeUnit.MILLISECONDS),
                    "a record that stays another process's past the grace period is a dead owner's");
            lock.unlock();
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
