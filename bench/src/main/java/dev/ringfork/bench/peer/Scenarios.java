package dev.ringfork.bench.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.ringfork.bench.peer.JvmFlags.AGRONA;
import static dev.ringfork.bench.peer.JvmFlags.CHRONICLE;
import static dev.ringfork.bench.peer.JvmFlags.HEAP;
import static dev.ringfork.bench.peer.JvmFlags.RINGFORK;

/**
 * The measurement plan of one round: which peers, roles, message counts and settings each group
 * (spsc, pingpong, gap, mpsc, mpmc, inproc, cost; and diagnose, only when named) measures, and under which key. Every peer of a group
 * runs once per round, next to the others, so that each round's figures can be paired.
 *
 * <p>Throughput runs are fixed message counts from fresh JVMs, timed by the consumer from the first
 * message to the last: a short column (20 M messages at 32 B, JIT warm-up included) and a long column
 * (100 M at 32 B; 10 M / 30 M at 256 B and 0.5 M / 2 M at 4 KiB, so that each run takes seconds).
 */
final class Scenarios {

    static final int[] SIZES = {32, 256, 4096};
    static final String SHORT = "short";
    static final String LONG = "long";
    /** The SPSC peers, in the order each round runs them. */
    static final List<String> SPSC_PEERS = List.of("ringfork-claim", "ringfork-batch", "agrona", "c-ring", "chronicle");
    static final List<String> MPSC_PEERS = List.of("ringfork-claim", "ringfork-batch", "agrona");
    static final List<String> SPIN_PAIRS = List.of("ringfork-spin", "agrona-spin", "raw-spin", "ringfork-adaptive");
    static final long[] GAPS_NS = {1_000_000, 10_000_000};

    /** One measurement of the plan. */
    record Step(String key, Runnable run) {
    }

    private final HarnessOptions options;
    private final Measurer measurer;

    Scenarios(HarnessOptions options, Measurer measurer) {
        this.options = options;
        this.measurer = measurer;
    }

    /** Messages per SPSC run of {@code size} bytes in a column (each producer's share for MPSC: half of it). */
    static long count(int size, String column) {
        return switch (size) {
            case 32 -> column.equals(SHORT) ? 20_000_000 : 100_000_000;
            case 256 -> column.equals(SHORT) ? 10_000_000 : 30_000_000;
            default -> column.equals(SHORT) ? 500_000 : 2_000_000;
        };
    }

    /** The columns measured: short, and long unless quick. */
    List<String> columns() {
        return options.longRuns() ? List.of(SHORT, LONG) : List.of(SHORT);
    }

