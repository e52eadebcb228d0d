package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * The sleeper protocol every blocking primitive here shares: a 32-bit futex word that changes when there
 * is news, and a sleeper count next to it, so that the side with news makes the wake syscall only when
 * someone may sleep (a wake with nobody asleep still costs ~0.45 us).
 *
 * <p>A sleeper raises the count (a volatile increment and a full fence), reads the word, checks its
 * condition, and sleeps on the word only if the condition is still false and the word still holds what
 * it read; it sleeps in slices, never past its deadline, and lowers the count when it leaves. The side
 * with news changes the word (or state the condition reads, then the word), then reads the count: with
 * volatile accesses on both sides at least one of them sees the other, so a wake is skipped only when
 * nobody can be asleep. A sleeper killed mid-sleep leaves the count too high, which costs a spare wake.
 *
 * <p>One object per mapped structure; it holds no state of its own. Accesses pass the JVM's
 * {@link InternalError} through {@link MappedFiles#fault}, so a truncated region file throws
 * {@link dev.ringfork.core.memory.RegionTruncatedException}.
 */
final class FutexSleepers {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;
    private final long word;
    private final long sleepers;
    private final Futex futex;

    private FutexSleepers(MemorySegment segment, long word, long sleepers) {
        this.segment = segment;
        this.word = word;
        this.sleepers = sleepers;
        this.futex = Futex.system();
    }

    /**
     * The protocol over the futex word at {@code segment[base + wordOffset]} and the sleeper count at
     * {@code segment[base + sleepersOffset]}, for a structure of {@code length} bytes at {@code base} that
     * must be {@code alignment}-aligned; {@code what} names it in the alignment error.
     */
    static FutexSleepers at(MemorySegment segment, long base, long length, int alignment, long wordOffset,
            long sleepersOffset, String what) {
        Objects.checkFromIndexSize(base, length, segment.byteSize());
        if (((segment.address() + base) & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("a " + what + " must be " + alignment + "-byte aligned, offset " + base
                    + " is not");
        }
        return new FutexSleepers(segment, base + wordOffset, base + sleepersOffset);
    }

    /** The protocol over a {@link SemaphoreLayout} line at {@code segment[base]}. */
    static FutexSleepers semaphoreLine(MemorySegment segment, long base, String what) {
        return at(segment, base, SemaphoreLayout.LENGTH, Integer.BYTES, SemaphoreLayout.VALUE_OFFSET,
                SemaphoreLayout.SLEEPERS_OFFSET, what);
    }

    /**
     * Sleeps until {@code done} accepts the word's value (it is given each value read, and may act on
     * it, e.g. take a permit with a compare-and-set), the deadline ({@link Deadline#NONE} for none) passes,
     * or the thread is interrupted. The first sleep lasts at most {@code firstSlice}, later ones at most
     * {@code slice}. {@code eventCount}: the word only ever counts up, so an interrupter may bump it
     * (see {@link InterruptibleWait}).
     *
     * @return true if {@code done} accepted a value; at the deadline, whether it accepts the last one
     */
    boolean sleepUntil(IntPredicate done, long deadline, long firstSlice, long slice, boolean eventCount)
            throws InterruptedException {
        try {
            announce();
            try {
                for (long next = firstSlice; ; next = slice) {
                    // Volatile read after our count (fenced in announce): pairs with the waker's change-then-look.
                    int seen = (int) INT.getVolatile(segment, word);
                    if (done.test(seen)) {
                        return true;
                    }
                    if (!SlicedSleep.sleep(futex, segment, word, seen, deadline, next, eventCount)) {
                        return done.test((int) INT.getVolatile(segment, word));
                    }
                }
            } finally {
                withdraw();
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** {@link #sleepUntil} with every slice {@link SlicedSleep#SLICE_NANOS} long, on a word that is not an event count. */
    boolean sleepUntil(IntPredicate done, long deadline) throws InterruptedException {
        return sleepUntil(done, deadline, SlicedSleep.SLICE_NANOS, SlicedSleep.SLICE_NANOS, false);
    }

    /**
     * Call after changing the word (a volatile store or read-modify-write): wakes up to {@code count}
     * sleepers if the sleeper count says someone may sleep. Returns whether it made the syscall.
     */
    boolean wake(int count) {
        try {
            // Volatile read after the caller's volatile change of the word: pairs with announce's fence.
            if ((int) INT.getVolatile(segment, sleepers) > 0) {
                futex.wake(segment, word, count);
                return true;
            }
            return false;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /**
     * For an event-count word whose news lives elsewhere: if someone may sleep, bumps the word and wakes
     * every sleeper. The look at the sleeper count is opaque, without a fence (see {@link Doorbell} for
     * the window that leaves and why the sleeper's short first slice closes it).
     */
    boolean bumpAndWakeAll() {
        try {
            if ((int) INT.getOpaque(segment, sleepers) != 0) {
                // Volatile increment: a sleeper between its look and its futex wait then finds the word changed.
                INT.getAndAdd(segment, word, 1);
                futex.wake(segment, word, Integer.MAX_VALUE);
                return true;
            }
            return false;
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Counts this thread as a sleeper; the volatile increment and the fence order it before the next look. */
    void announce() {
        INT.getAndAdd(segment, sleepers, 1);
        // Full fence: our count before our look at the word and the condition; pairs with the waker's look.
        VarHandle.fullFence();
    }

    /** Undoes {@link #announce()}. */
    void withdraw() {
        INT.getAndAdd(segment, sleepers, -1);
    }

    /** The segment holding the futex word (for sleeping on several words at once, {@link DoorbellSet}). */
    MemorySegment segment() {
        return segment;
    }

    /** The futex word's offset in {@link #segment()}. */
    long wordOffset() {
        return word;
    }

    /** The futex word now (volatile read). */
    int word() {
        try {
            return (int) INT.getVolatile(segment, word);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** How many threads may be asleep here now (a snapshot; a killed sleeper stays counted). */
    int sleepers() {
        try {
            return (int) INT.getVolatile(segment, sleepers);
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }
}
