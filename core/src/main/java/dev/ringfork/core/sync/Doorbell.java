package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import static dev.ringfork.core.sync.SemaphoreLayout.SLEEPERS_OFFSET;
import static dev.ringfork.core.sync.SemaphoreLayout.VALUE_OFFSET;

/**
 * Where one side of a shared structure sleeps until the other side has news, at little cost to the side
 * with news while nobody sleeps: an event count (a futex word) and a sleeper count in one
 * {@link SemaphoreLayout} line.
 *
 * <p>Protocol (Dekker): the sleeper raises the sleeper count (a full barrier), then checks its condition,
 * and sleeps on the count word only if the condition is still false. The side with news publishes it,
 * runs a full fence, then reads the sleeper count; only if someone may sleep does it bump the count word
 * and make the wake syscall. Each side orders its store before its load, so at least one sees the other:
 * the ringer sees the sleeper, or the sleeper sees the news. No wake-up is lost, and none costs more than
 * the fence and a read while nobody sleeps.
 *
 * <p>Until this version publishers skipped the fence and sleepers paid for both sides with Linux
 * {@code membarrier(GLOBAL_EXPEDITED)}. jcstress ({@code DoorbellHandshakeStress}) showed that scheme
 * losing about one wake-up per million handshakes once compiled (the JIT may order the sleeper-count read
 * before the publishing store; no compiler-only fence that Java offers prevented it under C2's scheduling
 * stress), each lost wake-up costing a whole sleep slice; it also needed every process to be in the same
 * mode. A full fence costs about 6 ns here.
 *
 * <p>If the region file is truncated under the mapping, every method throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class Doorbell {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

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
        ringAndReport();
    }

    /** {@link #ring()}, telling whether it found someone asleep (or about to sleep) and woke them. */
    boolean ringAndReport() {
        try {
            // Full fence: orders the caller's publishing stores before the sleeper-count read (Dekker with the
            // sleeper's getAndAdd and fence in announce()).
            VarHandle.fullFence();
            if ((int) INT.getOpaque(segment, sleepers) != 0) {
                INT.getAndAdd(segment, count, 1);
                futex.wake(segment, count, Integer.MAX_VALUE);
                return true;
            }
            return false;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /**
     * Sleeps on the futex until {@code ready} is true, the deadline ({@link System#nanoTime()} based,
     * {@link Long#MAX_VALUE} for none) passes, or the thread is interrupted.
     *
     * @return the last value of {@code ready}
     */
    public boolean sleepUntil(BooleanSupplier ready, long deadline) throws InterruptedException {
        try {
            announce();
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
                withdrawSleeper();
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Counts this thread as a sleeper; the volatile increment and the fence order it before the next look. */
    private void announce() {
        INT.getAndAdd(segment, sleepers, 1);
        // Full fence: our count before our look at the condition; pairs with the fence in ring().
        VarHandle.fullFence();
    }

    /**
     * The sleeper's half of the handshake alone, for the jcstress test of it: counts this thread as a
     * sleeper and runs the barrier; undo with {@link #withdrawSleeper()}.
     */
    void announceSleeper() {
        announce();
    }

    /** Undoes {@link #announceSleeper()}. */
    void withdrawSleeper() {
        INT.getAndAdd(segment, sleepers, -1);
    }

    /** How many threads may be asleep here now (a snapshot, for diagnostics; a killed sleeper stays counted). */
    public int sleepers() {
        try {
            return (int) INT.getVolatile(segment, sleepers);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }
}
