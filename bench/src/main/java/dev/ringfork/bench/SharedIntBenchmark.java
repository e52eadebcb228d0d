package dev.ringfork.bench;

import dev.ringfork.core.sync.SharedInt;
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

/**
 * Single-thread atomics on a {@link SharedInt} in a mapped region; {@link AtomicInteger} is the in-heap
 * baseline. The CAS always succeeds (nobody else writes), so this is the cost of the instruction plus
 * the FFM access path, not of contention.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class SharedIntBenchmark {

    private BenchRegion bench;
    private SharedInt counter;
    private final AtomicInteger baseline = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchRegion.create();
        counter = bench.region().sharedInt("counter");
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
        return baseline.getAndAdd(1);
    }
}
