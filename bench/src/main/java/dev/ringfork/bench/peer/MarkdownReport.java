package dev.ringfork.bench.peer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the markdown report of a run: one table per group measured (medians over the rounds, with
 * ratios), the {@link Targets}, every round's figures when there were several, and the failures.
 */
final class MarkdownReport {

    private final Results results;
    private final int rounds;

    MarkdownReport(Results results, int rounds) {
        this.results = results;
        this.rounds = rounds;
    }

    String write(Set<String> only) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Each figure is the median of %d round(s); the rounds run one after another over the whole suite.%n%n",
                rounds));
        if (only.contains("spsc")) {
            spsc(out);
        }
        if (only.contains("pingpong")) {
            pingPong(out);
        }
        if (only.contains("mpsc") || only.contains("mpmc")) {
            multiProducer(out, only);
        }
        if (only.contains("inproc")) {
            inProcess(out);
        }
        if (only.contains("cost")) {
            cost(out);
        }
        List<String> targets = Targets.check(results, only);
        if (!targets.isEmpty()) {
            out.append("Targets:\n\n");
            for (String t : targets) {
                out.append(t).append('\n');
            }
            out.append('\n');
        }
        if (rounds > 1) {
            everyRound(out);
        }
        if (!results.failures().isEmpty()) {
            out.append("Failed measurements:\n\n");
            results.failures().forEach((k, v) -> out.append("- ").append(k).append(": ")
                    .append(v.lines().findFirst().orElse("")).append('\n'));
        }
        return out.toString();
    }

    private void spsc(StringBuilder out) {
        out.append("Cross-process SPSC throughput, 1 producer JVM -> 1 consumer JVM (messages/s; ratio = Ringfork best / peer)\n\n");
        out.append("| size | Ringfork claim/commit | Ringfork batch claim (64) | Agrona OneToOneRingBuffer | Chronicle Queue | Ringfork / Agrona | Ringfork / Chronicle |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int size : Scenarios.SIZES) {
            String k = "spsc/" + size + "/";
            double best = results.best(k + "ringfork-claim", k + "ringfork-batch");
            out.append(String.format("| %d B | %s | %s | %s | %s | %s | %s |\n", size,
                    cell(k + "ringfork-claim"), cell(k + "ringfork-batch"), cell(k + "agrona"), cell(k + "chronicle"),
                    ratio(best, results.rate(k + "agrona")), ratio(best, results.rate(k + "chronicle"))));
        }
        out.append('\n');
    }

    private void pingPong(StringBuilder out) {
        out.append("Cross-process ping-pong round trip, 32 B each way, two JVMs, sent on a fixed schedule and timed\n"
                + "from the intended send time (coordinated omission corrected), microseconds\n\n");
        out.append("| pair | trips | interval | median | p99 | p99.9 | max | ponger CPU when idle | median / Agrona |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double agrona = results.tripValue("agrona-spin", "p50_ns");
        for (String key : List.of("ringfork-spin", "ringfork-adaptive", "agrona-spin", "ringfork-adaptive-1khz")) {
            Map<String, String> r = results.tripsMedian(key);
            if (r == null) {
                out.append("| ").append(key).append(" | FAILED | | | | | | | |\n");
                continue;
            }
            out.append(String.format("| %s | %s | %s µs | %s | %s | %s | %s | %s %% | %s |\n", key, r.get("trips"),
                    Long.parseLong(r.get("interval_ns")) / 1000, micros(r.get("p50_ns")), micros(r.get("p99_ns")),
                    micros(r.get("p999_ns")), micros(r.get("max_ns")), r.get("idle_cpu"),
                    ratio(Double.parseDouble(r.get("p50_ns")), agrona)));
        }
        out.append('\n');
    }

    private void multiProducer(StringBuilder out, Set<String> only) {
        out.append("Cross-process multi-producer throughput, 32 B messages, one JVM per producer and consumer (messages/s)\n\n");
        out.append("| ring | JVMs | messages/s | ratio |\n|---|---|---:|---:|\n");
        if (only.contains("mpsc")) {
            out.append(String.format("| Ringfork MpscRing, claim/commit | 2 producers -> 1 consumer | %s | %s vs Agrona |\n",
                    cell("mpsc/32/ringfork"), ratio(results.rate("mpsc/32/ringfork"), results.rate("mpsc/32/agrona"))));
            out.append(String.format("| Ringfork MpscRing, batch claims of 64 | 2 producers -> 1 consumer | %s | %s vs Agrona |\n",
                    cell("mpsc/32/ringfork-batch"), ratio(results.rate("mpsc/32/ringfork-batch"), results.rate("mpsc/32/agrona"))));
            out.append(String.format("| Agrona ManyToOneRingBuffer | 2 producers -> 1 consumer | %s | 1.00 |\n",
                    cell("mpsc/32/agrona")));
        }
        if (only.contains("mpmc")) {
            out.append(String.format("| Ringfork MpmcRing | 2 producers -> 2 consumers | %s | (no off-heap peer) |\n",
                    cell("mpmc/32/ringfork")));
        }
        out.append('\n');
    }

    private void inProcess(StringBuilder out) {
        out.append("In-process reference, one JVM, producer thread -> consumer thread, 32 B / one boxed Long per message (messages/s)\n\n");
        out.append("| queue | messages/s | / ArrayBlockingQueue |\n|---|---:|---:|\n");
        double abq = results.rate("inproc/32/abq");
        for (String[] q : new String[][] {{"abq", "ArrayBlockingQueue (boxed Long)"},
                {"mmcaq", "Agrona ManyToManyConcurrentArrayQueue (boxed Long)"},
                {"ringfork-spsc", "Ringfork SpscRing (32 B in place)"},
                {"ringfork-mpmc", "Ringfork MpmcRing (32 B in place)"}}) {
            String k = "inproc/32/" + q[0];
            out.append(String.format("| %s | %s | %s |\n", q[1], cell(k), ratio(results.rate(k), abq)));
        }
        out.append('\n');
    }

    private void cost(StringBuilder out) {
        out.append("Single-thread cost per message (one thread writes 256, then reads them; no core-to-core traffic), ns/message\n\n");
        out.append("| size | Ringfork claim/commit | Ringfork batch claim | Agrona tryClaim/commit | claim/commit / Agrona | batch claim / Agrona |\n|---:|---:|---:|---:|---:|---:|\n");
        for (int size : Scenarios.COST_SIZES) {
            String k = "cost/" + size + "/";
            out.append(String.format(Locale.ROOT, "| %d B | %s | %s | %s | %s | %s |\n", size, nanos(k + "ringfork-claim"),
                    nanos(k + "ringfork-batch"), nanos(k + "agrona"),
                    ratio(1 / results.rate(k + "ringfork-claim"), 1 / results.rate(k + "agrona")),
                    ratio(1 / results.rate(k + "ringfork-batch"), 1 / results.rate(k + "agrona"))));
        }
        out.append('\n');
    }

    private void everyRound(StringBuilder out) {
        out.append("Every round (messages/s; ping-pong: median / p99 µs):\n\n```\n");
        results.rates().forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-28s %s%n", k,
                String.join("  ", v.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList()))));
        results.trips().forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-28s %s%n", "pingpong/" + k,
                String.join("  ", v.stream().map(r -> micros(r.get("p50_ns")) + " / " + micros(r.get("p99_ns"))).toList()))));
        out.append("```\n\n");
    }

    /** A median rate in messages/s, or FAILED / - when there is none. */
    private String cell(String key) {
        double r = results.rate(key);
        if (Double.isNaN(r)) {
            return results.failed(key) ? "FAILED" : "-";
        }
        return String.format(Locale.ROOT, "%,.0f", r) + (results.failed(key) ? " (a round failed)" : "");
    }

    /** A median rate as ns per message, or FAILED / - when there is none. */
    private String nanos(String key) {
        double r = results.rate(key);
        return Double.isNaN(r) ? (results.failed(key) ? "FAILED" : "-") : String.format(Locale.ROOT, "%.1f", 1e9 / r);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** Nanoseconds (a whole number) as microseconds with two decimals. */
    static String micros(String nanos) {
        return String.format(Locale.ROOT, "%.2f", Long.parseLong(nanos) / 1000.0);
    }
}
