package dev.ringfork.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as other processes can recognise it: its pid plus its start time, so a recycled pid is
 * not mistaken for the process that held a lock or created a region.
 *
 * <p>On Linux the start time is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot), exact
 * and cheap to read; elsewhere it is {@link ProcessHandle.Info#startInstant()} in milliseconds. A
 * start time of {@code 0} means "not recorded" and matches any live process with that pid.
 */
public record ProcessIdentity(long pid, long startTime) {

    private static final boolean PROC_FS = Files.isReadable(Path.of("/proc/self/stat"));
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid())
            .orElseGet(() -> new ProcessIdentity(ProcessHandle.current().pid(), 0));

    /** This JVM's identity (computed once). */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    /** The identity of the live process with this pid, or empty if none runs (zombies count as dead). */
    public static Optional<ProcessIdentity> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return PROC_FS ? fromProcFs(pid) : fromProcessHandle(pid);
    }

    /** Bits of the start time kept by {@link #packed()}; the pid takes the 22 bits above them. */
    private static final int PACKED_START_BITS = 42;
    private static final long PACKED_START_MASK = (1L << PACKED_START_BITS) - 1;

    /**
     * This identity in one 64-bit word, {@code pid << 42 | start time (low 42 bits)}, so that shared
     * memory can hold an owner's full identity in a word written by one compare-and-set. Never 0 (pids
     * are positive), so 0 can mean "no owner".
     */
    public long packed() {
        return (pid << PACKED_START_BITS) | (startTime & PACKED_START_MASK);
    }

    /** The pid of a {@link #packed()} identity. */
    public static long packedPid(long packed) {
        return packed >>> PACKED_START_BITS;
    }

    /** True if the process a {@link #packed()} word names still runs (same pid, same start time). */
    public static boolean isPackedAlive(long packed) {
        long pid = packedPid(packed);
        long start = packed & PACKED_START_MASK;
        if (pid == CURRENT.pid) {
            return (CURRENT.startTime & PACKED_START_MASK) == start;
        }
        return of(pid).map(live -> (live.startTime & PACKED_START_MASK) == start).orElse(false);
    }

    /** True while this very process (same pid and, if recorded, same start time) is running. */
    public boolean isAlive() {
        if (pid == CURRENT.pid) {
            return startTime == 0 || startTime == CURRENT.startTime;
        }
        return of(pid).map(live -> startTime == 0 || live.startTime == startTime).orElse(false);
    }

    private static Optional<ProcessIdentity> fromProcFs(long pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH while reading: the process went away between open and read.
            return Optional.empty();
        }
        String stat = new String(raw, StandardCharsets.US_ASCII);
        // Field 2 (comm) may contain spaces and parentheses: the fields we want follow the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return Optional.empty();
        }
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length < 20) {
            return Optional.empty(); // not a stat line we understand: treat as gone
        }
        char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return Optional.empty(); // exited, not yet reaped: as good as dead
        }
        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
        return Optional.of(new ProcessIdentity(pid, Long.parseLong(fields[19])));
    }

    private static Optional<ProcessIdentity> fromProcessHandle(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(h -> new ProcessIdentity(pid, h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L)));
    }
}
