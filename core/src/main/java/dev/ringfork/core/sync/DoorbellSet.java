package dev.ringfork.core.sync;

import dev.ringfork.core.internal.MappedFiles;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A sleep on several {@link Doorbell}s at once, until a condition over all of them holds: for a thread
 * that waits for whichever of several rings has news first (Python's
 * {@code multiprocessing.connection.wait}).
 *
 * <p>The handshake is each doorbell's own: the sleeper counts itself on every doorbell (a full barrier
 * each), reads their event counts, checks its condition, and only then sleeps, on all the count words at
 * once with Linux {@code futex_waitv} ({@link FutexWaitv}); a publisher's {@link Doorbell#ring()} on any
 * of them bumps that count and wakes it. As with one doorbell, a ring whose opaque read of the sleeper
 * count was performed before our count was visible is caught by the short first slice
 * ({@link Doorbell#FIRST_SLICE_NANOS}).
 *
 * <p>Where {@code futex_waitv} is unavailable (a kernel before 5.16, the polling futex, another OS), one
 * line is logged and the sleep is on the first doorbell alone, in slices of
 * {@link #FALLBACK_SLICE_NANOS}: news on the others is seen within a slice. An interrupt ends the sleep
 * at once either way ({@link InterruptibleWait}, through the first doorbell's word).
 */
public final class DoorbellSet {

    /** Slice of the fallback sleep, on the first doorbell only. */
    static final long FALLBACK_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private DoorbellSet() {
    }

    /** Most doorbells one sleep can watch (the kernel's {@code FUTEX_WAITV_MAX}). */
    public static int maxDoorbells() {
        return FutexWaitv.MAX_WORDS;
    }

    /** True if sleeps use {@code futex_waitv}; false if they fall back to slices (see the class comment). */
    public static boolean usesFutexWaitv() {
        return FutexWaitv.instance() != null;
    }

    /**
     * Sleeps until {@code ready} is true, the deadline ({@link System#nanoTime()} based, {@link Deadline#NONE}
     * for none) passes, or the thread is interrupted. {@code ready} is called after this thread counts
     * itself as a sleeper on every doorbell, so any news published on them after it said false wakes it.
     *
     * @return the last value of {@code ready}
     * @throws IllegalArgumentException if {@code bells} is empty or longer than {@link #maxDoorbells()}
     */
    public static boolean sleepUntil(List<Doorbell> bells, BooleanSupplier ready, long deadline) throws InterruptedException {
        Objects.requireNonNull(ready, "ready");
        int n = bells.size();
        if (n == 0 || n > FutexWaitv.MAX_WORDS) {
            throw new IllegalArgumentException("a sleep watches 1 to " + FutexWaitv.MAX_WORDS + " doorbells, not " + n);
        }
        Doorbell first = bells.get(0);
        FutexWaitv waitv = FutexWaitv.instance();
        MemorySegment[] segments = new MemorySegment[n];
        long[] offsets = new long[n];
        int[] seen = new int[n];
        for (int i = 0; i < n; i++) {
            segments[i] = bells.get(i).segment();
            offsets[i] = bells.get(i).countOffset();
        }
        int announced = 0;
        try {
            for (; announced < n; announced++) {
                bells.get(announced).announceSleeper(); // volatile increment and full fence: before our look
            }
            Futex sleep = waitv == null ? Futex.system() : new AllWords(waitv, segments, offsets, seen, n);
            for (long slice = Doorbell.FIRST_SLICE_NANOS; ; slice = waitv == null ? FALLBACK_SLICE_NANOS : Doorbell.SLICE_NANOS) {
                for (int i = 0; i < n; i++) {
                    seen[i] = bells.get(i).count(); // volatile: before the condition, as in Doorbell.sleepUntil
                }
                if (ready.getAsBoolean()) {
                    return true;
                }
                // Interruptible: an interrupt bumps the first doorbell's count and wakes it, which ends either sleep.
                if (!SlicedSleep.sleep(sleep, first.segment(), first.countOffset(), seen[0], deadline,
                        Math.min(slice, waitv == null ? FALLBACK_SLICE_NANOS : slice), true)) {
                    return ready.getAsBoolean();
                }
            }
        } catch (InternalError e) {
            throw MappedFiles.fault(e, first.segment());
        } finally {
            for (int i = 0; i < announced; i++) {
                bells.get(i).withdrawSleeper();
            }
        }
    }

    /**
     * The futex_waitv sleep in the shape {@link InterruptibleWait} drives: its wait sleeps on every word
     * (the one it is given is the first of them), its wake is the system futex's.
     */
    private record AllWords(FutexWaitv waitv, MemorySegment[] segments, long[] offsets, int[] expected, int words)
            implements Futex {
        @Override
        public boolean wait(MemorySegment segment, long offset, int firstExpected, long timeoutNanos) {
            return waitv.await(segments, offsets, expected, words, timeoutNanos);
        }

        @Override
        public int wake(MemorySegment segment, long offset, int count) {
            return Futex.system().wake(segment, offset, count);
        }

        @Override
        public String description() {
            return "futex_waitv on " + words + " words";
        }
    }
}
