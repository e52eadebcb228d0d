package dev.ringfork.ipc.internal;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.ipc.process.JvmProcess;

import java.util.Optional;

/**
 * Halts a child JVM once its parent is gone, so a child never outlives the JVM that started it, even one
 * killed with SIGKILL. A daemon thread looks every {@value #TICK_MILLIS} ms: the parent is alive while
 * it is still our parent (after its death the kernel hands us to init or a subreaper, so our parent pid
 * changes) and still the same process (pid and start time, so a recycled pid does not count). When it is
 * gone the thread prints one line to stderr and calls {@link Runtime#halt} with
 * {@link JvmProcess#ORPHANED_EXIT_CODE}: no shutdown hooks, nothing that could hang.
 *
 * <p>{@code ProcessHandle.of(parent).onExit()} is not used: for a process that is not our child the JDK
 * polls it too, every 300 ms and slower, on a thread of its own.
 */
public final class ParentWatchdog {

    static final long TICK_MILLIS = 100;

    private ParentWatchdog() {
    }

    /**
     * Halts this JVM once process {@code parentPid} (this JVM's parent) is gone: for a JVM started by a test or a
     * script that must not outlive it; if that process is gone already, halts at once.
     */
    public static void watch(long parentPid, String name) {
        ProcessIdentity parent = ProcessIdentity.of(parentPid).orElse(new ProcessIdentity(parentPid, -1));
        start(parent, name);
    }

    /** Checks once now (a parent that died before we got here is caught at once), then on a daemon thread. */
    static void start(ProcessIdentity parent, String name) {
        if (!alive(parent)) {
            orphaned(parent, name);
        }
        Thread.ofPlatform().daemon().name("ringfork-parent-watchdog").start(() -> {
            for (;;) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    // nobody should interrupt us; keep watching
                }
                if (!alive(parent)) {
                    orphaned(parent, name);
                }
            }
        });
    }

    private static boolean alive(ProcessIdentity parent) {
        Optional<ProcessHandle> ours = ProcessHandle.current().parent();
        return ours.isPresent() && ours.get().pid() == parent.pid() && parent.isAlive();
    }

    private static void orphaned(ProcessIdentity parent, String name) {
        System.err.println("[ringfork] process '" + name + "' (pid " + ProcessHandle.current().pid()
                + "): parent pid " + parent.pid() + " is gone, halting with exit code " + JvmProcess.ORPHANED_EXIT_CODE);
        System.err.flush();
        Runtime.getRuntime().halt(JvmProcess.ORPHANED_EXIT_CODE);
    }
}
