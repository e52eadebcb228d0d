package dev.ringfork.bench.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes one measurement: runs its children with the {@link PhaseRunner}, reduces their RESULT fields to
 * the measurement's figures, prints its progress line and records the figures (or the failure) in the
 * {@link Results}; then tells the listener the measurement's key (done, measured or failed).
 */
final class Measurer {

    private final PhaseRunner runner;
    private final Results results;
    private final Consumer<String> onFigure;

    Measurer(PhaseRunner runner, Results results, Consumer<String> onFigure) {
        this.runner = runner;
        this.results = results;
        this.onFigure = onFigure;
    }

    /** Runs one throughput measurement; the rate is the sum over consumers of messages/s in their windows. */
    void throughput(String key, List<Party> parties) {
        System.out.printf("%-32s ", key);
        System.out.flush();
        try {
            Map<String, Map<String, String>> fields = runner.run(key, parties, null);
            double rate = 0;
            long received = 0;
            long sent = 0;
            StringBuilder detail = new StringBuilder();
            for (Map.Entry<String, Map<String, String>> e : fields.entrySet()) {
                Map<String, String> r = e.getValue();
                if (r.containsKey("rate")) {
                    rate += Double.parseDouble(r.get("rate"));
                    received += Long.parseLong(r.get("received"));
                    detail.append(String.format(" %s %.2f s", e.getKey(), Double.parseDouble(r.get("seconds"))));
                }
                if (r.containsKey("sent")) {
                    sent += Long.parseLong(r.get("sent"));
                }
            }
            if (sent > 0 && received != sent) {
                throw new MeasurementFailure("consumers received " + received + " messages, producers sent " + sent);
            }
            results.addRate(key, rate);
            System.out.printf("%,15.0f msg/s  (%,d messages checked;%s)%n", rate, received, detail);
        } catch (MeasurementFailure e) {
            results.addFailure(key, e.getMessage());
            System.out.println("FAILED: " + e.getMessage());
        }
        onFigure.accept(key);
    }

    /** Runs one ping-pong measurement: a ponger, then a pinger, both with {@code flags} and {@code args}. */
    void pingPong(String key, List<String> flags, List<String> args) {
        System.out.printf("%-32s ", "pingpong/" + key);
        System.out.flush();
        List<String> ponger = new ArrayList<>(args);
        ponger.add("role=ponger");
        List<String> pinger = new ArrayList<>(args);
        pinger.add("role=pinger");
        try {
            Map<String, Map<String, String>> fields = runner.run("pingpong-" + key, List.of(
                    new Party("ponger", flags, ponger), new Party("pinger", flags, pinger)), "ponger");
            Map<String, String> r = new HashMap<>(fields.get("pinger"));
            r.put("idle_cpu", fields.get("ponger").get("idle_cpu"));
            results.addTrips(key, r);
            System.out.printf("median %s  p99 %s  p99.9 %s  max %s  (%s trips, ponger idle CPU %s%%)%n",
                    MarkdownReport.micros(r.get("p50_ns")), MarkdownReport.micros(r.get("p99_ns")),
                    MarkdownReport.micros(r.get("p999_ns")), MarkdownReport.micros(r.get("max_ns")),
                    r.get("trips"), r.get("idle_cpu"));
        } catch (MeasurementFailure e) {
            results.addFailure("pingpong/" + key, e.getMessage());
            System.out.println("FAILED: " + e.getMessage());
        }
        onFigure.accept("pingpong/" + key);
    }
}
