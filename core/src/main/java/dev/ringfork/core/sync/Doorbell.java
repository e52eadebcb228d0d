package dev.ringfork.core.sync;

import dev.ringfork.core.internal.Membarrier;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import static dev.ringfork.core.sync.SemaphoreLayout.SLEEPERS_OFFSET;
import static dev.ringfork.core.sync.SemaphoreLayout.VALUE_OFFSET;

/**
 * Where one side of a shared structure sleeps until the other side has news, at no cost to the side with
 * news while nobody sleeps: an event count (a futex word) and a sleeper count in one
 * {@link SemaphoreLayout} line.
 *
 * <p>Protocol (Dekker): the sleeper raises the sleeper count, then checks its condition, and sleeps on
 * the count word only if the condition is still false. The side with news publishes it, then
 * {@link #ring()}: reads the sleeper count; only if someone may sleep does it bump the count word and
 * make the wake syscall. Either the ringer must see the sleeper or the sleeper the news, which needs a
 * store-load barrier on both sides. Where Linux {@code membarrier} is available (see
 * {@link Membarrier}) the sleeper pays for both: after raising the count it forces a barrier on every
 * running thread of every Ringfork process, so {@code ring()} needs no fence at all, and a commit costs
 * one ordered store. Elsewhere {@code ring()} runs a full fence first.
 */
public final class Doorbell {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final boolean ASYMMETRIC = Membarrier.isRegistered();

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
        if (!ASYMMETRIC) {
            // Full fence: orders the caller's publishing stores before the sleeper-count read (Dekker
            // with the sleeper's getAndAdd and fence in sleepUntil).
            VarHandle.fullFence();
        }
        // With ASYMMETRIC, a sleeper that raised the count after this read forced our barrier (membarrier)
        // before checking, so it sees what we published before this call.
        if ((int) INT.getOpaque(segment, sleepers) != 0) {
            wakeSleepers();
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
        INT.getAndAdd(segment, sleepers, 1);
        if (ASYMMETRIC) {
            // Every publisher that read the count before our increment has its publishing stores made
            // visible by the barrier this forces on it; every later one sees the increment.
            Membarrier.barrierAllProcesses();
        } else {
            VarHandle.fullFence(); // pairs with the fence in ring()
        }
        try {
            for (;;) {
                int seen = (int) INT.getVolatile(segment, count);
                if (ready.getAsBoolean()) {
                    return true;
                }
                if (!SlicedSleep.sleep(futex, segment, count, seen, deadline)) {
                    return ready.getAsBoolean();
                }
            }
        } finally {
            INT.getAndAdd(segment, sleepers, -1);
        }
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics). */
    public int sleepers() {
        return (int) INT.getVolatile(segment, sleepers);
    }
}