    /** One round's measurements of the groups in {@code only}, in the order they run. */
    List<Step> plan(Set<String> only) {
        List<Step> steps = new ArrayList<>();
        if (only.contains("spsc")) {
            spsc(steps);
        }
        if (only.contains("mpsc")) {
            mpsc(steps);
        }
        if (only.contains("pingpong")) {
            pingPong(steps);
        }
        if (only.contains("gap")) {
            gap(steps);
        }
        if (only.contains("mpmc")) {
            long count = count(32, SHORT) / 2;
            throughput(steps, "mpmc/32/ringfork/" + SHORT, List.of(
                    Party.of("consumer0", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpmc", "producers=2", "id=0"),
                    Party.of("consumer1", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpmc", "producers=2", "id=1"),
                    Party.of("producer0", RINGFORK, "peer=ringfork", "role=producer", "kind=mpmc", "id=0", "count=" + count),
                    Party.of("producer1", RINGFORK, "peer=ringfork", "role=producer", "kind=mpmc", "id=1", "count=" + count)));
        }
        if (only.contains("inproc")) {
            inProcess(steps);
        }
        if (only.contains("diagnose")) {
            diagnose(steps);
        }
        if (only.contains("cost")) {
            for (int size : new int[] {32, 4096}) {
                for (String impl : List.of("ringfork-claim", "ringfork-batch", "agrona")) {
                    throughput(steps, "cost/" + size + "/" + impl, List.of(Party.of("consumer", impl.equals("agrona") ? AGRONA : RINGFORK,
                            "peer=single", "role=run", "impl=" + impl, "size=" + size, "count=" + count(size, SHORT))));
                }
            }
        }
        return steps;
    }

    private void throughput(List<Step> steps, String key, List<Party> parties) {
        steps.add(new Step(key, () -> measurer.throughput(key, parties)));
    }

    private void spsc(List<Step> steps) {
        for (int size : SIZES) {
            for (String column : columns()) {
                String s = "size=" + size;
                String n = "count=" + count(size, column);
                String k = "spsc/" + size + "/";
                for (String mode : List.of("claim", "batch")) {
                    throughput(steps, k + "ringfork-" + mode + "/" + column, List.of(
                            Party.of("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=spsc", s, n),
                            Party.of("producer", RINGFORK, "peer=ringfork", "role=producer", "kind=spsc", "mode=" + mode, s, n)));
                }
                throughput(steps, k + "agrona/" + column, List.of(
                        Party.of("consumer", AGRONA, "peer=agrona", "role=consumer", "kind=spsc", s, n),
                        Party.of("producer", AGRONA, "peer=agrona", "role=producer", "kind=spsc", s, n)));
                if (options.cRing() != null) {
                    throughput(steps, k + "c-ring/" + column, List.of(
                            Party.program("consumer", options.cRing(), "role=consumer", s, n),
                            Party.program("producer", options.cRing(), "role=producer", s, n)));
                }
                if (size == 32 && column.equals(SHORT)) {
                    // Chronicle Queue keeps every message (here ~1 GiB on /dev/shm): the short column only.
                    throughput(steps, k + "chronicle/" + column, List.of(
                            Party.of("consumer", CHRONICLE, "peer=chronicle", "role=consumer", s, n),
                            Party.of("producer", CHRONICLE, "peer=chronicle", "role=producer", s, n)));
                }
            }
        }
    }

    private void mpsc(List<Step> steps) {
        for (String column : columns()) {
            String n = "count=" + (column.equals(SHORT) ? count(32, SHORT) / 2 : 30_000_000);
            for (String peer : MPSC_PEERS) {
                List<String> flags = peer.equals("agrona") ? AGRONA : RINGFORK;
                String p = peer.equals("agrona") ? "peer=agrona" : "peer=ringfork";
                String mode = "mode=" + (peer.equals("ringfork-batch") ? "batch" : "claim");
                throughput(steps, "mpsc/32/" + peer + "/" + column, List.of(
                        Party.of("consumer", flags, p, "role=consumer", "kind=mpsc", "producers=2", n),
                        Party.of("producer0", flags, p, "role=producer", "kind=mpsc", "id=0", mode, n),
                        Party.of("producer1", flags, p, "role=producer", "kind=mpsc", "id=1", mode, n)));
            }
        }
    }

    /** Busy ping-pong on a fixed schedule (one trip every 10 µs), timed from the intended send time. */
    private void pingPong(List<Step> steps) {
        // Warm-up long enough for the JIT to finish with both sides (Ringfork's read path takes C2
        // 100-300 ms to compile here), so the measured trips run compiled code on schedule.
        String t = options.quick() ? "trips=30000" : "trips=100000";
        String w = options.quick() ? "warmup=100000" : "warmup=300000";
        for (String pair : SPIN_PAIRS) {
            List<String> args = switch (pair) {
                case "ringfork-spin" -> List.of("peer=ringfork", "wait=spin");
                case "ringfork-adaptive" -> List.of("peer=ringfork", "wait=adaptive");
                case "agrona-spin" -> List.of("peer=agrona");
                default -> List.of("peer=raw", "wait=spin");
            };
            pingPong(steps, pair, pair.startsWith("agrona") ? AGRONA : RINGFORK, args, t, w, "interval=10000");
        }
    }

    /**
     * Ping-pong with a gap: after a scheduled warm-up, the pinger parks for the gap before each trip, so
     * the ponger is asleep on the futex when the ping comes; timed from the send to the reply.
     */
    private void gap(List<Step> steps) {
        for (long gap : GAPS_NS) {
            long trips = gap == 1_000_000 ? (options.quick() ? 500 : 2000) : (options.quick() ? 100 : 300);
            String suffix = "-gap" + gap / 1_000_000 + "ms";
            for (String pair : List.of("ringfork-adaptive", "raw-futex")) {
                List<String> args = pair.equals("raw-futex") ? List.of("peer=raw", "wait=futex") : List.of("peer=ringfork", "wait=adaptive");
                pingPong(steps, pair + suffix, RINGFORK, args, "trips=" + trips, "warmup=20000", "interval=10000", "gap=" + gap);
            }
        }
    }

    private void pingPong(List<Step> steps, String key, List<String> flags, List<String> peerArgs, String... args) {
        List<String> all = new ArrayList<>(peerArgs);
        all.addAll(List.of(args));
        steps.add(new Step("pingpong/" + key, () -> measurer.pingPong(key, flags, all)));
    }

    /**
     * Not in the default groups: Agrona at 32 B, 20 M messages, read as the old harness read it (at most
     * 256 per poll, and the control page read after each poll) beside read(handler) with no limit.
     */
    private void diagnose(List<Step> steps) {
        String n = "count=" + count(32, SHORT);
        for (String[] variant : new String[][] {{"read-all", "limit=" + Integer.MAX_VALUE, "pollControl=false"},
                {"read-256", "limit=256", "pollControl=false"}, {"read-256-poll-control", "limit=256", "pollControl=true"}}) {
            throughput(steps, "diagnose/32/agrona-" + variant[0], List.of(
                    Party.of("consumer", AGRONA, "peer=agrona", "role=consumer", "kind=spsc", n, variant[1], variant[2]),
                    Party.of("producer", AGRONA, "peer=agrona", "role=producer", "kind=spsc", n)));
        }
    }

    private void inProcess(List<Step> steps) {
        String n = "count=" + count(32, SHORT);
        for (String[] q : new String[][] {{"abq", "HEAP"}, {"mmcaq", "AGRONA"}, {"ringfork-spsc", "RINGFORK"}, {"ringfork-mpmc", "RINGFORK"}}) {
            List<String> flags = switch (q[1]) {
                case "HEAP" -> HEAP;
                case "AGRONA" -> AGRONA;
                default -> RINGFORK;
            };
            throughput(steps, "inproc/32/" + q[0], List.of(Party.of("consumer", flags, "peer=inproc", "role=run",
                    "queue=" + q[0].replace("ringfork-", ""), n)));
        }
    }
}
