package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.ringfork.core.sync.BarrierLayout.BROKEN;
import static dev.ringfork.core.sync.BarrierLayout.count;
import static dev.ringfork.core.sync.BarrierLayout.generation;
import static dev.ringfork.core.sync.BarrierLayout.phase;
import static dev.ringfork.core.sync.BarrierLayout.state;
import static dev.ringfork.core.sync.BarrierLayout.tripped;
import static dev.ringfork.core.sync.BarrierLayout.trippedMark;

/**
 * A reusable barrier across processes (the {@code multiprocessing.Barrier} of Ringfork): {@link #await}
 * returns once {@link #parties()} threads have called it, and the next generation starts. Get one by name
 * with {@code region.barrier("phase", 4)}; see {@link BarrierLayout}.
 *
 * <p>Like {@link java.util.concurrent.CyclicBarrier}: a waiter whose timeout passes or who is interrupted
 * breaks the barrier, and so does {@link #abort()}; every waiter then gets a
 * {@link BrokenBarrierException} (the one who timed out a {@link TimeoutException}), and so does every
 * later arrival until {@link #reset()}. A party that dies (even {@code kill -9}) never arrives: the
 * others' timeouts end their wait and break the barrier, so give {@code await} a timeout where a party can
 * die. {@code await} returns the arrival index, as Python does: 0 for the first to arrive, {@code parties - 1}
 * for the last, which trips the barrier.
 *
 * <p>Waits are futex sleeps in slices ({@link FutexSleepers}). If the region file is truncated under the
 * mapping, every method throws {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
public final class SharedBarrier {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment segment;
    private final long state;
    private final int parties;
    private final FutexSleepers sleepers;
    private final String name;

    private SharedBarrier(MemorySegment segment, long base, int parties, FutexSleepers sleepers, String name) {
        this.segment = segment;
        this.state = base + BarrierLayout.STATE_OFFSET;
        this.parties = parties;
        this.sleepers = sleepers;
        this.name = name;
    }

    /**
     * The barrier laid out at {@code segment[offset]} (8-byte aligned), whose parties were written there
     * when it was created ({@link #initialise}).
     */
    public static SharedBarrier at(MemorySegment segment, long offset, String name) {
        FutexSleepers sleepers = FutexSleepers.at(segment, offset, BarrierLayout.LENGTH, Long.BYTES,
                BarrierLayout.PHASE_OFFSET, BarrierLayout.SLEEPERS_OFFSET, "SharedBarrier");
        int parties;
        try {
            // Plain: written once before the slot was published, never changed.
            parties = segment.get(ValueLayout.JAVA_INT, offset + BarrierLayout.PARTIES_OFFSET);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
        if (parties < 1 || parties > BarrierLayout.MAX_PARTIES) {
            throw new IllegalStateException("SharedBarrier '" + name + "' records " + parties
                    + " parties, not 1 to " + BarrierLayout.MAX_PARTIES + ": its memory is damaged");
        }
        return new SharedBarrier(segment, offset, parties, sleepers, name);
    }

    /** Writes a new barrier for {@code parties} into its zeroed line, before it is published. */
    public static void initialise(MemorySegment line, int parties) {
        if (parties < 1 || parties > BarrierLayout.MAX_PARTIES) {
            throw new IllegalArgumentException("parties must be 1 to " + BarrierLayout.MAX_PARTIES + ", was " + parties);
        }
        line.set(ValueLayout.JAVA_INT, BarrierLayout.PARTIES_OFFSET, parties);
    }

    public int parties() {
        return parties;
    }

    /** Waits for the other parties as long as it takes; see {@link #await(long, TimeUnit)}. */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitUntil(Deadline.NONE);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline, no timeout", e);
        }
    }

    /**
     * Waits at most {@code timeout} for the other parties.
     *
     * @return the arrival index: 0 for the first party, {@code parties - 1} for the last
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws TimeoutException       if the timeout passed (this call broke the barrier)
     * @throws InterruptedException   if interrupted while waiting (this call broke the barrier)
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitUntil(Deadline.after(timeout, unit));
    }

    /** Breaks the barrier: every waiter, and every arrival until {@link #reset()}, gets a {@link BrokenBarrierException}. */
    public void abort() {
        for (;;) {
            long seen = read();
            if ((phase(seen) & BROKEN) != 0 || breakPhase(seen)) {
                return;
            }
        }
    }

    /** Breaks the current generation for its waiters, if any, and starts a new one with no one arrived. */
    public void reset() {
        for (;;) {
            long seen = read();
            if (swap(seen, state(BarrierLayout.nextPhase(phase(seen)), 0, tripped(seen)))) {
                sleepers.wake(Integer.MAX_VALUE);
                return;
            }
        }
    }

    /** True if the barrier is broken (a snapshot). */
    public boolean isBroken() {
        return (phase(read()) & BROKEN) != 0;
    }

    /** Parties waiting in the current generation, dead ones included (a snapshot). */
    public int numberWaiting() {
        return count(read());
    }

    @Override
    public String toString() {
        long seen = read();
        return "SharedBarrier[" + name + ", " + count(seen) + "/" + parties + " waiting, generation "
                + generation(phase(seen)) + ((phase(seen) & BROKEN) != 0 ? ", broken]" : "]");
    }

    private int awaitUntil(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int phase;
        int index;
        for (;;) {
            long seen = read();
            phase = phase(seen);
            index = count(seen);
            if ((phase & BROKEN) != 0) {
                throw broken();
            }
            if (index + 1 >= parties) { // the last party (or a damaged count): trip
                if (swap(seen, state(BarrierLayout.nextPhase(phase), 0, trippedMark(generation(phase))))) {
                    sleepers.wake(Integer.MAX_VALUE);
                    return parties - 1;
                }
            } else if (swap(seen, state(phase, index + 1, tripped(seen)))) {
                break;
            }
        }
        int arrived = phase;
        boolean moved;
        try {
            moved = sleepers.sleepUntil(now -> now != arrived, deadline);
        } catch (InterruptedException e) {
            if (breakGeneration(arrived)) {
                throw e;
            }
            Thread.currentThread().interrupt(); // tripped or broken meanwhile: keep the interrupt for later
            return outcome(arrived, index);
        }
        if (!moved && breakGeneration(arrived)) {
            throw new TimeoutException("SharedBarrier '" + name + "': " + (parties - count(read()))
                    + " of " + parties + " parties did not arrive in time; the barrier is now broken");
        }
        return outcome(arrived, index);
    }

    /** What a waiter of phase {@code arrived} gets once the phase has moved on: its index, or a broken barrier. */
    private int outcome(int arrived, int index) throws BrokenBarrierException {
        long seen = read();
        if (generation(phase(seen)) != generation(arrived) && tripped(seen) == trippedMark(generation(arrived))) {
            return index;
        }
        throw broken();
    }

    /** Breaks the generation of phase {@code arrived} if it is still current and unbroken; true if this call did. */
    private boolean breakGeneration(int arrived) {
        for (;;) {
            long seen = read();
            if (phase(seen) != arrived) {
                return false;
            }
            if (breakPhase(seen)) {
                return true;
            }
        }
    }

    /** One compare-and-set from {@code seen} to the same with BROKEN set, then the wake. */
    private boolean breakPhase(long seen) {
        if (!swap(seen, state(phase(seen) | BROKEN, count(seen), tripped(seen)))) {
            return false;
        }
        sleepers.wake(Integer.MAX_VALUE);
        return true;
    }

    private long read() {
        try {
            // Volatile: sees the state the last compare-and-set published.
            return (long) LONG.getVolatile(segment, state);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    private boolean swap(long seen, long next) {
        try {
            // Volatile CAS: publishes what each party wrote before arriving to every party that leaves after
            // the trip (they read the state with volatile semantics); then wake()'s look pairs with announce.
            return LONG.compareAndSet(segment, state, seen, next);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException("SharedBarrier '" + name + "' is broken (a party timed out, was interrupted or"
                + " died, or abort() was called): reset() it before using it again");
    }
}
