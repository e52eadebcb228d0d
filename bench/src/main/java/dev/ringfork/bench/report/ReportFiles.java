package dev.ringfork.bench.report;

import dev.ringfork.ipc.internal.text.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a run's {@code <stamp>.json} (the setting: command line, JVM, CPUs, quick or full; then every
 * {@link Figure} and the failures) and {@code <stamp>.md} (the suites' tables and the charts).
 */
final class ReportFiles {

    /** The JSON layout's version: raise it when a field changes meaning. */
    static final int FORMAT = 1;

    private final String[] args;
    private final boolean quick;
    private final Set<String> suites;
    private final String stamp;
    private final double seconds;

    ReportFiles(String[] args, boolean quick, Set<String> suites, String stamp, double seconds) {
        this.args = args.clone();
        this.quick = quick;
        this.suites = suites;
        this.stamp = stamp;
        this.seconds = seconds;
    }

    Path writeJson(Path dir, List<Figure> figures, Map<String, String> failures) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("stamp", stamp);
        root.put("quick", quick);
        root.put("suites", List.copyOf(suites));
        root.put("command", Arrays.asList(args));
        root.put("java_command", ProcessHandle.current().info().commandLine().orElse(""));
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("version", Runtime.version().toString());
        jvm.put("vendor", System.getProperty("java.vendor"));
        jvm.put("vm", System.getProperty("java.vm.name"));
        root.put("jvm", jvm);
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("seconds", Math.round(seconds * 10) / 10.0);
        List<Object> list = new ArrayList<>();
        figures.forEach(f -> list.add(f.toJson()));
        root.put("figures", list);
        root.put("failures", failures);
        return write(dir.resolve(stamp + ".json"), Json.write(root));
    }

    Path writeMarkdown(Path dir, Map<String, String> sections, Map<String, String> failures, List<Path> charts) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Ringfork benchmarks, ").append(stamp).append(quick ? " (quick)" : "").append("\n\n");
        md.append(String.format(Locale.ROOT, "%d CPUs, JDK %s (%s), %s; suites: %s; took %.0f s.%n%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), String.join(", ", suites), seconds));
        if (quick) {
            md.append("A quick run (short warm-up and measurement, one round): it shows that everything runs; use a full run for figures.\n\n");
        }
        for (Path chart : charts) {
            String name = chart.getFileName().toString();
            if (name.startsWith(stamp)) {
                md.append("![").append(name, stamp.length() + 1, name.length() - 4).append("](").append(name).append(")\n\n");
            }
        }
        sections.forEach((title, text) -> md.append("## ").append(title).append("\n\n").append(text.strip()).append("\n\n"));
        if (!failures.isEmpty()) {
            md.append("## Failed\n\n");
            failures.forEach((key, message) -> md.append("- ").append(key).append(": ").append(message).append('\n'));
            md.append('\n');
        }
        return write(dir.resolve(stamp + ".md"), md.toString());
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text);
    }
}
