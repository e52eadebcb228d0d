package dev.ringfork.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.function.Consumer;

/**
 * Runs Ringfork and its peers side by side, under the same conditions, in one run, and prints
 * markdown tables with ratios. Every producer, consumer, pinger and ponger is its own child JVM
 * (started from this JVM's class path); they meet in a fresh directory under /dev/shm through a
 * {@link Control} page and the structure under test. The harness only sets phases (warm-up, measure,
 * stop), watches the children (deadlines; a failed child fails the measurement, and the others are
 * killed) and collects their {@code RESULT} lines. Ringfork's children get only
 * {@code --enable-native-access}; the peers' get the flags they need on JDK 25 ({@link JvmFlags}).
 *
 * <p>The parts: {@link HarnessOptions} (command line), {@link ScratchDir} (the working directory),
 * {@link Scenarios} (what each round measures), {@link Measurer} (one measurement's figures),
 * {@link PhaseRunner} (one measurement's phases), {@link ChildGroup} and {@link ChildLauncher} (the child
 * JVMs), {@link Results} (medians over rounds), {@link MarkdownReport} and {@link Targets} (the report).
 * {@link #run} runs it in a caller's JVM and returns the figures ({@code dev.ringfork.bench.report}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ringfork.bench.peer.PeerHarness [--quick] [--only=spsc,pingpong,mpsc,mpmc,inproc,cost]
 * </pre>
 */
public final class PeerHarness {

    private PeerHarness() {
    }

    public static void main(String[] args) throws Exception {
        PeerRun run = run(args, key -> { });
        System.exit(run.results().failures().isEmpty() ? 0 : 1);
    }

    /** How many figures {@link #run} measures with these arguments (every round), for a progress count. */
    public static int figures(String[] args) throws IOException {
        HarnessOptions options = HarnessOptions.parse(args);
        return Scenarios.figures(options.only()) * options.rounds();
    }

    /**
     * Runs the harness in this JVM with {@link #main}'s arguments: prints every figure as it is measured
     * and the report at the end (and writes it to {@code --report}), and returns the figures. The child
     * JVMs and the scratch directory are gone when it returns, or when this JVM exits meanwhile.
     *
     * @param onFigure hears each measurement's key once it is done (measured or failed)
     */
    public static PeerRun run(String[] args, Consumer<String> onFigure) throws IOException {
        HarnessOptions options = HarnessOptions.parse(args);
        Path root = ScratchDir.create();
        ChildLauncher launcher = new ChildLauncher();
        Thread cleanUp = new Thread(() -> {
            launcher.killAll();
            ScratchDir.delete(root);
        });
        Runtime.getRuntime().addShutdownHook(cleanUp);
        Results results = new Results();
        Scenarios scenarios = new Scenarios(options.quick(),
                new Measurer(new PhaseRunner(options, root, launcher), results, onFigure));
        long started = System.nanoTime();
        System.out.printf("Ringfork side-by-side harness%s: %s, %d CPUs, JDK %s, warm-up %s, measure %s, %d round(s), in %s%n",
                options.quick() ? " (quick)" : "", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), options.warmup(), options.measure(), options.rounds(), root);
        try {
            for (int round = 1; round <= options.rounds(); round++) {
                if (options.rounds() > 1) {
                    System.out.printf("-- round %d of %d%n", round, options.rounds());
                }
                scenarios.round(options.only());
            }
        } finally {
            cleanUp.run();
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
        String text = new MarkdownReport(results, options.rounds()).write(options.only())
                + String.format("Took %.0f s.%n", (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.print(text);
        if (options.report() != null) {
            Files.writeString(options.report(), "Ringfork side-by-side harness" + (options.quick() ? " (quick)" : "") + ", "
                    + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, JDK " + Runtime.version()
                    + "\n\n" + text);
        }
        return new PeerRun(results, options.rounds(), options.quick(), text);
    }
}
