package dev.ringfork.core.internal;

import dev.ringfork.core.sync.Futex;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The Linux {@code futex(2)} syscall through libc {@code syscall}, called with FFM.
 *
 * <p>Uses the shared {@code FUTEX_WAIT}/{@code FUTEX_WAKE} operations, never the {@code _PRIVATE}
 * variants: the kernel keys a shared futex on the mapped file's page, so a wake in one process reaches
 * a waiter in another. Waits always carry a relative timeout; callers loop and re-check their own
 * condition, so spurious returns are harmless.
 */
final class LinuxFutex implements Futex {

    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EFAULT = 14;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final long sysFutex;
    private final MethodHandle waitCall;
    private final MethodHandle wakeCall;
    /** Per thread: a timespec (16 bytes) followed by the errno capture area. */
    private final ThreadLocal<MemorySegment> scratch =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16 + CAPTURE.byteSize(), 8));

    @SuppressWarnings("restricted") // the one native call of Ringfork; callers enable native access
    LinuxFutex(long sysFutex) {
        this.sysFutex = sysFutex;
        Linker linker = Linker.nativeLinker();
        MemorySegment syscall = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsupportedOperationException("libc has no syscall symbol"));
        // long syscall(long number, ...): every variadic argument is passed as a long.
        FunctionDescriptor sixArgs = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        this.waitCall = linker.downcallHandle(syscall, sixArgs,
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        // A wake never blocks: a critical call skips the thread-state transition.
        this.wakeCall = linker.downcallHandle(syscall, sixArgs,
                Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));
    }

    @Override
    public boolean wait(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        long address = address(segment, offset);
        if (timeoutNanos <= 0) {
            return false;
        }
        MemorySegment scratch = this.scratch.get();
        LONG.set(scratch, 0L, timeoutNanos / 1_000_000_000L);
        LONG.set(scratch, 8L, timeoutNanos % 1_000_000_000L);
        MemorySegment capture = scratch.asSlice(16);
        long result;
        try {
            result = (long) waitCall.invokeExact(capture, sysFutex, address, FUTEX_WAIT,
                    (long) expected, scratch.address(), 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait call failed", t);
        }
        if (result == 0) {
            return true;
        }
        int errno = (int) ERRNO.get(capture, 0L);
        return switch (errno) {
            case EAGAIN, EINTR -> true; // value already differed, or a signal: the caller re-checks
            case ETIMEDOUT -> false;
            // EFAULT: the word's page is gone, as when the region file was truncated under the mapping.
            default -> throw MappedFiles.fault(new IllegalStateException("futex wait failed with errno " + errno
                    + (errno == EFAULT ? " (EFAULT)" : "") + " at address 0x" + Long.toHexString(address)), segment);
        };
    }

    @Override
    public int wake(MemorySegment segment, long offset, int count) {
        long address = address(segment, offset);
        long result;
        try {
            result = (long) wakeCall.invokeExact(sysFutex, address, FUTEX_WAKE, (long) count, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake call failed", t);
        }
        if (result < 0) {
            // The wake call captures no errno (critical); EFAULT, a page gone under a truncated file, is the
            // likely cause: MappedFiles tells.
            throw MappedFiles.fault(new IllegalStateException("futex wake failed at address 0x"
                    + Long.toHexString(address)), segment);
        }
        return (int) result;
    }

    @Override
    public String description() {
        return "Linux futex syscall " + sysFutex + " (shared, cross-process)";
    }

    private static long address(MemorySegment segment, long offset) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a futex word must live in native (mapped) memory, not on the heap");
        }
        Objects.checkFromIndexSize(offset, Integer.BYTES, segment.byteSize());
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("the segment holding this futex word is closed (region unmapped)");
        }
        long address = segment.address() + offset;
        if ((address & 3) != 0) {
            throw new IllegalArgumentException("a futex word must be 4-byte aligned, address 0x"
                    + Long.toHexString(address) + " is not");
        }
        return address;
    }
}
