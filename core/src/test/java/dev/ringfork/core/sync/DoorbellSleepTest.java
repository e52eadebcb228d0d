package dev.ringfork.core.sync;

import dev.ringfork.core.testing.Await;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a doorbell sleeper spends its wait: how often it wakes while idle, how an interrupt reaches it,
 * and that a thread which just woke a sleeper does not spin in its next wait. Counts looks at the
 * condition (one per wake-up), never durations, so a slow machine cannot fail these.
 */
class DoorbellSleepTest {

    private final MemorySegment memory = Arena.ofAuto().allocate(4 * SemaphoreLayout.LENGTH, 128);
    private final Doorbell bell = Doorbell.at(memory, 0);
    private final Doorbell other = Doorbell.at(memory, 2 * SemaphoreLayout.LENGTH);
    private final Doorbell third = Doorbell.at(memory, 3 * SemaphoreLayout.LENGTH);

    /** Counts calls; true once {@link #go} is set. */
    private static final class Looks implements BooleanSupplier {
        final AtomicInteger count = new AtomicInteger();
        final AtomicBoolean go = new AtomicBoolean();

        @Override
        public boolean getAsBoolean() {
            count.incrementAndGet();
            return go.get();
        }
    }

    /** Before: 50 ms slices, about 60 looks in 3 s (20 wake-ups a second, the idle CPU the issue measured). */
    @Test
    void anIdleSleeperWakesAFewTimesInThreeSecondsNotTwentyTimesASecond() throws InterruptedException {
        Looks looks = new Looks();
        assertFalse(bell.sleepUntil(looks, System.nanoTime() + TimeUnit.SECONDS.toNanos(3)));
        assertTrue(looks.count.get() <= 10, "looks at the condition during 3 idle seconds: " + looks.count.get());
    }

    /**
     * Before: an interrupt was seen only at the end of the sleeper's slice. Here the slice is 60 s, on an
     * event-count word (as a doorbell's), so even an interrupt landing just before the syscall ends it.
     */
    @Test
    void anInterruptEndsAFutexWaitOnAnEventCountAtOnce() throws Exception {
        Futex futex = Futex.system();
        AtomicBoolean waiting = new AtomicBoolean();
        Thread[] sleeper = new Thread[1];
        CompletableFuture<Long> slept = Await.inThread(() -> {
            sleeper[0] = Thread.currentThread();
            waiting.set(true);
            long start = System.nanoTime();
            SlicedSleep.sleep(futex, memory, SemaphoreLayout.VALUE_OFFSET, 0, Deadline.NONE, TimeUnit.SECONDS.toNanos(60), true);
            return System.nanoTime() - start;
        });
        Await.until(waiting::get, Duration.ofSeconds(30), "the sleeper started");
        // Interrupt until it returns: an interrupt before it is inside the wait ends the next call only.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!slept.isDone() && System.nanoTime() - deadline < 0) {
            sleeper[0].interrupt();
            try {
                slept.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
                // not yet, or done (looked at below)
            }
        }
        assertTrue(slept.isDone(), "a 60 s futex wait was still sleeping 30 s after its thread was interrupted");
        try {
            slept.get();
        } catch (ExecutionException e) {
            assertInstanceOf(InterruptedException.class, e.getCause());
        }
    }

    /** A doorbell sleeper with no deadline throws InterruptedException when interrupted, long before a slice ends. */
    @Test
    void anInterruptedDoorbellSleeperThrowsInterruptedException() {
        Looks looks = new Looks();
        Thread[] sleeper = new Thread[1];
        CompletableFuture<Boolean> slept = Await.inThread(() -> {
            sleeper[0] = Thread.currentThread();
            return bell.sleepUntil(looks, Deadline.NONE);
        });
        Await.until(() -> looks.count.get() >= 2, Duration.ofSeconds(30), "the sleeper past its first slice");
        sleeper[0].interrupt();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> slept.get(30, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(bell.sleepers() == 0, "the sleeper withdrew");
    }

    /**
     * A thread that woke a sleeper goes straight to sleep in its next adaptive wait: a look or two, not
     * the 2,000-look spin phase (which kept the woken peer off this CPU and tripled a round trip).
     */
    @Test
    void aWaitRightAfterWakingASleeperDoesNotSpin() throws Exception {
        Looks asleep = new Looks();
        CompletableFuture<Boolean> woken = Await.inThread(() -> bell.sleepUntil(asleep, Deadline.NONE));
        Await.until(() -> bell.sleepers() == 1 && asleep.count.get() >= 1, Duration.ofSeconds(30), "a sleeper on the bell");
        assertTrue(bell.ringAndReport(), "the ring found the sleeper"); // it looks again and sleeps on
        asleep.go.set(true);
        bell.ring();
        assertTrue(woken.get(30, TimeUnit.SECONDS));

        Looks answer = new Looks();
        assertFalse(WaitStrategy.adaptive().await(other, answer, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)));
        assertTrue(answer.count.get() < 20, "looks in the wait after a wake-up: " + answer.count.get());

        Looks spun = new Looks(); // on another doorbell: the timed-out wait above left this one idle
        assertFalse(WaitStrategy.adaptive().await(third, spun, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)));
        assertTrue(spun.count.get() >= 2_000, "an ordinary wait spins first: " + spun.count.get());
    }

    /**
     * A wait that reached its deadline while still spinning or yielding (a timeout shorter than the spin
     * phase, or a machine so loaded that the phase outlasted it) also marks the doorbell idle. Before, only
     * a wait that went to sleep did, so on a loaded CI machine the next wait spun 2,000 times.
     */
    @Test
    void aWaitThatTimedOutBeforeItSleptAlsoMarksTheDoorbellIdle() throws InterruptedException {
        Doorbell.tookWakeHint(); // a test before this one on this thread may have woken a sleeper
        WaitStrategy adaptive = WaitStrategy.adaptive();
        Looks first = new Looks();
        assertFalse(adaptive.await(third, first, System.nanoTime() + 1)); // past by the first yield
        assertTrue(first.count.get() >= 2_000, "it spun first: " + first.count.get());

        Looks idle = new Looks();
        assertFalse(adaptive.await(third, idle, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10)));
        assertTrue(idle.count.get() < 20, "looks in a wait after one that timed out unslept: " + idle.count.get());
    }

    /**
     * A wait that timed out with no news marks the doorbell idle: the next wait goes straight to sleep (a
     * consumer polling an idle ring with a 100 ms timeout spun 2,000 times a call before); news ends it.
     */
    @Test
    void aWaitAfterATimedOutWaitDoesNotSpinUntilNewsComes() throws InterruptedException {
        Doorbell.tookWakeHint(); // a test before this one on this thread may have woken a sleeper
        WaitStrategy adaptive = WaitStrategy.adaptive();
        Looks first = new Looks();
        assertFalse(adaptive.await(other, first, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10)));
        assertTrue(first.count.get() >= 2_000, "the first wait spins: " + first.count.get());

        Looks idle = new Looks();
        assertFalse(adaptive.await(other, idle, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10)));
        assertTrue(idle.count.get() < 20, "looks in a wait after a timed-out one: " + idle.count.get());

        AtomicInteger looks = new AtomicInteger();
        assertTrue(adaptive.await(other, () -> looks.incrementAndGet() >= 2, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)),
                "news at the second look, after the first sleep");

        Looks busy = new Looks();
        assertFalse(adaptive.await(other, busy, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10)));
        assertTrue(busy.count.get() >= 2_000, "after news, waits spin again: " + busy.count.get());
    }
}
