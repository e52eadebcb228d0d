package dev.ringfork.bench.peer;

import dev.ringfork.bench.report.Spread;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.ringfork.bench.peer.Scenarios.LONG;
import static dev.ringfork.bench.peer.Scenarios.SHORT;

/**
 * The performance targets Ringfork is held to (issue 10), each judged on the median of its paired
 * per-round ratio (Ringfork / peer): MET, MISSED or NOT MEASURED. Throughput ratios must reach their
 * bar; latency ratios must stay at or under theirs. Per-message throughput targets are judged in each
 * column measured.
 */
final class Targets {

    private Targets() {
    }

    /** One markdown list item per target of the groups in {@code only}. */
    static List<String> check(Results results, Set<String> only, boolean longRuns) {
        List<String> out = new ArrayList<>();
        List<String> columns = longRuns ? List.of(SHORT, LONG) : List.of(SHORT);
        if (only.contains("spsc")) {
            for (int size : Scenarios.SIZES) {
                double bar = size == 4096 ? 1.0 : 1.5;
                for (String c : columns) {
                    String k = "spsc/" + size + "/";
                    out.add(atLeast(String.format("SPSC claim/commit >= %.1fx Agrona at %d B, %s run", bar, size, c),
                            results.rateRatio(k + "ringfork-claim/" + c, k + "agrona/" + c), bar));
                }
            }
            out.add(atLeast("SPSC batch claim (64) >= 3x Agrona at 32 B, 20 M-message (short) run",
                    results.rateRatio("spsc/32/ringfork-batch/short", "spsc/32/agrona/short"), 3));
            out.add(atLeast("SPSC claim/commit >= 10x Chronicle Queue per message at 32 B, short run",
                    results.rateRatio("spsc/32/ringfork-claim/short", "spsc/32/chronicle/short"), 10));
        }
        if (only.contains("mpsc")) {
            for (String c : columns) {
                out.add(atLeast("MPSC claim/commit >= 1.2x Agrona ManyToOne, " + c + " run",
                        results.rateRatio("mpsc/32/ringfork-claim/" + c, "mpsc/32/agrona/" + c), 1.2));
                out.add(atLeast("MPSC batch claim >= 2x Agrona ManyToOne, " + c + " run",
                        results.rateRatio("mpsc/32/ringfork-batch/" + c, "mpsc/32/agrona/" + c), 2));
            }
        }
        if (only.contains("pingpong")) {
            for (String field : List.of("svc_p50_ns", "svc_p99_ns")) {
                String p = field.substring(4, 7) + " (send->reply)";
                out.add(atMost("spin ping-pong " + p + " <= 1.0x Agrona", results.tripRatio("ringfork-spin", "agrona-spin", field), 1.0));
                out.add(atMost("spin ping-pong " + p + " <= 1.3x raw FFM spin", results.tripRatio("ringfork-spin", "raw-spin", field), 1.3));
            }
            Spread idle = results.tripSpread("ringfork-adaptive", "idle_cpu");
            out.add(String.format(Locale.ROOT, "- adaptive ponger idle CPU <= 0.2 %% of a core: %s %% -> %s", idle.format(3),
                    idle.missing() ? "NOT MEASURED" : idle.median() <= 0.2 ? "MET" : "MISSED"));
        }
        if (only.contains("gap")) {
            for (long gap : Scenarios.GAPS_NS) {
                String suffix = "-gap" + gap / 1_000_000 + "ms";
                out.add(atMost("gap ping-pong (asleep), " + gap / 1_000_000 + " ms gap, median <= 1.5x raw futex",
                        results.tripRatio("ringfork-adaptive" + suffix, "raw-futex" + suffix, "p50_ns"), 1.5));
            }
        }
        return out;
    }

    private static String atLeast(String what, Spread ratio, double bar) {
        return line(what, ratio, ratio.median() >= bar);
    }

    private static String atMost(String what, Spread ratio, double bar) {
        return line(what, ratio, ratio.median() <= bar);
    }

    private static String line(String what, Spread ratio, boolean met) {
        return "- " + what + ": " + ratio.format(2) + "x -> " + (ratio.missing() ? "NOT MEASURED" : met ? "MET" : "MISSED");
    }
}
