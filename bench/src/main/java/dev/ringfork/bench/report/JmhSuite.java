package dev.ringfork.bench.report;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs Ringfork's JMH benchmarks (every {@code dev.ringfork.bench.*Benchmark} class) through JMH's
 * {@link Runner}: full, with each class's own settings, or quick (1 fork, 2 x 1 s warm-up, 3 x 1 s
 * measured, as {@code scripts/bench --quick}). Collects each benchmark's primary score, every measured
 * iteration's, and for sampled benchmarks the median, p99 and p99.9; reports a step per benchmark.
 */
final class JmhSuite {

    private static final String INCLUDE = "^dev\\.ringfork\\.bench\\.\\w+Benchmark\\.";
    private static final String PACKAGE = "dev.ringfork.bench.";

    /** What JMH measured: the figures, the markdown table, and the benchmarks that produced no result. */
    record Run(List<Figure> figures, String markdown, List<String> failed) {
    }

    private JmhSuite() {
    }

    /** How many benchmarks (one per method and parameter combination) a run measures. */
    static int count() {
        OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        int n = 0;
        for (BenchmarkListEntry entry : BenchmarkList.defaultList().find(silent, List.of(INCLUDE), List.of())) {
            int combinations = 1;
            if (entry.getParams().hasValue()) {
                for (String[] values : entry.getParams().get().values()) {
                    combinations *= values.length;
                }
            }
            n += combinations;
        }
        return n;
    }

    static Run run(boolean quick, Progress progress) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(INCLUDE).shouldFailOnError(false);
        if (quick) {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        List<String> failed = new ArrayList<>();
        OutputFormat text = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.NORMAL);
        Collection<RunResult> results = new Runner(options.build(), new Stepping(text, progress, failed)).run();
        List<Figure> figures = new ArrayList<>();
        StringBuilder md = new StringBuilder("| benchmark | mode | score | ± error | unit |\n|---|---|---:|---:|---|\n");
        for (RunResult result : results) {
            String name = name(result.getParams());
            Result<?> primary = result.getPrimaryResult();
            List<Double> rounds = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    rounds.add(iteration.getPrimaryResult().getScore());
                }
            }
            String unit = primary.getScoreUnit();
            figures.add(new Figure("jmh", name, primary.getScore(), unit, primary.getScoreError(), rounds));
            String mode = result.getParams().getMode().shortLabel();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %s |%n", name, mode, primary.getScore(),
                    primary.getScoreError(), unit));
            if (mode.equals("sample")) {
                for (double p : new double[] {50, 99, 99.9}) {
                    String label = String.format(Locale.ROOT, "%s:p%s", name, p == 99.9 ? "99.9" : Integer.toString((int) p));
                    double value = primary.getStatistics().getPercentile(p);
                    figures.add(new Figure("jmh", label, value, unit, Double.NaN, List.of()));
                    md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | | %s |%n", label, mode, value, unit));
                }
            }
        }
        return new Run(figures, md.append('\n').toString(), failed);
    }

    /** {@code RingPathBenchmark.burst:size=32}: the class without its package, the method, the parameters. */
    static String name(BenchmarkParams params) {
        String name = params.getBenchmark().startsWith(PACKAGE) ? params.getBenchmark().substring(PACKAGE.length()) : params.getBenchmark();
        List<String> values = new ArrayList<>();
        for (Object key : params.getParamsKeys()) {
            values.add(key + "=" + params.getParam((String) key));
        }
        return values.isEmpty() ? name : name + ":" + String.join(",", values);
    }

    /** JMH's usual text output, plus a progress step when each benchmark ends. */
    private static final class Stepping implements OutputFormat {

        private final OutputFormat text;
        private final Progress progress;
        private final List<String> failed;
        private String current = "?";

        Stepping(OutputFormat text, Progress progress, List<String> failed) {
            this.text = text;
            this.progress = progress;
            this.failed = failed;
        }

        @Override
        public void startBenchmark(BenchmarkParams params) {
            current = name(params);
            text.startBenchmark(params);
        }

        @Override
        public void endBenchmark(BenchmarkResult result) {
            text.endBenchmark(result);
            text.flush();
            if (result == null) {
                failed.add(current);
            }
            progress.step("jmh/" + current);
        }

        @Override
        public void iteration(BenchmarkParams params, IterationParams iteration, int index) {
            text.iteration(params, iteration, index);
        }

        @Override
        public void iterationResult(BenchmarkParams params, IterationParams iteration, int index, IterationResult result) {
            text.iterationResult(params, iteration, index, result);
        }

        @Override
        public void startRun() {
            text.startRun();
        }

        @Override
        public void endRun(Collection<RunResult> results) {
            text.endRun(results);
        }

        @Override
        public void print(String s) {
            text.print(s);
        }

        @Override
        public void println(String s) {
            text.println(s);
        }

        @Override
        public void flush() {
            text.flush();
        }

        @Override
        public void close() {
            text.close();
        }

        @Override
        public void verbosePrintln(String s) {
            text.verbosePrintln(s);
        }

        @Override
        public void write(int b) {
            text.write(b);
        }

        @Override
        public void write(byte[] b) throws IOException {
            text.write(b);
        }
    }
}
