package dev.ringfork.core.testing;

import dev.ringfork.core.memory.RegionOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What every child main calls first: die with the parent, and a hard deadline of its own. */
public final class ChildSupport {

    private ChildSupport() {
    }

    /**
     * Halts this JVM when its parent (the test JVM) exits, or after {@code maxLife}, so no child outlives
     * a crashed or killed test run.
     */
    public static void dieWithParent(Duration maxLife) {
        CompletableFuture<ProcessHandle> parentExit = ProcessHandle.current().parent()
                .map(ProcessHandle::onExit).orElseGet(CompletableFuture::new);
        Thread.ofPlatform().daemon().name("child-watchdog").start(() -> {
            try {
                parentExit.get(maxLife.toMillis(), TimeUnit.MILLISECONDS);
                Runtime.getRuntime().halt(97); // the parent is gone
            } catch (TimeoutException e) {
                System.out.println("CHILD_DEADLINE " + maxLife + " passed, halting");
                System.out.flush();
                Runtime.getRuntime().halt(98);
            } catch (InterruptedException | ExecutionException e) {
                Runtime.getRuntime().halt(99);
            }
        });
    }

    /** Region options for a test directory passed on the command line. */
    public static RegionOptions options(String directory) {
        return RegionOptions.defaults().withDirectory(Path.of(directory));
    }
}
