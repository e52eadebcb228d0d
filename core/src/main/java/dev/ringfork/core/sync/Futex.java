package dev.ringfork.core.sync;

import dev.ringfork.core.internal.FutexSelection;

import java.lang.foreign.MemorySegment;

/**
 * Sleep until a 32-bit word in shared memory changes, and wake such sleepers, across processes.
 *
 * <p>On Linux x86-64 and aarch64 this is the {@code futex(2)} syscall (shared, not private, so it
 * crosses processes). Elsewhere, or when native access is denied, it is a spin/yield/park poller behind
 * the same interface, chosen once per JVM and logged. Use {@link #system()}.
 *
 * <p>The word must be 4-byte aligned in native memory, typically a mapped {@code SharedRegion}.
 */
public interface Futex {

    /** The futex this JVM uses. */
    static Futex system() {
        return FutexSelection.system();
    }

    /**
     * Sleeps while the int at {@code segment[offset]} equals {@code expected}, at most
     * {@code timeoutNanos}. Returns {@code false} only when the timeout elapsed; {@code true} when woken,
     * when the word already differed, or spuriously (a signal or interrupt). Callers re-check their
     * condition in a loop.
     */
    boolean wait(MemorySegment segment, long offset, int expected, long timeoutNanos);

    /**
     * Wakes up to {@code count} processes or threads sleeping on the word; returns how many were woken
     * (always 0 for the polling fallback, whose waiters notice changes themselves).
     */
    int wake(MemorySegment segment, long offset, int count);

    /** What this implementation is, for logs and diagnostics. */
    String description();
}
