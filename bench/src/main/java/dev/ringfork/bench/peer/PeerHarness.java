package dev.ringfork.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs Ringfork and its peers side by side, under the same conditions, in one run, and prints
 * markdown tables with ratios. Every producer, consumer, pinger and ponger is its own child JVM
 * (started from this JVM's class path); they meet in a fresh directory under /dev/shm through a
 * {@link Control} page and the structure under test. Throughput runs are fixed message counts timed
 * by the consumer from the first message to the last; the rounds are interleaved (every peer once per
 * round) so that each round pairs Ringfork with its peers. The harness only says RUN (and STOP to a
 * ponger), looks at the children four times a second (deadlines; a failed child fails the measurement,
 * and the others are killed) and collects their {@code RESULT} lines. Ringfork's children get only
 * {@code --enable-native-access}; the peers' get the flags they need on JDK 25 ({@link JvmFlags}).
 *
 * <p>The parts: {@link HarnessOptions} (command line), {@link ScratchDir} (the working directory),
 * {@link Scenarios} (what each round measures), {@link Measurer} (one measurement's figures),
 * {@link PhaseRunner} (one measurement's phases), {@link ChildGroup} and {@link ChildLauncher} (the child
 * JVMs), {@link Results} (rounds, medians, paired ratios), {@link MarkdownReport} and {@link Targets} (the report).
 * {@link #run} runs it in a caller's JVM and returns the figures ({@code dev.ringfork.bench.report}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ringfork.bench.peer.PeerHarness [--quick] [--rounds=N]
 *     [--only=spsc,pingpong,gap,mpsc,mpmc,inproc,cost] [--c-ring=PROGRAM]
 * </pre>
 */
public final class PeerHarness {

    private PeerHarness() {
    }

    public static void main(String[] args) throws Exception {
        PeerRun run = run(args, key -> { });
        System.exit(run.results().failures().isEmpty() ? 0 : 1);
    }

    /** The machine in one line: CPU model, how many CPUs, kernel. */
    static String machine() {
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
        } catch (IOException e) {
            // not Linux: the model stays unknown
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + model + "), " + System.getProperty("os.name")
                + " " + System.getProperty("os.version");
    }

    /** How many figures {@link #run} measures with these arguments (every round), for a progress count. */
    public static int figures(String[] args) throws IOException {
        HarnessOptions options = HarnessOptions.parse(args);
        return new Scenarios(options, null).plan(options.only()).size() * options.rounds();
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
        Measurer measurer = new Measurer(new PhaseRunner(options, root, launcher), results, onFigure);
        List<Scenarios.Step> plan = new Scenarios(options, measurer).plan(options.only());
        long started = System.nanoTime();
        String machine = machine();
        System.out.printf("Ringfork side-by-side harness%s: %s, %s, JDK %s, %d round(s) of %d measurements, in %s%n",
                options.quick() ? " (quick)" : "", LocalDate.now(), machine, Runtime.version(), options.rounds(), plan.size(), root);
        if (options.cRing() == null && (options.only().contains("spsc"))) {
            System.out.println("C ring floor skipped: no --c-ring program (scripts/bench builds it with gcc; gcc missing?)");
        }
        String header = "Ringfork side-by-side harness" + (options.quick() ? " (quick)" : "") + ", " + LocalDate.now() + ", "
                + machine + ", JDK " + Runtime.version() + ", " + options.rounds() + " interleaved round(s)";
        try {
            for (int round = 1; round <= options.rounds(); round++) {
                System.out.printf("-- round %d of %d%n", round, options.rounds());
                measurer.round(round);
                plan.forEach(step -> step.run().run());
                if (options.report() != null && round < options.rounds()) {
                    // A run cut short still leaves the report of the rounds it finished.
                    Files.writeString(options.report(), header + " (partial: " + round + " round(s) done)\n\n"
                            + new MarkdownReport(results, options).write());
                }
            }
        } finally {
            cleanUp.run();
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
        String text = header + "\n\n" + new MarkdownReport(results, options).write()
                + String.format("Took %.0f s.%n", (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.print(text);
        if (options.report() != null) {
            Files.writeString(options.report(), text);
        }
        return new PeerRun(results, options.rounds(), options.quick(), text);
    }
}
