package dev.ringfork.bench;

import dev.ringfork.core.sync.SharedInt;
import dev.ringfork.core.sync.SharedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Two threads of one JVM fight for one {@link SharedLock}, each doing lock; counter++; unlock in a loop.
 * The counter lives in the region next to the lock, like real guarded state. A loser spins briefly,
 * then sleeps on the futex, and the unlock that sees the waiters bit makes the wake syscall.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Group)
public class ContendedLockBenchmark {

    private BenchRegion bench;
    private SharedLock lock;
    private SharedInt counter;

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchRegion.create();
        lock = bench.region().lock("contended");
        counter = bench.region().sharedInt("guarded");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    @Group("twoThreads")
    @GroupThreads(1)
    public void first() {
        increment();
    }

    @Benchmark
    @Group("twoThreads")
    @GroupThreads(1)
    public void second() {
        increment();
    }

    private void increment() {
        lock.lock();
        try {
            // Plain access: the lock orders it.
            counter.setPlain(counter.getPlain() + 1);
        } finally {
            lock.unlock();
        }
    }
}
