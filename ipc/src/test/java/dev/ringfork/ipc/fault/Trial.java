package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * One trial of one cell of the fault matrix: its directory, its random source, the child JVMs it started
 * (all killed when it ends), and the waits every cell needs, each with a deadline.
 */
final class Trial implements AutoCloseable {

    /** Every wait of a trial; generous, the machine is small and shared. */
    static final Duration STEP = Duration.ofSeconds(90);
    static final String REGION = "f";

    final Path dir;
    final Random random;
    private final List<ChildJvm> children = new ArrayList<>();

    Trial(Path dir, long seed) {
        this.dir = dir;
        this.random = new Random(seed);
    }

    RegionOptions options(int ringBytes) {
        return RegionOptions.defaults().withDirectory(dir).withSize(Seen.regionBytes(ringBytes));
    }

    SharedRegion region(int ringBytes) {
        return SharedRegion.create(REGION, options(ringBytes));
    }

    /** Starts a child main with the trial's directory as its first argument. */
    ChildJvm start(Class<?> main, Object... args) {
        String[] all = new String[args.length + 1];
        all[0] = dir.toString();
        for (int i = 0; i < args.length; i++) {
            all[i + 1] = String.valueOf(args[i]);
        }
        ChildJvm child = ChildJvm.start(main, all);
        children.add(child);
        return child;
    }

    /** Waits (spinning, with the deadline) until {@code value} reaches {@code target}. */
    static void awaitAtLeast(LongSupplier value, long target, String what) {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (value.getAsLong() < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not reach " + target + " within " + STEP + " (at " + value.getAsLong() + ")");
            }
            Thread.onSpinWait();
        }
    }

    /** A random point to kill at: between {@code min} and {@code max}. */
    long between(long min, long max) {
        return min + (long) (random.nextDouble() * (max - min));
    }

    @Override
    public void close() {
        children.forEach(ChildJvm::close);
    }
}
