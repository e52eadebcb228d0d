package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one measurement: a fresh directory under the harness's, a {@link Control} page in it, the
 * parties started in order (each once the previous one is attached), then the phases (run, stop), and their {@code RESULT} fields once all have exited 0. The directory is deleted
 * afterwards; with {@code --logs} every child's log is kept.
 */
final class PhaseRunner {

    private final HarnessOptions options;
    private final Path root;
    private final ChildLauncher launcher;

    PhaseRunner(HarnessOptions options, Path root, ChildLauncher launcher) {
        this.options = options;
        this.root = root;
        this.launcher = launcher;
    }

    /**
     * Runs the measurement {@code key} and returns the parties' RESULT fields by party name. RUN starts
     * the producers, which write their fixed counts; every child exits by itself once done, and the
     * harness only looks at them four times a second meanwhile. With {@code idleParty} (ping-pong) RUN
     * starts the pinger, which runs its trips and exits; then the idle party's CPU time is measured over
     * an idle second or two (its {@code idle_cpu} field, percent of one core, from the kernel's
     * nanosecond run times); then STOP.
     */
    Map<String, Map<String, String>> run(String key, List<Party> parties, String idleParty) throws MeasurementFailure {
        String name = key.replace('/', '-');
        Path dir;
        try {
            dir = Files.createTempDirectory(root, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildGroup children = new ChildGroup(launcher, dir);
        try (Control control = Control.create(dir.resolve("control"))) {
            for (Party party : parties) {
                children.start(party);
                children.awaitOrFail(() -> control.ready() == children.size(), Duration.ofSeconds(60),
                        party.name() + " did not attach", 5);
            }
            control.phase(Control.RUN);
            String idleCpu = null;
            if (idleParty == null) {
                // Fixed counts: the children finish by themselves. The harness looks at them four times a second.
                children.awaitOrFail(children::allExited, Duration.ofSeconds(600), "children did not finish", 250);
            } else {
                children.awaitOrFail(() -> !children.alive("pinger"), Duration.ofSeconds(600), "pinger did not finish", 250);
                children.checkExit("pinger");
                children.watch(Duration.ofMillis(500));
                long before = children.cpuNanos(idleParty);
                long t0 = System.nanoTime();
                children.watch(options.idle());
                long after = children.cpuNanos(idleParty);
                double percent = 100.0 * (after - before) / (System.nanoTime() - t0);
                control.phase(Control.STOP);
                idleCpu = String.format(Locale.ROOT, "%.3f", percent);
            }
            children.awaitOrFail(children::allExited, Duration.ofSeconds(60), "children did not exit after STOP", 5);
            Map<String, Map<String, String>> results = children.results();
            if (idleParty != null) {
                results.get(idleParty).put("idle_cpu", idleCpu);
            }
            return results;
        } finally {
            children.reap();
            if (options.logs() != null) {
                children.keepLogs(options.logs(), name);
            }
            ScratchDir.delete(dir);
        }
    }
}
