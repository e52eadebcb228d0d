package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.internal.Membarrier;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.ringfork.core.sync.SemaphoreLayout.NO_MEMBARRIER_SETTLED;
import static dev.ringfork.core.sync.SemaphoreLayout.NO_MEMBARRIER_SLEEPER;
import static dev.ringfork.core.sync.SemaphoreLayout.SLEEPER_COUNT_MASK;
import static dev.ringfork.core.sync.SemaphoreLayout.SLEEPERS_OFFSET;
import static dev.ringfork.core.sync.SemaphoreLayout.VALUE_OFFSET;

/**
 * Where one side of a shared structure sleeps until the other side has news, at no cost to the side with
 * news while nobody sleeps: an event count (a futex word) and a sleeper word in one
 * {@link SemaphoreLayout} line.
 *
 * <p>Protocol (Dekker): the sleeper raises the sleeper count, then checks its condition, and sleeps on
 * the count word only if the condition is still false. The side with news publishes it, then
 * {@link #ring()}: reads the sleeper word; only if someone may sleep does it bump the count word and
 * make the wake syscall. Either the ringer must see the sleeper or the sleeper the news, which needs a
 * store-load barrier on both sides. Where Linux {@code membarrier} is available (see
 * {@link Membarrier}) the sleeper pays for both: after raising the count it forces a barrier on every
 * running thread of every registered process, so {@code ring()} needs no fence at all, and a commit costs
 * one ordered store. Elsewhere {@code ring()} runs a full fence first.
 *
 * <p><b>Mixed modes.</b> A process without membarrier ({@code -Dringfork.membarrier=false}, a seccomp
 * filter, an old kernel) may share the doorbell with processes that have it. As a publisher it fences, so
 * it pairs with any sleeper. As a sleeper it can fence only itself, which a publisher that skips its fence
 * does not pair with: the publisher's store may still sit in its store buffer when the sleeper looks, while
 * its read of the sleeper word, done before the sleeper counted itself, saw nobody; the sleeper then sleeps
 * a whole slice. So before its first sleep such a sleeper marks the sleeper word
 * ({@link SemaphoreLayout#NO_MEMBARRIER_SLEEPER}, never cleared), and a membarrier publisher that reads the
 * mark runs the full fence and reads the word again: the symmetric handshake, sound by Dekker.
 *
 * <p>What the mark cannot cover is a publish whose read of the sleeper word came before the mark was
 * visible: its store may still be in flight when a sleeper that saw (or set) the mark looks. Such a store
 * leaves the store buffer within nanoseconds to microseconds (a context switch drains it too), so a sleeper
 * that finds the mark not yet settled ({@link SemaphoreLayout#NO_MEMBARRIER_SETTLED} clear) sleeps at most
 * {@link #SETTLE_NANOS} after it saw the mark before it looks again, and the first one to look again that
 * late sets the settled bit: every publisher that missed the mark did so at least that long before, so later
 * sleepers need no shorter sleep. The cost of mixing: membarrier publishers on a marked doorbell pay the fence
 * that a symmetric publisher pays, for the life of the doorbell.
 *
 * <p>If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class Doorbell {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final boolean ASYMMETRIC = Membarrier.isRegistered();
    /**
     * How long after it saw the no-membarrier mark unsettled a sleeper looks again at the latest: far longer
     * than a store stays in a store buffer, far shorter than a 50 ms sleep slice.
     */
    static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MemorySegment segment;
    private final long count;
    private final long sleepers;
    private final Futex futex;

    private Doorbell(MemorySegment segment, long base, Futex futex) {
        this.segment = segment;
        this.count = base + VALUE_OFFSET;
        this.sleepers = base + SLEEPERS_OFFSET;
        this.futex = futex;
    }

    /** The doorbell laid out at {@code segment[offset]} ({@link SemaphoreLayout#LENGTH} bytes, 4-byte aligned). */
    public static Doorbell at(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, SemaphoreLayout.LENGTH, segment.byteSize());
        if (((segment.address() + offset) & 3) != 0) {
            throw new IllegalArgumentException("a Doorbell must be 4-byte aligned, offset " + offset + " is not");
        }
        return new Doorbell(segment, offset, Futex.system());
    }

    /** Call after publishing news: wakes every sleeper, and costs a fence and a read when there is none. */
    public void ring() {
        try {
            int word;
            if (ASYMMETRIC) {
                // No fence: a membarrier sleeper that raised the count after this read forced our barrier before
                // it looked, so it sees what we published before this call.
                word = (int) INT.getOpaque(segment, sleepers);
                if ((word & NO_MEMBARRIER_SLEEPER) != 0) {
                    // A sleeper that fences only itself may be here: full fence, ordering our publishing stores
                    // before the read below (Dekker with the fence in announce()), and read the word again.
                    VarHandle.fullFence();
                    word = (int) INT.getOpaque(segment, sleepers);
                }
            } else {
                // Full fence: orders the caller's publishing stores before the sleeper-word read (Dekker with
                // the sleeper's getAndAdd and its fence or membarrier in announce()).
                VarHandle.fullFence();
                word = (int) INT.getOpaque(segment, sleepers);
            }
            if ((word & SLEEPER_COUNT_MASK) != 0) {
                wakeSleepers();
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    private void wakeSleepers() {
        INT.getAndAdd(segment, count, 1);
        futex.wake(segment, count, Integer.MAX_VALUE);
    }

    /**
     * Sleeps on the futex until {@code ready} is true, the deadline ({@link System#nanoTime()} based,
     * {@link Long#MAX_VALUE} for none) passes, or the thread is interrupted.
     *
     * @return the last value of {@code ready}
     */
    public boolean sleepUntil(BooleanSupplier ready, long deadline) throws InterruptedException {
        try {
            boolean unsettled = announce();
            long markSeen = unsettled ? System.nanoTime() : 0L;
            try {
                for (;;) {
                    int seen = (int) INT.getVolatile(segment, count);
                    long lookedAt = unsettled ? System.nanoTime() : 0L;
                    if (ready.getAsBoolean()) {
                        return true;
                    }
                    long wakeBy = deadline;
                    if (unsettled) {
                        if (lookedAt - markSeen >= SETTLE_NANOS) {
                            // Looked again at least SETTLE_NANOS after the mark was visible: settled for everyone.
                            INT.getAndBitwiseOr(segment, sleepers, NO_MEMBARRIER_SETTLED);
                            unsettled = false;
                        } else {
                            wakeBy = Math.min(deadline, markSeen + SETTLE_NANOS);
                        }
                    }
                    if (!SlicedSleep.sleep(futex, segment, count, seen, wakeBy) && wakeBy == deadline) {
                        return ready.getAsBoolean();
                    }
                }
            } finally {
                INT.getAndAdd(segment, sleepers, -1);
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /**
     * Counts this thread as a sleeper, marking the word first time round if this process has no
     * membarrier, then runs the barrier that pairs with {@link #ring()}.
     *
     * @return true if the no-membarrier mark is not settled yet (see the class comment)
     */
    private boolean announce() {
        int before = (int) INT.getAndAdd(segment, sleepers, 1);
        if (ASYMMETRIC) {
            // Every publisher that read the word before our increment has its publishing stores made
            // visible by the barrier this forces on it; every later one sees the increment.
            Membarrier.barrierAllProcesses();
            return false;
        }
        if ((before & NO_MEMBARRIER_SLEEPER) == 0) {
            INT.getAndBitwiseOr(segment, sleepers, NO_MEMBARRIER_SLEEPER);
        }
        // Full fence: orders the increment (and mark) before our look at the condition; pairs with the fence
        // in ring(), which membarrier publishers run too once they see the mark.
        VarHandle.fullFence();
        return (before & NO_MEMBARRIER_SETTLED) == 0;
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics). */
    public int sleepers() {
        try {
            return (int) INT.getVolatile(segment, sleepers) & SLEEPER_COUNT_MASK;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** True once a process without membarrier has slept here, so every publisher fences (diagnostics). */
    public boolean isMixed() {
        try {
            return ((int) INT.getVolatile(segment, sleepers) & NO_MEMBARRIER_SLEEPER) != 0;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }
}
