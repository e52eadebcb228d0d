package dev.ringfork.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cross-process wake-to-run latency: one round trip is "write ping, wake the partner JVM, wait until it
 * has copied the value to pong and woken us". {@code spins = 0} sleeps on the futex at once on both
 * sides, so each round trip is two process wake-ups; {@code spins = 2000} spins with
 * {@link Thread#onSpinWait()} first (about 60 µs on the 2-vCPU AMD EPYC dev VM, where one PAUSE takes
 * ~31 ns), so a reply that comes quickly is caught without any syscall. A writer makes the wake syscall
 * only when the reader has announced that it sleeps (see {@link PingPong}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class FutexPingPongBenchmark {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Spin iterations before each futex sleep, on both sides. */
    @Param({"0", "2000"})
    public int spins;

    private BenchRegion bench;
    private PingPong words;
    private Process partner;
    private Path log;
    /** The value pong holds now. */
    private int last;
    private final Runnable partnerCheck = this::checkPartner;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        bench = BenchRegion.create();
        try {
            words = new PingPong(bench.region()); // creates the words before the partner attaches
            log = bench.directory().resolve("partner.log");
            partner = FutexPartner.start(bench.directory(), spins, log);
            long start = System.nanoTime();
            while (words.ready.get() == 0) {
                checkPartner();
                if (System.nanoTime() - start > START_TIMEOUT_NANOS) {
                    throw new IllegalStateException("partner JVM not ready after 60 s" + partnerOutput());
                }
                words.sleepOnce(words.ready, 0);
            }
            last = words.pong.get();
        } catch (IOException | RuntimeException | Error e) {
            stopPartner();
            bench.close();
            throw e;
        }
    }

    @Benchmark
    public int roundTrip() {
        int next = (last + 1) & Integer.MAX_VALUE; // never STOP
        words.publish(words.ping, words.pingSleeping, next);
        int value = words.awaitChange(words.pong, words.pongSleeping, last, spins, partnerCheck);
        if (value != next) {
            throw new IllegalStateException("partner answered " + value + " to " + next);
        }
        last = value;
        return value;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            stopPartner();
        } finally {
            bench.close();
        }
    }

    private void checkPartner() {
        if (!partner.isAlive()) {
            throw new IllegalStateException("partner JVM exited with " + partner.exitValue() + partnerOutput());
        }
    }

    /** Asks the partner to stop; destroys it if it has not exited 5 s later. Reports anything it printed. */
    private void stopPartner() {
        if (partner == null) {
            return;
        }
        try {
            words.publishAndWake(words.ping, PingPong.STOP);
            if (!partner.waitFor(5, TimeUnit.SECONDS)) {
                System.err.println("ringfork bench: partner JVM did not stop within 5 s; destroying it");
                partner.destroy();
                if (!partner.waitFor(5, TimeUnit.SECONDS)) {
                    partner.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            partner.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        String output = partnerOutput();
        if (!output.isEmpty()) {
            System.err.println("ringfork bench: partner JVM printed:" + output);
        }
        partner = null;
    }

    private String partnerOutput() {
        try {
            String text = log != null && Files.exists(log) ? Files.readString(log).strip() : "";
            return text.isEmpty() ? "" : "\n" + text;
        } catch (IOException e) {
            return "\n(cannot read " + log + ": " + e + ")";
        }
    }
}
