package dev.ringfork.core.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Linux {@code membarrier(2)} with {@code MEMBARRIER_CMD_GLOBAL_EXPEDITED}: one call makes every running
 * thread of every registered process execute a full memory barrier. It lets the rare side of a Dekker
 * handshake (a thread about to sleep) pay for the fence that the frequent side (every commit) would
 * otherwise pay on each message: the asymmetric-fence technique.
 *
 * <p>This JVM registers once, at class initialisation. {@link #isRegistered()} is false off Linux, on
 * kernels before 4.16, under a seccomp filter that denies the call, when native access is denied, or
 * with {@code -Dringfork.membarrier=false}; callers then fence on every publish. Processes in both
 * modes may share a structure: {@code Doorbell} has a sleeper without membarrier mark its line, and
 * publishers that see the mark fence too.
 */
public final class Membarrier {

    private static final System.Logger LOG = System.getLogger("dev.ringfork.core.futex");
    private static final long CMD_QUERY = 0;
    private static final long CMD_GLOBAL_EXPEDITED = 1 << 1;
    private static final long CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;

    private static final MethodHandle SYSCALL;
    private static final long NUMBER;
    private static final boolean REGISTERED;

    static {
        MethodHandle handle = null;
        long number = -1;
        boolean registered = false;
        if (!"false".equals(System.getProperty("ringfork.membarrier"))) {
            try {
                number = syscallNumber();
                if (number > 0) {
                    handle = downcall();
                    long supported = (long) handle.invokeExact(number, CMD_QUERY, 0L, 0L);
                    registered = supported > 0 && (supported & CMD_GLOBAL_EXPEDITED) != 0
                            && (long) handle.invokeExact(number, CMD_REGISTER_GLOBAL_EXPEDITED, 0L, 0L) == 0;
                }
            } catch (Throwable e) {
                registered = false;
            }
        }
        SYSCALL = handle;
        NUMBER = number;
        REGISTERED = registered;
        LOG.log(System.Logger.Level.DEBUG, "ringfork: membarrier global expedited {0}", registered ? "in use" : "not available");
    }

    private Membarrier() {
    }

    /** True if this process is registered, so publishers may skip their fence. */
    public static boolean isRegistered() {
        return REGISTERED;
    }

    /** Forces a full barrier on every running thread of every registered process. Only when registered. */
    public static void barrierAllProcesses() {
        try {
            long result = (long) SYSCALL.invokeExact(NUMBER, CMD_GLOBAL_EXPEDITED, 0L, 0L);
            if (result != 0) {
                throw new IllegalStateException("membarrier(GLOBAL_EXPEDITED) failed after registering");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("membarrier call failed", t);
        }
    }

    private static long syscallNumber() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return -1;
        }
        return switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> 324;
            case "aarch64", "arm64" -> 283;
            default -> -1;
        };
    }

    @SuppressWarnings("restricted") // native access is enabled where Ringfork runs; see LinuxFutex
    private static MethodHandle downcall() {
        Linker linker = Linker.nativeLinker();
        MemorySegment syscall = linker.defaultLookup().find("syscall").orElseThrow();
        return linker.downcallHandle(syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }
}
