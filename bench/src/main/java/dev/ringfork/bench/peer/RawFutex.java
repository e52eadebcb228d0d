package dev.ringfork.bench.peer;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The bare futex, for the raw FFM peer only: libc's variadic {@code syscall(SYS_futex, ...)} on a word
 * of a mapped file, with the shared (not {@code _PRIVATE}) FUTEX_WAIT and FUTEX_WAKE so that it crosses
 * processes. x86-64 only (SYS_futex 202). No waiter count, no spin: the baseline a ring's wait strategy
 * is held against.
 */
final class RawFutex {

    private static final long SYS_FUTEX = 202;
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;
    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    private RawFutex() {
    }

    /** Sleeps while the int at {@code word} is {@code expected}, at most as long as the timespec at {@code timeout} says. */
    static void await(MemorySegment word, int expected, MemorySegment timeout) {
        call(word.address(), FUTEX_WAIT, expected, timeout.address());
    }

    /** Wakes one sleeper on the int at {@code word}. */
    static void wake(MemorySegment word) {
        call(word.address(), FUTEX_WAKE, 1, 0);
    }

    private static void call(long address, long op, long value, long timeout) {
        try {
            long unused = (long) SYSCALL.invokeExact(SYS_FUTEX, address, op, value, timeout, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex syscall failed", t);
        }
    }
}
