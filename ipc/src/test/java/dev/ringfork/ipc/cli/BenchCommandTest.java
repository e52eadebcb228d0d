package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.internal.text.ProgressLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code ringfork bench ARGS} with FakeBenchReport as the child (in this JVM's class path). */
    private int bench(boolean terminal, String... args) {
        BenchCommand.Launcher fake = (dir, reportArgs) -> {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"), FakeBenchReport.class.getName()));
            command.addAll(reportArgs);
            return Optional.of(command);
        };
        return run(new BenchCommand(home, fake, terminal), args);
    }

    private int run(BenchCommand command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String log() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("bench").resolve("results"))) {
            Path log = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
            return Files.readString(log);
        }
    }

    @Test
    void runsTheChildShowsProgressAndLogsTheRest() throws IOException {
        assertEquals(0, bench(false, "--quick", "--only", "jmh,pool"), err.toString());
        String shown = err.toString();
        assertTrue(shown.contains("[1/3] spsc/1/agrona\n[2/3] spsc/2/agrona\n[3/3] spsc/3/agrona\n"), shown);
        assertFalse(shown.contains("PROGRESS"), shown);
        assertFalse(shown.contains("measured figure"), shown);
        String log = log();
        assertTrue(log.contains("measured figure 1"), log);
        assertFalse(log.contains("PROGRESS"), log);
        Path results = home.resolve("bench").resolve("results").toAbsolutePath();
        assertTrue(log.contains("fake report --quick --only=jmh,pool --out=" + results + " --stamp="), log);
        assertTrue(out.toString().startsWith("Results in " + results + ":"), out.toString());
        assertTrue(out.toString().contains(".json"), out.toString());
    }

    @Test
    void drawsOneProgressLineInPlaceOnATerminal(@TempDir Path elsewhere) throws IOException {
        assertEquals(0, bench(true, "--out", elsewhere.toString()));
        assertTrue(err.toString().contains("\r[######..............] 1/3 spsc/1/agrona"), err.toString());
        assertTrue(err.toString().contains("\r[####################] 3/3 spsc/3/agrona\n"), err.toString());
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(2, files.count(), "the log and the fake's JSON");
        }
    }

    @Test
    void showsTheChildsErrorsAndFailsWhenItFails() throws IOException {
        assertEquals(1, bench(false, "--only=peers"));
        assertTrue(err.toString().contains("FAILED peers/spsc/32/agrona: consumer died"), err.toString());
        assertTrue(err.toString().contains("finished with failures; see " + home.resolve("bench").resolve("results").toAbsolutePath()),
                err.toString());
        assertTrue(log().contains("FAILED peers/spsc/32/agrona"));
    }

    @Test
    void saysToBuildTheBenchmarksWhenTheJarIsMissing() {
        assertEquals(1, run(new BenchCommand(home, BenchCommand.BENCHMARKS_JAR, false), "--quick"));
        assertTrue(err.toString().contains("run scripts/bench --build-only first"), err.toString());
        assertFalse(Files.exists(home.resolve("bench").resolve("results")), "nothing written");
    }

    @Test
    void buildsTheRealChildCommandFromTheJar() throws IOException {
        Path jar = Files.createDirectories(home.resolve("bench").resolve("target")).resolve("benchmarks.jar");
        Files.writeString(jar, "");
        List<String> command = BenchCommand.BENCHMARKS_JAR.command(home, List.of("--quick")).orElseThrow();
        assertEquals(List.of("-cp", jar.toString(), BenchCommand.REPORT_CLASS, "--quick"), command.subList(command.size() - 4, command.size()));
        assertTrue(command.contains("--enable-native-access=ALL-UNNAMED"), command.toString());
    }

    @Test
    void rejectsBadArgumentsWithExitCode2() {
        assertEquals(2, bench(false, "--only=jmh,disk"));
        assertTrue(err.toString().contains("unknown suite 'disk'"), err.toString());
        assertEquals(2, bench(false, "--fast"));
        assertTrue(err.toString().contains("Unknown option: '--fast'"), err.toString());
        assertEquals(2, bench(false, "--out"));
    }

    @Test
    void printsHelp() {
        assertEquals(0, bench(false, "--help"));
        assertTrue(out.toString().contains("--quick"), out.toString());
        assertTrue(out.toString().contains("--only=SUITE"), out.toString());
        assertTrue(out.toString().contains("scripts/bench --build-only"), out.toString());
    }

    @Test
    void parsesProgressLines() {
        assertEquals(Optional.of(new ProgressLine.Step(12, 40, "spsc/32/agrona")), ProgressLine.parse("PROGRESS 12/40 spsc/32/agrona"));
        assertEquals(Optional.of(new ProgressLine.Step(3, 3, "")), ProgressLine.parse("PROGRESS 3/2"));
        assertEquals(Optional.of(new ProgressLine.Step(1, 2, "jmh/A.b:size=32 x")), ProgressLine.parse("PROGRESS 1/2 jmh/A.b:size=32 x\r"));
        for (String other : List.of("PROGRESS", "PROGRESS x/2 a", "progress 1/2 a", "spsc/32 PROGRESS 1/2", "PROGRESS 1/2a", "")) {
            assertEquals(Optional.empty(), ProgressLine.parse(other), other);
        }
        assertEquals("[##########..........] 20/40 spsc/32/agrona", ProgressLine.render(new ProgressLine.Step(20, 40, "spsc/32/agrona")));
        assertEquals("[####################] 0/0", ProgressLine.render(new ProgressLine.Step(0, 0, "")));
    }

    @Test
    void printsMessagesAboveTheProgressLine() {
        StringWriter text = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(text), true);
        line.show(new ProgressLine.Step(1, 2, "long-label"));
        line.message("FAILED x");
        line.show(new ProgressLine.Step(2, 2, "b"));
        line.finish();
        String a = "[##########..........] 1/2 long-label";
        String b = "[####################] 2/2 b";
        assertEquals("\r" + a + "\r" + " ".repeat(a.length()) + "\rFAILED x\n" + a + "\r" + b + " ".repeat(a.length() - b.length()) + "\n",
                text.toString().replace(System.lineSeparator(), "\n"));
    }
}
