package dev.ringfork.bench.peer;

import java.util.List;
import java.util.Set;

import static dev.ringfork.bench.peer.JvmFlags.AGRONA;
import static dev.ringfork.bench.peer.JvmFlags.CHRONICLE;
import static dev.ringfork.bench.peer.JvmFlags.HEAP;
import static dev.ringfork.bench.peer.JvmFlags.RINGFORK;

/**
 * The measurement plan of one round: which peers, roles, message sizes and settings each group
 * (spsc, pingpong, mpsc, mpmc, inproc, cost) measures, and under which key.
 */
final class Scenarios {

    static final int[] SIZES = {32, 256, 4096};
    static final int[] COST_SIZES = {32, 4096};
    /** Chronicle Queue keeps every message: at most this many bytes per measurement. */
    static final long CHRONICLE_BUDGET = 2L << 30;

    private final boolean quick;
    private final Measurer measurer;

    Scenarios(boolean quick, Measurer measurer) {
        this.quick = quick;
        this.measurer = measurer;
    }

    /** How many figures one {@link #round} of the groups in {@code only} measures: keep in step with the methods below. */
    static int figures(Set<String> only) {
        int n = 0;
        n += only.contains("spsc") ? SIZES.length * 4 : 0;
        n += only.contains("pingpong") ? 4 : 0;
        n += only.contains("mpsc") ? 3 : 0;
        n += only.contains("mpmc") ? 1 : 0;
        n += only.contains("inproc") ? 4 : 0;
        n += only.contains("cost") ? COST_SIZES.length * 3 : 0;
        return n;
    }

    /** Runs one round of the groups in {@code only}, always in the same order. */
    void round(Set<String> only) {
        if (only.contains("spsc")) {
            spsc();
        }
        if (only.contains("pingpong")) {
            pingPong();
        }
        if (only.contains("mpsc")) {
            mpsc();
        }
        if (only.contains("mpmc")) {
            mpmc();
        }
        if (only.contains("inproc")) {
            inProcess();
        }
        if (only.contains("cost")) {
            cost();
        }
    }

    private void spsc() {
        for (int size : SIZES) {
            String s = "size=" + size;
            measurer.throughput("spsc/" + size + "/ringfork-claim", List.of(
                    Party.of("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=spsc", s),
                    Party.of("producer", RINGFORK, "peer=ringfork", "role=producer", "kind=spsc", "mode=claim", s)));
            measurer.throughput("spsc/" + size + "/ringfork-batch", List.of(
                    Party.of("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=spsc", s),
                    Party.of("producer", RINGFORK, "peer=ringfork", "role=producer", "kind=spsc", "mode=batch", s)));
            measurer.throughput("spsc/" + size + "/agrona", List.of(
                    Party.of("consumer", AGRONA, "peer=agrona", "role=consumer", "kind=spsc", s),
                    Party.of("producer", AGRONA, "peer=agrona", "role=producer", "kind=spsc", s)));
            String cap = "cap=" + CHRONICLE_BUDGET / (size + 16);
            measurer.throughput("spsc/" + size + "/chronicle", List.of(
                    Party.of("consumer", CHRONICLE, "peer=chronicle", "role=consumer", s, cap),
                    Party.of("producer", CHRONICLE, "peer=chronicle", "role=producer", s, cap)));
        }
    }

    private void pingPong() {
        // Warm-up long enough for the JIT to finish with both sides (Ringfork's read path takes C2
        // 100-300 ms to compile here), so the measured trips run compiled code on schedule.
        String t = "trips=100000";
        String w = quick ? "warmup=100000" : "warmup=300000";
        measurer.pingPong("ringfork-spin", RINGFORK, List.of("peer=ringfork", "wait=spin", t, w, "interval=10000"));
        measurer.pingPong("ringfork-adaptive", RINGFORK, List.of("peer=ringfork", "wait=adaptive", t, w, "interval=10000"));
        measurer.pingPong("agrona-spin", AGRONA, List.of("peer=agrona", t, w, "interval=10000"));
        // One trip a millisecond: the adaptive ponger is asleep on the futex when each ping arrives.
        measurer.pingPong("ringfork-adaptive-1khz", RINGFORK, List.of("peer=ringfork", "wait=adaptive",
                quick ? "trips=1000" : "trips=5000", "warmup=500", "interval=1000000"));
    }

    private void mpsc() {
        measurer.throughput("mpsc/32/ringfork", List.of(
                Party.of("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpsc", "producers=2"),
                Party.of("producer0", RINGFORK, "peer=ringfork", "role=producer", "kind=mpsc", "id=0"),
                Party.of("producer1", RINGFORK, "peer=ringfork", "role=producer", "kind=mpsc", "id=1")));
        measurer.throughput("mpsc/32/ringfork-batch", List.of(
                Party.of("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpsc", "producers=2"),
                Party.of("producer0", RINGFORK, "peer=ringfork", "role=producer", "kind=mpsc", "id=0", "mode=batch"),
                Party.of("producer1", RINGFORK, "peer=ringfork", "role=producer", "kind=mpsc", "id=1", "mode=batch")));
        measurer.throughput("mpsc/32/agrona", List.of(
                Party.of("consumer", AGRONA, "peer=agrona", "role=consumer", "kind=mpsc", "producers=2"),
                Party.of("producer0", AGRONA, "peer=agrona", "role=producer", "kind=mpsc", "id=0"),
                Party.of("producer1", AGRONA, "peer=agrona", "role=producer", "kind=mpsc", "id=1")));
    }

    private void mpmc() {
        measurer.throughput("mpmc/32/ringfork", List.of(
                Party.of("consumer0", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpmc", "producers=2", "id=0"),
                Party.of("consumer1", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpmc", "producers=2", "id=1"),
                Party.of("producer0", RINGFORK, "peer=ringfork", "role=producer", "kind=mpmc", "id=0"),
                Party.of("producer1", RINGFORK, "peer=ringfork", "role=producer", "kind=mpmc", "id=1")));
    }

    private void inProcess() {
        measurer.throughput("inproc/32/abq", List.of(Party.of("consumer", HEAP, "peer=inproc", "role=run", "queue=abq")));
        measurer.throughput("inproc/32/mmcaq", List.of(Party.of("consumer", AGRONA, "peer=inproc", "role=run", "queue=mmcaq")));
        measurer.throughput("inproc/32/ringfork-spsc", List.of(Party.of("consumer", RINGFORK, "peer=inproc", "role=run", "queue=spsc")));
        measurer.throughput("inproc/32/ringfork-mpmc", List.of(Party.of("consumer", RINGFORK, "peer=inproc", "role=run", "queue=mpmc")));
    }

    /** One thread writes a burst of 256 messages, then reads them: the code path's cost, no core-to-core traffic. */
    private void cost() {
        for (int size : COST_SIZES) {
            for (String impl : List.of("ringfork-claim", "ringfork-batch", "agrona")) {
                measurer.throughput("cost/" + size + "/" + impl, List.of(Party.of("consumer", impl.equals("agrona") ? AGRONA : RINGFORK,
                        "peer=single", "role=run", "impl=" + impl, "size=" + size)));
            }
        }
    }
}
