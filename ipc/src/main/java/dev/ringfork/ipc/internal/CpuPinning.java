package dev.ringfork.ipc.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pins a child to one CPU by starting it through {@code taskset -c <cpu>} (which execs the JVM, so the
 * pid stays the child's). Where {@code taskset} is missing, or not on Linux, children start unpinned and
 * one warning says so.
 */
public final class CpuPinning {

    private static final System.Logger LOG = System.getLogger(CpuPinning.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private CpuPinning() {
    }

    /** The command prefix that pins {@code processName} to {@code cpu}, or an empty list (and a warning). */
    public static List<String> prefix(int cpu, String processName) {
        Optional<Path> taskset = Probe.TASKSET;
        if (taskset.isPresent()) {
            return List.of(taskset.get().toString(), "-c", Integer.toString(cpu));
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Ringfork cannot pin process ''{0}'' to CPU {1}: {2}; it and any "
                    + "later pinned process start unpinned.", processName, cpu, Probe.MISSING);
        }
        return List.of();
    }

    /** True when {@link #prefix} pins: Linux with {@code taskset} on the PATH (looked up once). */
    public static boolean available() {
        return Probe.TASKSET.isPresent();
    }

    /** Looked up on first use only. */
    private static final class Probe {
        static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        static final Optional<Path> TASKSET = LINUX ? onPath("taskset") : Optional.empty();
        static final String MISSING = LINUX
                ? "no 'taskset' on the PATH (it comes with util-linux)"
                : "pinning needs Linux's taskset, and this is " + System.getProperty("os.name");

        private static Optional<Path> onPath(String program) {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                try {
                    Path candidate = Path.of(dir, program);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                } catch (InvalidPathException e) {
                    // a PATH entry that is no path: skip it
                }
            }
            return Optional.empty();
        }
    }
}
