package dev.ringfork.ipc.process;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.internal.ChildLauncher;
import dev.ringfork.ipc.internal.OutputPump;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@link JvmProcess} child never outlives its parent, even one killed with SIGKILL. */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class JvmProcessOrphanTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration ORPHAN_LIMIT = Duration.ofSeconds(2);

    @Test
    void aGrandchildHaltsWithinTwoSecondsOfItsParentsSigkill() {
        ProcessIdentity grandchild = null;
        try (ChildJvm parent = ChildJvm.start(Parent.class)) {
            String line = parent.awaitLine("GRANDCHILD ", DEADLINE);
            long pid = Long.parseLong(line.substring("GRANDCHILD ".length()).trim());
            // pid and start time: the checks below must not mistake a recycled pid for the grandchild
            grandchild = ProcessIdentity.of(pid).orElseThrow(() -> new AssertionError("grandchild " + pid
                    + " is not running. Parent output:\n" + parent.output()));
            // its watchdog runs before its main prints this, through the parent's prefixing pump. The pump's
            // thread may relay it before the parent's main prints the pid (CI saw that once, under load), so
            // it may already be behind us: output() has every line read so far.
            String ready = OutputPump.prefix("sleeper", pid) + "READY";
            if (parent.output().lines().noneMatch(l -> l.startsWith(ready))) {
                parent.awaitLine(ready, DEADLINE);
            }

            parent.kill(); // SIGKILL, and reaped: no shutdown hook, no goodbye
            long killed = System.nanoTime();
            long deadline = killed + ORPHAN_LIMIT.toNanos();
            // ProcessIdentity, not ProcessHandle.isAlive: a halted orphan may linger as a zombie until its new
            // parent (init or a subreaper) reaps it, and a zombie has ended.
            while (grandchild.isAlive() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertTrue(!grandchild.isAlive(), "grandchild pid " + pid + " still runs " + tookMillis
                    + " ms after its parent was killed (limit " + ORPHAN_LIMIT.toMillis() + " ms)");
            System.out.println("orphaned grandchild pid " + pid + " was gone " + tookMillis + " ms after its parent's SIGKILL");
        } finally {
            if (grandchild != null && grandchild.isAlive()) {
                ProcessHandle.of(grandchild.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void anOrphanHaltsWithAnExitCodeOfItsOwnNotTheOutOfMemoryExitCode() {
        // The launcher is told its parent is this JVM with another start time: a previous process with our pid,
        // which is gone. Its watchdog finds that at once and halts.
        ProcessIdentity self = ProcessIdentity.current();
        List<String> options = List.of("-D" + JvmProcess.PARENT_PID_PROPERTY + "=" + self.pid(),
                "-D" + ChildLauncher.PARENT_START_PROPERTY + "=" + (self.startTime() + 1),
                "-D" + JvmProcess.NAME_PROPERTY + "=orphan");
        try (ChildJvm orphan = ChildJvm.start(ChildLauncher.class, options, ChildLauncher.MAIN, Sleeper.class.getName())) {
            int code = orphan.awaitExit(DEADLINE);
            assertEquals(JvmProcess.ORPHANED_EXIT_CODE, code, orphan.output());
            assertNotEquals(3, code, "3 is what -XX:+ExitOnOutOfMemoryError exits with, as pool workers run");
            assertTrue(orphan.output().contains("halting with exit code " + code), orphan.output());
        }
    }

    /** Child of the test: starts the grandchild, says its pid, and waits for it (that is, forever). */
    public static final class Parent {
        public static void main(String[] args) throws InterruptedException {
            ChildSupport.dieWithParent(DEADLINE.multipliedBy(2));
            JvmProcess sleeper = JvmProcess.builder().mainClass(Sleeper.class).name("sleeper")
                    .heap("64m").jvmOption("-XX:+UseSerialGC").jvmOption("-XX:TieredStopAtLevel=1").start();
            System.out.println("GRANDCHILD " + sleeper.pid());
            System.out.println("GRANDCHILD_EXIT " + sleeper.join()); // not reached: the test kills us first
        }
    }

    /** Grandchild: says it runs, then waits forever. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("READY");
            Thread.currentThread().join();
        }
    }
}
