package dev.ringfork.ipc.process;

import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.internal.CpuPinning;
import dev.ringfork.ipc.process.JvmProcess.OutputMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link JvmProcess} with real child JVMs: entry points, what reaches the child, exit codes, output, pinning. */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class JvmProcessTest {

    /** Generous: two noisy cores may start several JVMs at once. */
    private static final long DEADLINE_SECONDS = 30;

    private final List<JvmProcess> started = new ArrayList<>();

    @TempDir
    Path temp;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (JvmProcess process : started) {
            process.kill();
            process.join(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** A light child: small heap, quick start. */
    private static JvmProcessBuilder light() {
        return JvmProcess.builder().heap("64m").jvmOption("-XX:+UseSerialGC").jvmOption("-XX:TieredStopAtLevel=1");
    }

    private JvmProcess start(JvmProcessBuilder builder) {
        JvmProcess process = builder.start();
        started.add(process);
        return process;
    }

    private static void awaitExit(JvmProcess process) throws InterruptedException {
        assertTrue(process.join(DEADLINE_SECONDS, TimeUnit.SECONDS), process + " did not end within "
                + DEADLINE_SECONDS + " s" + (process.outputMode() == OutputMode.CAPTURE ? "; output:\n" + process.output() : ""));
    }

    @Test
    void mainClassGetsArgsPropertiesEnvironmentAndDirectoryAndReturnsItsExitCode() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("work dir"));
        JvmProcess process = start(light().mainClass(Reporter.class, "alpha", "beta gamma", "7")
                .systemProperty("ringfork.test.greeting", "hello there")
                .environment("RINGFORK_TEST_ENV", "from-parent")
                .directory(dir)
                .output(OutputMode.CAPTURE));
        assertEquals(7, process.join(), process.output());
        String output = process.output();
        assertTrue(output.contains("ARGS alpha|beta gamma|7\n"), output);
        assertTrue(output.contains("PROPERTY hello there\n"), output);
        assertTrue(output.contains("ENV from-parent\n"), output);
        assertTrue(output.contains("DIR " + dir.toRealPath() + "\n"), output);
        assertTrue(output.contains("NAME Reporter\n"), output);
        assertTrue(output.contains("PARENT " + ProcessHandle.current().pid() + "\n"), output);
        assertTrue(output.contains("HEAP -Xmx64m\n"), output);
        assertEquals("Reporter", process.name());
        assertEquals(7, process.exitCode().orElseThrow());
        assertTrue(process.toString().contains("exit code 7"), process.toString());
    }

    @Test
    void mainClassByNameThatThrowsExitsWithOneAndItsStackTrace() throws Exception {
        JvmProcess process = start(light().mainClass(Thrower.class.getName()).name("thrower").output(OutputMode.CAPTURE));
        assertEquals(1, process.join(), process.output());
        assertTrue(process.output().contains("Exception in thread \"main\" java.lang.IllegalStateException: boom from main"),
                process.output());
        assertTrue(process.output().contains("at " + Thrower.class.getName() + ".main"), process.output());
    }

    @Test
    void serializableLambdaRunsInTheChildWithWhatItCaptured() throws Exception {
        String word = "ring";
        int times = 3;
        String bulk = "x".repeat(1 << 20); // far more than a pipe buffer or a command line holds
        SerializableRunnable task = () -> System.out.println("TASK " + word.repeat(times) + " " + times * 7
                + " in " + System.getProperty(JvmProcess.NAME_PROPERTY) + ", bulk " + bulk.length());
        JvmProcess process = start(light().task(task).output(OutputMode.CAPTURE));
        assertEquals(0, process.join(), process.output());
        assertTrue(process.name().startsWith("worker-"), process.name());
        assertTrue(process.output().contains("TASK ringringring 21 in " + process.name() + ", bulk " + (1 << 20) + "\n"),
                process.output());
    }

    @Test
    void aTaskThatThrowsExitsWithOneAndOneThatCallsExitKeepsItsCode() throws Exception {
        SerializableRunnable failing = () -> {
            throw new IllegalArgumentException("boom from task");
        };
        SerializableRunnable exiting = () -> System.exit(42);
        JvmProcess fails = start(light().task(failing).output(OutputMode.CAPTURE));
        JvmProcess exits = start(light().task(exiting).output(OutputMode.CAPTURE));
        assertEquals(1, fails.join(), fails.output());
        assertTrue(fails.output().contains("java.lang.IllegalArgumentException: boom from task"), fails.output());
        assertEquals(42, exits.join(), exits.output());
    }

    @Test
    void aTaskThatCapturesSomethingNotSerializableIsRefusedNamingIt() {
        Object notSerializable = new Object();
        SerializableRunnable task = () -> System.out.println(notSerializable);
        JvmProcessBuilder builder = light().task(task);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::start);
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(e.getMessage().contains(JvmProcessTest.class.getName()), e.getMessage()); // the lambda's class
        assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
    }

    @Test
    void joinWithTimeoutReturnsFalseWhileItRunsAndTerminateEndsIt() throws Exception {
        JvmProcess process = start(light().mainClass(Sleeper.class).output(OutputMode.CAPTURE));
        assertFalse(process.join(300, TimeUnit.MILLISECONDS));
        assertTrue(process.isAlive());
        assertTrue(process.exitCode().isEmpty(), process.toString());
        assertTrue(process.toString().contains("running"), process.toString());
        process.terminate();
        awaitExit(process);
        assertFalse(process.isAlive());
        assertEquals(128 + 15, process.exitCode().orElseThrow(), process.output());
    }

    @Test
    void killEndsItWithTheSigkillExitCode() throws Exception {
        JvmProcess process = start(light().mainClass(Sleeper.class).output(OutputMode.CAPTURE));
        assertFalse(process.onExit().isDone(), "onExit completed while the child runs");
        process.kill();
        JvmProcess exited = process.onExit().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEquals(process, exited);
        assertEquals(128 + 9, process.join());
    }

    @Test
    void prefixedOutputMarksEveryLineWithNameAndPid() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        JvmProcess process = start(light().mainClass(Printer.class).name("printer")
                .prefixedTo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(OutputMode.PREFIXED, process.outputMode());
        assertEquals(0, process.join());
        String prefix = "[printer " + process.pid() + "] ";
        String nl = System.lineSeparator();
        assertEquals(prefix + "first line" + nl + prefix + "second line, ünïcödé" + nl, out.toString(StandardCharsets.UTF_8));
        assertEquals(prefix + "a complaint" + nl, err.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, process::output);
    }

    @Test
    void aChildPinnedToCpuZeroMayOnlyRunThere() throws Exception {
        assumeTrue(CpuPinning.available(), "no taskset on the PATH (or not Linux): pinning is not available here");
        assumeTrue(allowedCpus(Files.readString(Path.of("/proc/self/status"))).contains("0"),
                "this JVM may not run on CPU 0");
        JvmProcess process = start(light().mainClass(CpuReporter.class).cpu(0).output(OutputMode.CAPTURE));
        assertEquals(0, process.join(), process.output());
        assertTrue(process.output().contains("CPUS 0\n"), process.output());
    }

    @Test
    void aBuilderWantsExactlyOneEntryPointWithAMainMethodAndSaneOptions() {
        assertThrows(IllegalStateException.class, () -> JvmProcess.builder().start());
        assertThrows(IllegalStateException.class, () -> JvmProcess.builder().mainClass(Sleeper.class).task(() -> { }));
        assertThrows(IllegalStateException.class, () -> JvmProcess.builder().task(() -> { }).mainClass(Sleeper.class));
        IllegalArgumentException noMain = assertThrows(IllegalArgumentException.class,
                () -> JvmProcess.builder().mainClass(JvmProcessTest.class));
        assertTrue(noMain.getMessage().contains("public static void main"), noMain.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder().heap("lots"));
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder().jvmOption("Xmx1g"));
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder().jvmOption("-cp"));
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder().systemProperty(JvmProcess.NAME_PROPERTY, "x"));
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder().cpu(-1));
    }

    /** The CPUs in a {@code Cpus_allowed_list} line of {@code /proc/<pid>/status}, e.g. "0-2,5" gives 0,1,2,5. */
    private static List<String> allowedCpus(String status) {
        List<String> cpus = new ArrayList<>();
        String list = status.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElse(":").split(":")[1].trim();
        for (String part : list.split(",")) {
            if (part.contains("-")) {
                String[] range = part.split("-");
                for (int cpu = Integer.parseInt(range[0]); cpu <= Integer.parseInt(range[1]); cpu++) {
                    cpus.add(Integer.toString(cpu));
                }
            } else if (!part.isBlank()) {
                cpus.add(part);
            }
        }
        return cpus;
    }

    /** Child: reports what it was given, then exits with its last argument. */
    public static final class Reporter {
        public static void main(String[] args) {
            System.out.println("ARGS " + String.join("|", args));
            System.out.println("PROPERTY " + System.getProperty("ringfork.test.greeting"));
            System.out.println("ENV " + System.getenv("RINGFORK_TEST_ENV"));
            System.out.println("DIR " + Path.of("").toAbsolutePath());
            System.out.println("NAME " + System.getProperty(JvmProcess.NAME_PROPERTY));
            System.out.println("PARENT " + System.getProperty(JvmProcess.PARENT_PID_PROPERTY));
            ProcessHandle.current().info().arguments().stream().flatMap(Arrays::stream)
                    .filter(a -> a.startsWith("-Xmx")).forEach(a -> System.out.println("HEAP " + a));
            System.exit(Integer.parseInt(args[args.length - 1]));
        }
    }

    /** Child: its main throws. */
    public static final class Thrower {
        public static void main(String[] args) {
            throw new IllegalStateException("boom from main");
        }
    }

    /** Child: waits until it is ended from outside (or its parent goes). */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("READY " + ProcessHandle.current().pid());
            Thread.currentThread().join();
        }
    }

    /** Child: two lines to stdout, one to stderr. */
    public static final class Printer {
        public static void main(String[] args) {
            System.out.println("first line");
            System.out.println("second line, ünïcödé");
            System.err.println("a complaint");
        }
    }

    /** Child: prints the CPUs it may run on. */
    public static final class CpuReporter {
        public static void main(String[] args) throws IOException {
            System.out.println("CPUS " + allowedCpusLine());
        }

        private static String allowedCpusLine() throws IOException {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElse(":?").split(":")[1].trim();
        }
    }
}
