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
 * parties started in order (each once the previous one is attached), then the phases (warm-up,
 * measure, stop), and their {@code RESULT} fields once all have exited 0. The directory is deleted
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
     * Runs the measurement {@code key} and returns the parties' RESULT fields by party name. With
     * {@code idleParty} (ping-pong) the phases differ: WARMUP starts the pinger, which runs its trips
     * and exits; then the idle party's CPU time is measured over an idle second or two (its
     * {@code idle_cpu} field, percent of one core); then STOP.
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
                        party.name() + " did not attach");
            }
            control.phase(Control.WARMUP);
            String idleCpu = null;
            if (idleParty == null) {
                children.watch(options.warmup());
                control.phase(Control.MEASURE);
                children.watch(options.measure());
                control.phase(Control.STOP);
            } else {
                children.awaitOrFail(() -> !children.alive("pinger"), Duration.ofSeconds(300), "pinger did not finish");
                children.checkExit("pinger");
                children.watch(Duration.ofMillis(500));
                Duration before = children.cpu(idleParty);
                long t0 = System.nanoTime();
                children.watch(options.idle());
                Duration after = children.cpu(idleParty);
                double percent = 100.0 * (after.minus(before).toNanos()) / (System.nanoTime() - t0);
                control.phase(Control.STOP);
                idleCpu = String.format(Locale.ROOT, "%.1f", percent);
            }
            children.awaitOrFail(children::allExited, Duration.ofSeconds(60), "children did not exit after STOP");
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
