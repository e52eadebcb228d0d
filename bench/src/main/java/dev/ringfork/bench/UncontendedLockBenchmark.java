package dev.ringfork.bench;

import dev.ringfork.core.sync.SharedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * One thread takes and releases a free {@link SharedLock}: one CAS, the owner record, one getAndSet, no
 * syscall. {@link ReentrantLock} is the in-heap baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class UncontendedLockBenchmark {

    private BenchRegion bench;
    private SharedLock lock;
    private final ReentrantLock baseline = new ReentrantLock();

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchRegion.create();
        lock = bench.region().lock("uncontended");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public void sharedLockUnlock() {
        lock.lock();
        lock.unlock();
    }

    @Benchmark
    public void reentrantLockUnlockBaseline() {
        baseline.lock();
        baseline.unlock();
    }
}
