package dev.ringfork.core.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Linux {@code futex_waitv(2)} (syscall 449 on x86-64 and aarch64, kernel 5.16 and later) through libc
 * {@code syscall}, called with FFM: one sleep on several 32-bit futex words at once, ended by a
 * {@code FUTEX_WAKE} on any of them. The words are waited on shared (no {@code FUTEX2_PRIVATE}), so the
 * shared wakes of {@link Futex#system()} in other processes reach the sleeper.
 *
 * <p>Each waiter is a {@code struct futex_waitv}:
 * <pre>
 *   0 +----------------+----------------+----------------+-----------------+
 *     | val (8)        | uaddr (8)      | flags (4)      | reserved (4)    |  24 bytes
 *  24 +----------------+----------------+----------------+-----------------+
 * </pre>
 * The timeout is absolute, on {@code CLOCK_MONOTONIC}.
 */
final class FutexWaitv {

    private static final System.Logger LOG = System.getLogger("dev.ringfork.core.futex");
    static final int MAX_WORDS = 128; // FUTEX_WAITV_MAX
    private static final long SYS_FUTEX_WAITV = 449;
    private static final long FUTEX2_SIZE_U32 = 0x02;
    private static final long CLOCK_MONOTONIC = 1;
    private static final long WAITER_LENGTH = 24;
    private static final long VAL_OFFSET = 0;
    private static final long UADDR_OFFSET = VAL_OFFSET + Long.BYTES;
    private static final long FLAGS_OFFSET = UADDR_OFFSET + Long.BYTES;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** The binding, or null where futex_waitv cannot be used (then {@link #UNAVAILABLE} says why). */
    private static final FutexWaitv INSTANCE;
    static final String UNAVAILABLE;

    static {
        FutexWaitv instance = null;
        String why = null;
        try {
            instance = probe();
        } catch (IllegalCallerException e) {
            why = "native access denied";
        } catch (RuntimeException | LinkageError e) {
            why = e.getMessage() != null ? e.getMessage() : e.toString();
        }
        INSTANCE = instance;
        UNAVAILABLE = why;
        if (instance == null) {
            LOG.log(System.Logger.Level.WARNING, "ringfork: futex_waitv unavailable ({0}); a wait on several channels"
                    + " sleeps in slices of {1} µs on one of them instead", why, DoorbellSet.FALLBACK_SLICE_NANOS / 1000);
        }
    }

    private final MethodHandle waitv;
    private final MethodHandle clockGettime;
    /** Per thread: timespec (16) | errno capture | waiters (MAX_WORDS x 24). */
    private final ThreadLocal<MemorySegment> scratch;

    private FutexWaitv(MethodHandle waitv, MethodHandle clockGettime) {
        this.waitv = waitv;
        this.clockGettime = clockGettime;
        long captureAt = 16;
        long waitersAt = captureAt + ((CAPTURE.byteSize() + 7) & ~7L);
        this.scratch = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(waitersAt + MAX_WORDS * WAITER_LENGTH, 8));
    }

    /** The binding, or null where it is unavailable (see {@link #UNAVAILABLE}). */
    static FutexWaitv instance() {
        return INSTANCE;
    }

    @SuppressWarnings("restricted") // callers enable native access for dev.ringfork.core, as for the futex
    private static FutexWaitv probe() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            throw new UnsupportedOperationException("not Linux on x86-64 or aarch64: " + os + "/" + arch);
        }
        if (!Futex.system().description().startsWith("Linux futex")) {
            throw new UnsupportedOperationException("this JVM's futex is " + Futex.system().description());
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment syscall = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsupportedOperationException("libc has no syscall symbol"));
        MemorySegment clock = linker.defaultLookup().find("clock_gettime")
                .orElseThrow(() -> new UnsupportedOperationException("libc has no clock_gettime symbol"));
        // long syscall(long number, ...): every variadic argument is passed as a long.
        FunctionDescriptor sixArgs = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        MethodHandle waitv = linker.downcallHandle(syscall, sixArgs,
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        MethodHandle clockGettime = linker.downcallHandle(clock,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), Linker.Option.critical(false));
        FutexWaitv binding = new FutexWaitv(waitv, clockGettime);
        // No waiters: EINVAL where the syscall exists, ENOSYS where the kernel is older than 5.16.
        int errno = binding.call(0, 0);
        if (errno != 22) {
            throw new UnsupportedOperationException("futex_waitv probe gave errno " + errno + " (kernel before 5.16?)");
        }
        return binding;
    }

    /**
     * Sleeps while every word {@code i} equals {@code expected[i]}, at most {@code timeoutNanos}.
     *
     * @return false only when the timeout elapsed; true when woken, when a word already differed, or on a signal
     */
    boolean await(MemorySegment[] segments, long[] offsets, int[] expected, int words, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return false;
        }
        MemorySegment scratch = this.scratch.get();
        long waitersAt = waitersAt(scratch);
        for (int i = 0; i < words; i++) {
            long at = waitersAt + i * WAITER_LENGTH;
            LONG.set(scratch, at + VAL_OFFSET, expected[i] & 0xFFFF_FFFFL);
            LONG.set(scratch, at + UADDR_OFFSET, segments[i].address() + offsets[i]);
            LONG.set(scratch, at + FLAGS_OFFSET, FUTEX2_SIZE_U32); // flags, then the reserved word, both 32 bits
        }
        try {
            if ((int) clockGettime.invokeExact((int) CLOCK_MONOTONIC, scratch) != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime call failed", t);
        }
        long nanos = (long) LONG.get(scratch, 8L) + timeoutNanos % 1_000_000_000L;
        LONG.set(scratch, 0L, (long) LONG.get(scratch, 0L) + timeoutNanos / 1_000_000_000L + nanos / 1_000_000_000L);
        LONG.set(scratch, 8L, nanos % 1_000_000_000L);
        int errno = call(words, scratch.address());
        return switch (errno) {
            case 0, EAGAIN, EINTR -> true; // woken, a word already differed, or a signal: the caller re-checks
            case ETIMEDOUT -> false;
            default -> throw new IllegalStateException("futex_waitv failed with errno " + errno);
        };
    }

    /** One syscall; returns 0 on success, else the errno. */
    private int call(int words, long timespec) {
        MemorySegment scratch = this.scratch.get();
        MemorySegment capture = scratch.asSlice(16, CAPTURE.byteSize());
        long result;
        try {
            result = (long) waitv.invokeExact(capture, SYS_FUTEX_WAITV, words == 0 ? 0L : scratch.address() + waitersAt(scratch),
                    (long) words, 0L, timespec, CLOCK_MONOTONIC);
        } catch (Throwable t) {
            throw new IllegalStateException("futex_waitv call failed", t);
        }
        return result >= 0 ? 0 : (int) ERRNO.get(capture, 0L);
    }

    private static long waitersAt(MemorySegment scratch) {
        return 16 + ((CAPTURE.byteSize() + 7) & ~7L);
    }
}
