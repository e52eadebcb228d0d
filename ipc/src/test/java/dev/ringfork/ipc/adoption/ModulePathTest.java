package dev.ringfork.ipc.adoption;

import dev.ringfork.ipc.internal.JvmCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's application as a named module ({@code src/test/fixtures/modular-app/com.example.app}: a pool
 * function, a record codec, a SharedQueue, a JvmProcess task), compiled here against Ringfork's modules and
 * run with {@code java --module-path ... -m com.example.app/...}, its pool workers and child included; then
 * the same classes on the class path. Ringfork's internals stay out of the module's reach, at compile time
 * and at run time.
 */
class ModulePathTest {

    private static final Path FIXTURES = Path.of("src/test/fixtures/modular-app").toAbsolutePath();
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    static Path out;
    private static Path app;

    @BeforeAll
    static void compileTheUserModule() {
        app = out.resolve("com.example.app");
        Command javac = Command.run(Command.list(Command.jdkTool("javac"), "-Xlint:all", "-Werror", "--module-path", ringforkModulePath(),
                "-d", app, sources(FIXTURES.resolve("com.example.app"))), DEADLINE);
        assertEquals(0, javac.exitCode(), javac.describe());
    }

    @Test
    void theUserModuleRunsOnTheModulePathWithItsPoolWorkersAndChildren() {
        Command run = Command.run(Command.list(Command.jdkTool("java"), "--enable-native-access=dev.ringfork.core",
                "-XX:+UseSerialGC", "--module-path", app + File.pathSeparator + ringforkModulePath(),
                "-m", "com.example.app/com.example.app.Main", region("modular")), DEADLINE);
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(List.of(
                "module com.example.app",
                "map [1, 4, 9, 16]",
                "worker module com.example.app",
                "queue Point[x=3, y=4, label=a]",
                "child exit 0 total 36",
                "internal ipc blocked",
                "internal core blocked",
                "done"), run.lines(), run.describe());
    }

    @Test
    void theSameClassesRunOnTheClassPath() {
        Command run = Command.run(Command.list(Command.jdkTool("java"), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", app + File.pathSeparator + ringforkModulePath(), "com.example.app.Main", region("classpath")), DEADLINE);
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(List.of(
                "module unnamed",
                "map [1, 4, 9, 16]",
                "worker module unnamed",
                "queue Point[x=3, y=4, label=a]",
                "child exit 0 total 36",
                "internal ipc reachable", // the class path has no module boundaries
                "internal core reachable",
                "done"), run.lines(), run.describe());
    }

    @Test
    void aUserModuleCannotCompileAgainstTheInternals() {
        Command javac = Command.run(Command.list(Command.jdkTool("javac"), "--module-path", ringforkModulePath(),
                "-d", out.resolve("com.example.sneaky"), sources(FIXTURES.resolve("com.example.sneaky"))), DEADLINE);
        assertNotEquals(0, javac.exitCode(), javac.describe());
        assertTrue(javac.output().contains("package dev.ringfork.core.internal is not visible"), javac.describe());
        assertTrue(javac.output().contains("package dev.ringfork.ipc.internal.pool is not visible"), javac.describe());
        assertFalse(Files.exists(out.resolve("com.example.sneaky/com/example/sneaky/Sneaky.class")), javac.describe());
    }

    /** Core's and ipc's classes (target/classes, with their module-info) or jars: modules, on a module path. */
    static String ringforkModulePath() {
        return String.join(File.pathSeparator, JvmCommand.ringforkClassPath());
    }

    static List<String> sources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String region(String kind) {
        return "module-test-" + kind + "-" + ProcessHandle.current().pid();
    }
}
