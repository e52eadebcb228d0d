package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A futex wake in one JVM reaches a sleeper in another. */
class FutexProcessTest {

    @TempDir
    Path temp;

    @Test
    void wakeFromThisProcessReachesASleeperInAChild() {
        assumeTrue(Futex.system().description().startsWith("Linux"), "needs the Linux futex");
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("futex", options)) {
            SharedInt word = region.sharedInt("word");
            try (ChildJvm sleeper = ChildJvm.start(Sleeper.class, temp.toString())) {
                sleeper.awaitLine("SLEEPING", Duration.ofSeconds(60));
                // The word never changes: only a real cross-process wake can end the child's 120 s sleep.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int woken = 0;
                while (woken == 0 && System.nanoTime() < deadline) {
                    woken = Futex.system().wake(word.segment(), word.offset(), 1);
                    Thread.onSpinWait();
                }
                assertEquals(1, woken, "the child was asleep on the word and got the wake");
                String line = sleeper.awaitLine("WOKEN", Duration.ofSeconds(30));
                assertTrue(line.contains("result=true"), line);
                sleeper.awaitSuccess(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void wakeFromAChildReachesASleeperHere() throws Exception {
        RegionOptions options = RegionOptions.defaults().withDirectory(temp);
        try (SharedRegion region = SharedRegion.create("futex", options)) {
            SharedInt word = region.sharedInt("word");
            try (ChildJvm waker = ChildJvm.start(Waker.class, temp.toString())) {
                // Each sleep may last 120 s: returning within 60 s needs the child's wake (or its change
                // of the word before we slept), not a timeout.
                long start = System.nanoTime();
                while (word.get() == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                    Futex.system().wait(word.segment(), word.offset(), 0, TimeUnit.SECONDS.toNanos(120));
                }
                assertEquals(1, word.get(), "woken with the new value");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "woken, not timed out");
                waker.awaitSuccess(Duration.ofSeconds(60));
            }
        }
    }

    /** Child: sleeps on the word (which nobody changes) until woken, then reports. */
    public static final class Sleeper {
        public static void main(String[] args) {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            try (SharedRegion region = SharedRegion.open("futex", ChildSupport.options(args[0]))) {
                SharedInt word = region.sharedInt("word");
                System.out.println("SLEEPING");
                System.out.flush();
                boolean result = Futex.system().wait(word.segment(), word.offset(), 0, TimeUnit.SECONDS.toNanos(120));
                System.out.println("WOKEN result=" + result);
            }
        }
    }

    /** Child: sets the word and wakes its sleepers. */
    public static final class Waker {
        public static void main(String[] args) {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            try (SharedRegion region = SharedRegion.open("futex", ChildSupport.options(args[0]))) {
                SharedInt word = region.sharedInt("word");
                word.set(1);
                Futex.system().wake(word.segment(), word.offset(), Integer.MAX_VALUE);
            }
        }
    }
}
