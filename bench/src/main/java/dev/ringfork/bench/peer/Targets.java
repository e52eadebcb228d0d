package dev.ringfork.bench.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The performance targets Ringfork is held to, each checked against the medians: MET, MISSED or NOT MEASURED. */
final class Targets {

    private Targets() {
    }

    /** One markdown list item per target of the groups in {@code only}. */
    static List<String> check(Results results, Set<String> only) {
        List<String> targets = new ArrayList<>();
        if (only.contains("spsc")) {
            double best = results.best("spsc/32/ringfork-claim", "spsc/32/ringfork-batch");
            targets.add(target("SPSC 32 B throughput >= 1.5x Agrona", best / results.rate("spsc/32/agrona"), 1.5, true));
            targets.add(target("SPSC 32 B throughput >= 10x Chronicle Queue", best / results.rate("spsc/32/chronicle"), 10, true));
        }
        if (only.contains("pingpong")) {
            double agrona = results.tripValue("agrona-spin", "p50_ns");
            double spin = results.tripValue("ringfork-spin", "p50_ns");
            double adaptive = results.tripValue("ringfork-adaptive", "p50_ns");
            targets.add(target("ping-pong median, busy-spin <= 1.0x Agrona", spin / agrona, 1.0, false));
            targets.add(target("ping-pong median, adaptive <= 2x busy-spin", adaptive / spin, 2.0, false));
            double idle = results.tripValue("ringfork-adaptive", "idle_cpu");
            targets.add(String.format("- adaptive consumer idle CPU ~0%% (under 5 %%, ticks of 10 ms): %.1f %% of one core -> %s", idle,
                    Double.isNaN(idle) ? "NOT MEASURED" : idle < 5 ? "MET" : "MISSED"));
        }
        return targets;
    }

    private static String target(String what, double value, double bar, boolean atLeast) {
        String verdict = Double.isNaN(value) ? "NOT MEASURED" : (atLeast ? value >= bar : value <= bar) ? "MET" : "MISSED";
        return String.format(Locale.ROOT, "- %s: %.2fx -> %s", what, value, verdict);
    }
}
