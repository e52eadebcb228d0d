package dev.ringfork.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The harness's command line, and the durations that follow from {@code --quick}.
 *
 * @param rounds how many times the whole suite runs (3, or 1 with {@code --quick}, unless {@code --rounds=N})
 * @param report where to write the markdown report ({@code --report}), or null
 * @param logs   where to keep every child's log ({@code --logs}, created), or null
 * @param only   which groups of measurements run: spsc, pingpong, mpsc, mpmc, inproc, cost
 */
record HarnessOptions(boolean quick, int rounds, Path report, Path logs, Set<String> only) {

    /** Parses the arguments; prints the usage and exits 2 on one it does not know. */
    static HarnessOptions parse(String[] args) throws IOException {
        boolean quick = false;
        int rounds = 0;
        Path report = null;
        Path logs = null;
        Set<String> only = Set.of("spsc", "pingpong", "mpsc", "mpmc", "inproc", "cost");
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else if (arg.startsWith("--report=")) {
                report = Path.of(arg.substring("--report=".length()));
            } else if (arg.startsWith("--logs=")) {
                logs = Files.createDirectories(Path.of(arg.substring("--logs=".length())));
            } else if (arg.startsWith("--only=")) {
                only = Set.of(arg.substring("--only=".length()).split(","));
            } else {
                System.err.println("usage: PeerHarness [--quick] [--only=spsc,pingpong,mpsc,mpmc,inproc,cost] [--rounds=N] [--report=FILE] [--logs=DIR]");
                System.exit(2);
            }
        }
        return new HarnessOptions(quick, rounds > 0 ? rounds : quick ? 1 : 3, report, logs, only);
    }

    /** How long a throughput measurement warms up before its window opens. */
    Duration warmup() {
        return quick ? Duration.ofMillis(1000) : Duration.ofSeconds(2);
    }

    /** How long a throughput measurement's window stays open. */
    Duration measure() {
        return quick ? Duration.ofMillis(1000) : Duration.ofSeconds(3);
    }

    /** How long the ponger's CPU time is measured once the pinger is done. */
    Duration idle() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
    }
}
