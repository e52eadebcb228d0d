package dev.ringfork.bench;

import dev.ringfork.core.ring.MessageHandler;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * The code path of one message through an {@link SpscRing} with no second core involved: one thread
 * claims, fills and commits a burst of 64 messages, then reads them back. What remains is the cost of the
 * instructions (claim, copy, commit, read, release) and any allocation; run with {@code -prof gc} to see
 * the bytes allocated per message, which should be zero.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class RingPathBenchmark {

    private static final int BURST = 64;
    private static final ValueLayout.OfLong SEQ = ValueLayout.JAVA_LONG_UNALIGNED;

    @Param({"32", "4096"})
    public int size;

    private BenchRegion bench;
    private RingProducer producer;
    private RingConsumer consumer;
    private MemorySegment payload;
    private MemorySegment[] batch;
    private long seq;
    private long sum;
    private final MessageHandler handler = (type, message) -> sum += message.get(SEQ, 0);

    @Setup
    public void setUp() {
        bench = BenchRegion.create();
        SpscRing ring = SpscRing.open(bench.region(), "path", RingOptions.defaults().withCapacity(1 << 19));
        producer = ring.producer();
        consumer = ring.consumer();
        payload = Arena.ofAuto().allocate(size, 8);
        batch = new MemorySegment[BURST];
        for (int i = 0; i < BURST; i++) {
            batch[i] = Arena.ofAuto().allocate(size, 8);
        }
    }

    @TearDown
    public void tearDown() {
        consumer.close();
        bench.close();
    }

    /** tryClaim, copy the payload in, write a sequence number, commit; then read the burst. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long claimCommitRead() {
        for (int i = 0; i < BURST; i++) {
            RingClaim claim = producer.tryClaim(1, size);
            MemorySegment buffer = claim.buffer();
            MemorySegment.copy(payload, 8, buffer, 8, size - 8);
            buffer.set(SEQ, 0, seq++);
            claim.commit();
        }
        drain();
        return sum;
    }

    /** offerBatch of 64 prepared messages; then read the burst. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long offerBatchRead() {
        for (int i = 0; i < BURST; i++) {
            batch[i].set(SEQ, 0, seq++);
        }
        if (producer.offerBatch(1, batch, 0, BURST) != BURST) {
            throw new IllegalStateException("ring full");
        }
        drain();
        return sum;
    }

    private void drain() {
        int left = BURST;
        while (left > 0) {
            left -= consumer.read(handler, left);
        }
    }
}
