package dev.ringfork.bench.peer;

import dev.ringfork.bench.report.Spread;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.ringfork.bench.peer.Scenarios.LONG;
import static dev.ringfork.bench.peer.Scenarios.SHORT;

/**
 * Writes the markdown report of a run: one table per group measured, each with the command that
 * produced it; every figure the median over the rounds with [min–max], every ratio paired round by
 * round (Ringfork's round r against the peer's round r) with its median and [min–max]; then the
 * {@link Targets}, every round's figures and the failures.
 */
final class MarkdownReport {

    private final Results results;
    private final HarnessOptions options;

    MarkdownReport(Results results, HarnessOptions options) {
        this.results = results;
        this.options = options;
    }

    String write() {
        Set<String> only = options.only();
        StringBuilder out = new StringBuilder();
        out.append(String.format("Command: `%s`. %d interleaved round(s): each round runs every measurement once, each from fresh"
                + " child JVMs (or processes); a figure is the median of its rounds [lowest–highest]; a ratio is computed per round"
                + " (Ringfork's round r / the peer's round r) and given as the median [lowest–highest] of those.%n%n",
                options.command(), options.rounds()));
        if (only.contains("spsc")) {
            throughputTable(out, "Cross-process SPSC throughput, 1 producer JVM -> 1 consumer JVM", "spsc", Scenarios.SIZES,
                    List.of("ringfork-claim", "ringfork-batch", "agrona", "c-ring", "chronicle"));
        }
        if (only.contains("mpsc")) {
            throughputTable(out, "Cross-process MPSC throughput, 2 producer JVMs -> 1 consumer JVM", "mpsc", new int[] {32},
                    Scenarios.MPSC_PEERS);
        }
        if (only.contains("pingpong")) {
            spinTable(out);
        }
        if (only.contains("gap")) {
            gapTable(out);
        }
        if (only.contains("mpmc") || only.contains("inproc") || only.contains("cost") || only.contains("diagnose")) {
            references(out, only);
        }
        List<String> targets = Targets.check(results, only, options.longRuns());
        if (!targets.isEmpty()) {
            out.append("Targets (each judged on the median of its paired per-round ratios; [lowest–highest] round):\n\n");
            targets.forEach(t -> out.append(t).append('\n'));
            out.append('\n');
        }
        everyRound(out);
        if (!results.failures().isEmpty()) {
            out.append("Failed measurements:\n\n");
            results.failures().forEach((k, v) -> out.append("- ").append(k).append(": ")
                    .append(v.lines().findFirst().orElse("")).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    private void command(StringBuilder out, String title) {
        out.append("### ").append(title).append("\n\n`").append(options.command()).append("` (")
                .append(options.rounds()).append(" round(s))\n\n");
    }

    private void throughputTable(StringBuilder out, String title, String group, int[] sizes, List<String> peers) {
        command(out, title + ", fixed message counts timed first to last by the consumer, every message checked (M msg/s)");
        out.append("| size | ring | messages (short / long) | short run | short, from 1/3 on | long run | ÷ Agrona, short (paired)"
                + " | ÷ Agrona, long (paired) | consumer waited for a CPU, short / long (% of run) |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int size : sizes) {
            String k = group + "/" + size + "/";
            for (String peer : peers) {
                if (!results.rates().containsKey(k + peer + "/" + SHORT) && !results.failed(k + peer + "/" + SHORT)) {
                    continue;
                }
                long shortCount = count(group, size, SHORT);
                String counts = millions(shortCount) + (options.longRuns() && !peer.equals("chronicle")
                        ? " / " + millions(count(group, size, LONG)) : "");
                out.append(String.format("| %d B | %s | %s | %s | %s | %s | %s | %s | %s / %s |\n", size, name(peer), counts,
                        rate(k + peer + "/" + SHORT), rate(k + peer + "/" + SHORT + Measurer.STEADY), rate(k + peer + "/" + LONG),
                        results.rateRatio(k + peer + "/" + SHORT, k + "agrona/" + SHORT).format(2),
                        results.rateRatio(k + peer + "/" + LONG, k + "agrona/" + LONG).format(2),
                        results.rateSpread(k + peer + "/" + SHORT + Measurer.WAITED).format(1),
                        results.rateSpread(k + peer + "/" + LONG + Measurer.WAITED).format(1)));
            }
        }
        out.append('\n');
    }

    private static long count(String group, int size, String column) {
        return group.equals("mpsc") ? (column.equals(SHORT) ? Scenarios.count(32, SHORT) : 60_000_000) : Scenarios.count(size, column);
    }

    private void spinTable(StringBuilder out) {
        command(out, "Busy-spin ping-pong, 32 B each way, two JVMs (raw: two int words, no ring), one trip due every 10 µs (µs)."
                + " Scheduled: timed from the intended send time, so a stall is charged to every trip it delays (coordinated"
                + " omission corrected); send->reply: timed from the actual send, as a harness without a schedule measures."
                + " Ponger CPU idle: its JVM's CPU over 5 s after the last trip (2 s with --quick), the Ringfork ponger"
                + " blocked in read() with a 1 s timeout, as an idle consumer waits");
        out.append("| pair | trips | scheduled median | scheduled p99 | send->reply median | send->reply p99 | max | ponger CPU idle"
                + " | median ÷ Agrona | p99 ÷ Agrona | median ÷ raw spin | p99 ÷ raw spin |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String key : Scenarios.SPIN_PAIRS) {
            out.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", key,
                    results.tripSpread(key, "trips").format(0), micros(key, "p50_ns"), micros(key, "p99_ns"),
                    micros(key, "svc_p50_ns"), micros(key, "svc_p99_ns"), micros(key, "max_ns"),
                    results.tripSpread(key, "idle_cpu").format(3) + " %",
                    results.tripRatio(key, "agrona-spin", "svc_p50_ns").format(2), results.tripRatio(key, "agrona-spin", "svc_p99_ns").format(2),
                    results.tripRatio(key, "raw-spin", "svc_p50_ns").format(2), results.tripRatio(key, "raw-spin", "svc_p99_ns").format(2)));
        }
        out.append("\nRatios are of the send->reply figures, paired per round.\n\n");
    }

    private void gapTable(StringBuilder out) {
        command(out, "Ping-pong with a gap: the pinger parks for the gap, then sends and times send -> reply; the ponger"
                + " is asleep on the futex each trip (µs; publishing call = the commit() / futex wake that wakes it)");
        out.append("| pair | gap | trips | median | p99 | max | publishing call median / p99 | median ÷ raw futex"
                + " | p99 ÷ raw futex |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (long gap : Scenarios.GAPS_NS) {
            String suffix = "-gap" + gap / 1_000_000 + "ms";
            for (String pair : List.of("ringfork-adaptive", "raw-futex")) {
                String key = pair + suffix;
                out.append(String.format("| %s | %d ms | %s | %s | %s | %s | %s / %s | %s | %s |\n", pair, gap / 1_000_000,
                        results.tripSpread(key, "trips").format(0), micros(key, "p50_ns"), micros(key, "p99_ns"),
                        micros(key, "max_ns"), micros(key, "publish_p50_ns"), micros(key, "publish_p99_ns"),
                        results.tripRatio(key, "raw-futex" + suffix, "p50_ns").format(2),
                        results.tripRatio(key, "raw-futex" + suffix, "p99_ns").format(2)));
            }
        }
        out.append('\n');
    }

    private void references(StringBuilder out, Set<String> only) {
        command(out, "References: MPMC (2 producer JVMs -> 2 consumer JVMs), in-process queues (one JVM, two threads),"
                + " single-thread cost (one thread writes 256, reads them back), diagnosis runs; 32 B unless stated; short-run counts (M msg/s)");
        out.append("| measurement | M msg/s | ns/message |\n|---|---:|---:|\n");
        results.rates().keySet().stream().filter(k -> !k.endsWith(Measurer.STEADY) && !k.endsWith(Measurer.WAITED))
                .filter(k -> k.startsWith("mpmc/") || k.startsWith("inproc/") || k.startsWith("cost/") || k.startsWith("diagnose/"))
                .forEach(k -> out.append(String.format("| %s | %s | %s |\n", k, rate(k),
                        Spread.of(results.rates().get(k).stream().map(v -> 1e9 / v).toList()).format(1))));
        out.append('\n');
    }

    private void everyRound(StringBuilder out) {
        out.append("Every round (M msg/s; ping-pong: median / p99 µs):\n\n```\n");
        results.rates().forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-44s %s%n", k,
                String.join("  ", v.stream().map(x -> k.endsWith(Measurer.WAITED)
                        ? String.format(Locale.ROOT, "%.1f%%", x) : String.format(Locale.ROOT, "%.2f", x / 1e6)).toList()))));
        results.trips().forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-36s %s%n", "pingpong/" + k,
                String.join("  ", v.stream().map(r -> micros(r.get("p50_ns")) + " / " + micros(r.get("p99_ns"))).toList()))));
        out.append("```\n\n");
    }

    private static String name(String peer) {
        return switch (peer) {
            case "ringfork-claim" -> "Ringfork claim/commit";
            case "ringfork-batch" -> "Ringfork batch claim (64)";
            case "agrona" -> "Agrona (tryClaim/commit, read(handler))";
            case "c-ring" -> "C ring, floor (publish every 64)";
            case "chronicle" -> "Chronicle Queue";
            default -> peer;
        };
    }

    /** A rate as M msg/s, median [min–max], FAILED, or - when not measured. */
    private String rate(String key) {
        Spread s = results.rateSpread(key);
        if (s.missing()) {
            return results.failed(key) ? "FAILED" : "-";
        }
        return s.format(v -> String.format(Locale.ROOT, "%.2f", v / 1e6)) + (results.failed(key) ? " (a round failed)" : "");
    }

    private String micros(String key, String field) {
        Spread s = results.tripSpread(key, field);
        if (s.missing()) {
            return results.failed("pingpong/" + key) ? "FAILED" : "-";
        }
        return s.format(v -> String.format(Locale.ROOT, "%.2f", v / 1000));
    }

    private static String millions(long n) {
        return n >= 1_000_000 ? n / 1_000_000 + " M" : String.format(Locale.ROOT, "%,d", n);
    }

    /** Nanoseconds (a whole number) as microseconds with two decimals. */
    static String micros(String nanos) {
        return String.format(Locale.ROOT, "%.2f", Long.parseLong(nanos) / 1000.0);
    }
}
