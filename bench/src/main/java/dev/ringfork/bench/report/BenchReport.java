package dev.ringfork.bench.report;

import dev.ringfork.bench.peer.PeerHarness;
import dev.ringfork.bench.peer.PeerRun;
import dev.ringfork.bench.pool.PoolBench;
import dev.ringfork.bench.pool.PoolRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the benchmark suites in this JVM, one after another (JMH, whose benchmarks fork their own JVMs;
 * the side-by-side peers harness; the pool benchmarks), and writes what they measured into one folder:
 * {@code <stamp>.json} (every figure with its unit and rounds, and the run's setting), {@code <stamp>.md}
 * (the suites' tables) and PNG charts ({@code <stamp>-*.png}, copied to {@code latest-*.png}). Prints
 * {@code PROGRESS <done>/<total> <label>} as each figure completes, {@code WROTE <file>} for each file,
 * failures on stderr; exits 0, 1 if a figure failed, 2 on a bad argument. {@code ringfork bench} runs it.
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.ringfork.bench.report.BenchReport
 *     [--quick] [--only=jmh,peers,pool] [--out=DIR] [--stamp=yyyy-MM-dd'T'HH-mm]
 * </pre>
 */
public final class BenchReport {

    static final List<String> SUITES = List.of("jmh", "peers", "pool");
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm");
    private static final String USAGE = "usage: BenchReport [--quick] [--only=jmh,peers,pool] [--out=DIR] [--stamp=STAMP]";

    private BenchReport() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(SUITES);
        Path out = Path.of("bench", "results");
        String stamp = LocalDateTime.now().format(STAMP);
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--only=")) {
                only = new LinkedHashSet<>(Arrays.asList(arg.substring("--only=".length()).split(",")));
                if (only.isEmpty() || !SUITES.containsAll(only)) {
                    usage("--only takes a list of jmh, peers, pool; got " + arg.substring("--only=".length()));
                }
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else if (arg.startsWith("--stamp=")) {
                stamp = arg.substring("--stamp=".length());
            } else {
                usage("unknown argument " + arg);
            }
        }
        Files.createDirectories(out);
        System.exit(run(args, quick, only, out, stamp) ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    /** Runs the suites and writes the files; true if every figure was measured. */
    private static boolean run(String[] args, boolean quick, Set<String> only, Path out, String stamp) throws IOException {
        long started = System.nanoTime();
        String[] suiteArgs = quick ? new String[] {"--quick"} : new String[0];
        int total = (only.contains("jmh") ? JmhSuite.count() : 0)
                + (only.contains("peers") ? PeerHarness.figures(suiteArgs) : 0)
                + (only.contains("pool") ? PoolBench.figures(suiteArgs) : 0);
        Progress progress = new Progress(System.out, total);
        List<Figure> figures = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, String> sections = new LinkedHashMap<>();
        if (only.contains("jmh")) {
            try {
                JmhSuite.Run jmh = JmhSuite.run(quick, progress);
                figures.addAll(jmh.figures());
                sections.put("JMH micro-benchmarks", jmh.markdown());
                jmh.failed().forEach(name -> failures.put("jmh/" + name, "no result (see the log)"));
            } catch (Exception e) {
                failures.put("jmh", e.toString());
            }
        }
        if (only.contains("peers")) {
            try {
                PeerRun peers = PeerHarness.run(suiteArgs, progress::step);
                figures.addAll(Figures.fromPeers(peers));
                sections.put("Side by side: Ringfork vs Agrona, Chronicle Queue and on-heap queues", peers.markdown());
                peers.results().failures().forEach((key, message) -> failures.put("peers/" + key, message.lines().findFirst().orElse("")));
            } catch (Exception e) {
                failures.put("peers", e.toString());
            }
        }
        if (only.contains("pool")) {
            try {
                PoolRun pool = PoolBench.run(suiteArgs, progress::step);
                figures.addAll(Figures.fromPool(pool));
                sections.put("Pool", pool.markdown());
            } catch (Exception e) {
                failures.put("pool", e.toString());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        failures.forEach((key, message) -> System.err.println("FAILED " + key + ": " + message));
        List<Path> charts = Charts.write(figures, out, stamp);
        ReportFiles files = new ReportFiles(args, quick, only, stamp, seconds);
        Path json = files.writeJson(out, figures, failures);
        Path md = files.writeMarkdown(out, sections, failures, charts);
        for (Path p : List.of(json, md)) {
            System.out.println("WROTE " + p);
        }
        charts.forEach(p -> System.out.println("WROTE " + p));
        return failures.isEmpty();
    }
}
