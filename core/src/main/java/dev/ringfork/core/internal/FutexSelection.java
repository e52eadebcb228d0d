package dev.ringfork.core.internal;

import dev.ringfork.core.sync.Futex;

import java.util.Locale;

/**
 * Picks the {@link Futex} for this JVM once: the Linux syscall where the OS and CPU are known and native
 * access works, else the polling fallback with one log line saying why. The system property
 * {@code ringfork.futex=polling} forces the fallback (used to test it).
 */
public final class FutexSelection {

    private static final System.Logger LOG = System.getLogger("dev.ringfork.core.futex");
    private static final Futex SYSTEM = select();

    private FutexSelection() {
    }

    /** The futex chosen for this JVM. */
    public static Futex system() {
        return SYSTEM;
    }

    private static Futex select() {
        if ("polling".equals(System.getProperty("ringfork.futex"))) {
            return fallback("forced by -Dringfork.futex=polling", System.Logger.Level.INFO);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        long number = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64", "arm64" -> 98;
            default -> -1;
        };
        if (!os.startsWith("linux") || number < 0) {
            return fallback("no futex syscall on " + os + "/" + arch, System.Logger.Level.WARNING);
        }
        try {
            Futex futex = new LinuxFutex(number);
            LOG.log(System.Logger.Level.DEBUG, "ringfork: waits use the {0}", futex.description());
            return futex;
        } catch (IllegalCallerException e) {
            return fallback("native access denied; start the JVM with --enable-native-access=dev.ringfork.core"
                    + " (or ALL-UNNAMED on the class path)", System.Logger.Level.WARNING);
        } catch (RuntimeException | LinkageError e) {
            return fallback("futex unavailable: " + e, System.Logger.Level.WARNING);
        }
    }

    private static Futex fallback(String reason, System.Logger.Level level) {
        LOG.log(level, "ringfork: using polling waits instead of the futex ({0}); wake-ups will be slower", reason);
        return new PollingFutex(reason);
    }
}
