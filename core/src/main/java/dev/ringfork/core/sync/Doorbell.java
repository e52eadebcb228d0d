package dev.ringfork.core.sync;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Where one side of a shared structure sleeps until the other side has news, at little cost to the side
 * with news while nobody sleeps: an event count (a futex word) and a sleeper count in one
 * {@link SemaphoreLayout} line.
 *
 * <p>Protocol: the sleeper raises the sleeper count (a full barrier), then checks its condition, and
 * sleeps on the count word only if the condition is still false ({@link FutexSleepers}, shared with the
 * other blocking primitives). The side with news publishes it, then
 * reads the sleeper count (no fence: a ring's commit is one release store, nothing more); only if someone
 * may sleep does it bump the count word and make the wake syscall.
 *
 * <p>Without a fence on the publishing side, the publisher's read of the sleeper count may be performed
 * before its publishing store is visible (the store buffer, or the JIT ordering the read first): if the
 * sleeper counts itself and looks in exactly that window, neither sees the other. That costs no more
 * than the sleeper's first sleep, which is {@link #FIRST_SLICE_NANOS} short: the news is visible when it
 * looks again. {@code DoorbellHandshakeStress} (jcstress) shows how rarely the window is hit, and
 * {@code DoorbellWakeProcessTest} that such a wait ends within the first slice. Until 2026-11-29 every
 * publish ran a full fence instead (about 6 ns alone, but it drains the store buffer: a per-message
 * commit then waited for the cache line of every message it wrote, half the rate of a plain release
 * store across processes); before that, sleepers called Linux {@code membarrier}.
 *
 * <p>An interrupt of a sleeping thread wakes it at once ({@link InterruptibleWait}); later sleeps last
 * up to {@link #SLICE_NANOS}, so an idle sleeper costs no CPU. A thread that has just woken a sleeper
 * is told so ({@link #tookWakeHint()}): its own next wait should not spin, since the peer it woke needs
 * a CPU before any answer can come; and a sleep that ended at its deadline with no news marks the
 * doorbell idle ({@link #wasIdle()}), so the next wait of a quiet consumer that polls with a timeout
 * does not spin either.
 *
 * <p>If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class Doorbell {

    /** The first sleep of a wait: short, as it ends the rare wait whose ring was missed (see above). */
    static final long FIRST_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Later sleeps: until the deadline, at most this long (interrupts and rings end them earlier). */
    static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Per thread: true once it has woken a sleeper, until its next wait takes the hint. */
    private static final ThreadLocal<boolean[]> WOKE_SLEEPER = ThreadLocal.withInitial(() -> new boolean[1]);

    private final FutexSleepers sleepers;
    /**
     * This process's hint: the last sleep here ended at its deadline without news (a plain field; threads
     * of one process waiting on the same doorbell share it, and a stale value costs one spin phase).
     */
    private boolean idle;

    private Doorbell(FutexSleepers sleepers) {
        this.sleepers = sleepers;
    }

    /** The doorbell laid out at {@code segment[offset]} ({@link SemaphoreLayout#LENGTH} bytes, 4-byte aligned). */
    public static Doorbell at(MemorySegment segment, long offset) {
        return new Doorbell(FutexSleepers.semaphoreLine(segment, offset, "Doorbell"));
    }

    /** Call after publishing news: wakes every sleeper, and costs one read when there is none. */
    public void ring() {
        ringAndReport();
    }

    /** {@link #ring()}, telling whether it found someone asleep (or about to sleep) and woke them. */
    boolean ringAndReport() {
        // No fence before the look at the sleeper count: see the class comment.
        if (sleepers.bumpAndWakeAll()) {
            WOKE_SLEEPER.get()[0] = true;
            return true;
        }
        return false;
    }

    /**
     * Sleeps on the futex until {@code ready} is true, the deadline ({@link System#nanoTime()} based,
     * {@link Long#MAX_VALUE} for none) passes, or the thread is interrupted.
     *
     * @return the last value of {@code ready}
     */
    public boolean sleepUntil(BooleanSupplier ready, long deadline) throws InterruptedException {
        boolean ended = sleepers.sleepUntil(count -> ready.getAsBoolean(), deadline, FIRST_SLICE_NANOS, SLICE_NANOS, true);
        idle = !ended;
        return ended;
    }

    /**
     * True if this thread has woken a sleeper since it last asked: a wait strategy then skips its spin,
     * as the answer it waits for needs the woken thread to be scheduled first, and a spinning thread would
     * keep it off this CPU.
     */
    static boolean tookWakeHint() {
        boolean[] woke = WOKE_SLEEPER.get();
        boolean hint = woke[0];
        woke[0] = false;
        return hint;
    }

    /**
     * True if the last sleep on this doorbell (in this process) ended at its deadline with no news: the
     * other side is idle, and a wait strategy need not spin before it sleeps again.
     */
    boolean wasIdle() {
        return idle;
    }

    /** A wait on this doorbell reached its deadline before it slept, with no news: the other side is idle too. */
    void markIdle() {
        idle = true;
    }

    /**
     * The sleeper's half of the handshake alone, for the jcstress test of it: counts this thread as a
     * sleeper and runs the barrier; undo with {@link #withdrawSleeper()}.
     */
    void announceSleeper() {
        sleepers.announce();
    }

    /** Undoes {@link #announceSleeper()}. */
    void withdrawSleeper() {
        sleepers.withdraw();
    }

    /** The segment holding the futex word, for {@link DoorbellSet}. */
    MemorySegment segment() {
        return sleepers.segment();
    }

    /** The futex word's (the event count's) offset in {@link #segment()}, for {@link DoorbellSet}. */
    long countOffset() {
        return sleepers.wordOffset();
    }

    /** The event count now (volatile), for {@link DoorbellSet}. */
    int count() {
        return sleepers.word();
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics; a killed sleeper stays counted). */
    public int sleepers() {
        return sleepers.sleepers();
    }
}
