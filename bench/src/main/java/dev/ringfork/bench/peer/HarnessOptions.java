package dev.ringfork.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The harness's command line, and what follows from {@code --quick}.
 *
 * @param quick   short-run column only, one round, fewer ping-pong trips
 * @param rounds  how many interleaved rounds run (5, or 1 with {@code --quick}, unless {@code --rounds=N})
 * @param report  where to write the markdown report ({@code --report}), or null
 * @param logs    where to keep every child's log ({@code --logs}, created), or null
 * @param only    which groups of measurements run: spsc, mpsc, pingpong, gap, mpmc (default), inproc, cost, diagnose
 * @param cRing   the C ring floor's program ({@code --c-ring}, built by scripts/bench), or null: skipped
 * @param command the command line to print beside every table ({@code --command}, set by scripts/bench)
 */
record HarnessOptions(boolean quick, int rounds, Path report, Path logs, Set<String> only, Path cRing, String command) {

    /**
     * The groups a run measures unless {@code --only} says otherwise. The in-process and single-thread
     * references ({@code inproc}, {@code cost}) and {@code diagnose} run only when named: they carry no
     * target, and five rounds of everything must stay under about 20 minutes.
     */
    static final Set<String> GROUPS = Set.of("spsc", "mpsc", "pingpong", "gap", "mpmc");

    /** Parses the arguments; prints the usage and exits 2 on one it does not know. */
    static HarnessOptions parse(String[] args) throws IOException {
        boolean quick = false;
        int rounds = 0;
        Path report = null;
        Path logs = null;
        Path cRing = null;
        String command = null;
        Set<String> only = GROUPS;
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
            } else if (arg.startsWith("--c-ring=")) {
                cRing = Path.of(arg.substring("--c-ring=".length())).toAbsolutePath();
            } else if (arg.startsWith("--command=")) {
                command = arg.substring("--command=".length());
            } else {
                System.err.println("usage: PeerHarness [--quick] [--only=spsc,mpsc,pingpong,gap,mpmc,inproc,cost,diagnose] [--rounds=N]"
                        + " [--report=FILE] [--logs=DIR] [--c-ring=PROGRAM] [--command=TEXT]");
                System.exit(2);
            }
        }
        if (command == null) {
            command = "java -cp bench/target/benchmarks.jar " + PeerHarness.class.getName() + " " + String.join(" ", args);
        }
        return new HarnessOptions(quick, rounds > 0 ? rounds : quick ? 1 : 5, report, logs, only, cRing, command);
    }

    /** Whether the long-run column is measured (not with {@code --quick}). */
    boolean longRuns() {
        return !quick;
    }

    /** How long the ponger's CPU time is measured once the pinger is done. */
    Duration idle() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }
}
