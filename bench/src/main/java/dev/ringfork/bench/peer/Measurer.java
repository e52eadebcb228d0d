package dev.ringfork.bench.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes one measurement: runs its children with the {@link PhaseRunner}, reduces their RESULT fields to
 * the measurement's figures, prints its progress line and records the figures (or the failure) in the
 * {@link Results} under the current round; then tells the listener the measurement's key.
 */
final class Measurer {

    private final PhaseRunner runner;
    private final Results results;
    private final Consumer<String> onFigure;
    private int round = 1;
    /** Suffix of the key under which a 1-producer, 1-consumer run's rate from the one-third mark to the end is recorded. */
    static final String STEADY = "-from-third";
    /** Suffix of the key under which the share of the run the (busiest-waiting) consumer spent waiting for a CPU is recorded, in %. */
    static final String WAITED = "-cpu-wait-pct";

    Measurer(PhaseRunner runner, Results results, Consumer<String> onFigure) {
        this.runner = runner;
        this.results = results;
        this.onFigure = onFigure;
    }

    /** The round the next figures belong to (their pairing key for ratios). */
    void round(int round) {
        this.round = round;
    }

    /**
     * Runs one throughput measurement of fixed message counts. The rate is the messages received by all
     * consumers, less one, over the time from the first message's arrival (at any consumer) to the last's;
     * every message sent must have arrived, each checked by its consumer. With one producer and one
     * consumer, the rate from the one-third mark to the end is recorded too (key + {@link #STEADY}).
     */
    void throughput(String key, List<Party> parties) {
        System.out.printf("%-36s ", key);
        System.out.flush();
        try {
            Map<String, Map<String, String>> fields = runner.run(key, parties, null);
            long received = 0;
            long sent = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            double steady = Double.NaN;
            long waitNanos = -1;
            for (Map<String, String> r : fields.values()) {
                if (r.containsKey("first_ns")) {
                    received += Long.parseLong(r.get("received"));
                    first = Math.min(first, Long.parseLong(r.get("first_ns")));
                    last = Math.max(last, Long.parseLong(r.get("last_ns")));
                    waitNanos = Math.max(waitNanos, Long.parseLong(r.getOrDefault("wait_ns", "-1")));
                    if (fields.size() == 2 && r.containsKey("mark_ns")) {
                        steady = (Long.parseLong(r.get("received")) - Long.parseLong(r.get("mark")))
                                / ((Long.parseLong(r.get("last_ns")) - Long.parseLong(r.get("mark_ns"))) / 1e9);
                    }
                }
                if (r.containsKey("sent")) {
                    sent += Long.parseLong(r.get("sent"));
                }
            }
            if (sent > 0 && received != sent) {
                throw new MeasurementFailure("consumers received " + received + " messages, producers sent " + sent);
            }
            if (received < 2 || last <= first) {
                throw new MeasurementFailure("nothing to time: " + received + " messages");
            }
            double seconds = (last - first) / 1e9;
            double rate = (received - 1) / seconds;
            results.addRate(key, round, rate);
            if (!Double.isNaN(steady)) {
                results.addRate(key + STEADY, round, steady);
            }
            String waited = "";
            if (waitNanos >= 0) {
                double percent = 100.0 * waitNanos / (last - first);
                results.addRate(key + WAITED, round, percent);
                waited = String.format("; consumer waited for a CPU %.1f%%", percent);
            }
            System.out.printf("%,15.0f msg/s  (%,d messages checked, first to last %.3f s%s%s)%n", rate, received, seconds,
                    Double.isNaN(steady) ? "" : String.format("; from 1/3 on %,.0f msg/s", steady), waited);
        } catch (MeasurementFailure e) {
            results.addFailure(key, e.getMessage());
            System.out.println("FAILED: " + e.getMessage());
        }
        onFigure.accept(key);
    }

    /** Runs one ping-pong measurement: a ponger, then a pinger, both with {@code flags} and {@code args}. */
    void pingPong(String key, List<String> flags, List<String> args) {
        System.out.printf("%-36s ", "pingpong/" + key);
        System.out.flush();
        List<String> ponger = new ArrayList<>(args);
        ponger.add("role=ponger");
        List<String> pinger = new ArrayList<>(args);
        pinger.add("role=pinger");
        try {
            Map<String, Map<String, String>> fields = runner.run("pingpong-" + key, List.of(
                    Party.of("ponger", flags, ponger), Party.of("pinger", flags, pinger)), "ponger");
            Map<String, String> r = new HashMap<>(fields.get("pinger"));
            r.remove("role");
            r.put("idle_cpu", fields.get("ponger").get("idle_cpu"));
            results.addTrips(key, round, r);
            System.out.printf("median %s  p99 %s  p99.9 %s  max %s µs; send->reply median %s p99 %s µs  (%s trips, ponger idle CPU %s%%%s)%n",
                    MarkdownReport.micros(r.get("p50_ns")), MarkdownReport.micros(r.get("p99_ns")),
                    MarkdownReport.micros(r.get("p999_ns")), MarkdownReport.micros(r.get("max_ns")),
                    MarkdownReport.micros(r.get("svc_p50_ns")), MarkdownReport.micros(r.get("svc_p99_ns")), r.get("trips"), r.get("idle_cpu"),
                    r.containsKey("publish_p50_ns") ? ", publishing call median " + MarkdownReport.micros(r.get("publish_p50_ns")) + " µs" : "");
        } catch (MeasurementFailure e) {
            results.addFailure("pingpong/" + key, e.getMessage());
            System.out.println("FAILED: " + e.getMessage());
        }
        onFigure.accept("pingpong/" + key);
    }
}
