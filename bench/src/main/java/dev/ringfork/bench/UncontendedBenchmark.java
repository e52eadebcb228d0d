package dev.ringfork.bench;

import dev.ringfork.core.sync.SharedInt;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Single-thread costs in a mapped region, each next to its in-heap baseline: a free {@link SharedLock}
 * taken and released (one CAS, the owner record, one getAndSet, no syscall) against {@link ReentrantLock},
 * and {@link SharedInt} atomics against {@link AtomicInteger}. Nobody else writes, so this is the cost of
 * the instructions plus the FFM access path, not of contention.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class UncontendedBenchmark {

    private BenchRegion bench;
    private SharedInt counter;
    private SharedLock lock;
    private final AtomicInteger atomicBaseline = new AtomicInteger();
    private final ReentrantLock lockBaseline = new ReentrantLock();

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchRegion.create();
        counter = bench.region().sharedInt("counter");
        lock = bench.region().lock("uncontended");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    /** Read, then CAS to value + 1: succeeds every time. */
    @Benchmark
    public boolean compareAndSet() {
        int current = counter.get();
        return counter.compareAndSet(current, current + 1);
    }

    @Benchmark
    public int getAndAdd() {
        return counter.getAndAdd(1);
    }

    @Benchmark
    public int atomicIntegerGetAndAddBaseline() {
        return atomicBaseline.getAndAdd(1);
    }

    @Benchmark
    public void sharedLockUnlock() {
        lock.lock();
        lock.unlock();
    }

    @Benchmark
    public void reentrantLockUnlockBaseline() {
        lockBaseline.lock();
        lockBaseline.unlock();
    }
}
