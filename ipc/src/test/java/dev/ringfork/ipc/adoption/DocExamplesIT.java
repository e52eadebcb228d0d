package dev.ringfork.ipc.adoption;

import dev.ringfork.ipc.internal.JvmCommand;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The documentation runs: every {@code ```java} (and {@code ```xml}) block of README.md and docs/**.md is a
 * region of an example under docs/examples/, verbatim; every example program compiles against the packaged
 * jars and runs (child JVM, deadline) printing what its {@code // prints:} lines say; every
 * {@code scripts/...} named in a shell block exists, its {@code java ...} lines run, and each
 * {@code ringfork <command>} shown answers {@code --help}. How to add an example: docs/examples/README.md.
 */
@EnabledIfSystemProperty(named = "ringfork.root", matches = ".+",
        disabledReason = "needs the packaged jars: run by failsafe in scripts/test, e.g. scripts/test -pl ipc -am -Dit.test=DocExamplesIT")
class DocExamplesIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Pattern SCRIPT = Pattern.compile("(?<![\\w/.-])scripts/[\\w.-]+");
    private static final Pattern RINGFORK_COMMAND = Pattern.compile("(?:^|\\|\\s*|\\$ )ringfork((?: [a-z]+)*)");

    private final Path root = Path.of(System.getProperty("ringfork.root")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void everyCodeBlockOfTheDocsIsARegionOfAnExample() {
        List<String> problems = problems(root);
        assertTrue(problems.isEmpty(), problems.size() + " problem(s) between the docs and docs/examples"
                + " (see docs/examples/README.md):\n\n" + String.join("\n\n", problems));
    }

    @Test
    void aBlockThatDriftedFromItsExampleIsReportedWithItsPlace() throws IOException {
        Path fake = work.resolve("repo");
        Files.createDirectories(fake.resolve("docs/examples"));
        Files.writeString(fake.resolve("README.md"), "# T\n\ntext\n\n```java\nint x = 1;\nSystem.out.println(x);\n```\n");
        Files.writeString(fake.resolve("docs/guide.md"), "```java\nint y = 2;\n```\n");
        Files.writeString(fake.resolve("docs/examples/A.java"),
                "class A {\n    void m() {\n        // region: a\n        int x = 2;\n        System.out.println(x);\n        // endregion\n"
                        + "        // region: b\n        int y = 2;\n        // endregion\n    }\n}\n");
        List<String> problems = problems(fake);
        assertEquals(2, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("README.md:5: "), problems.get(0));
        assertTrue(problems.get(0).contains("int x = 1;") && problems.get(0).contains("int x = 2;"), problems.get(0));
        assertTrue(problems.get(1).startsWith("docs/examples/A.java:3 (region a)"), problems.get(1));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleCompilesAndRunsAndPrintsWhatItSays() {
        List<Path> examples = Docs.examples(root);
        assertFalse(examples.isEmpty(), "no examples in " + root.resolve("docs/examples"));
        Path classes = work.resolve("classes");
        Command javac = Command.run(Command.list(Command.jdkTool("javac"), "-Xlint:all", "-Werror", "-cp", ringfork(), "-d", classes,
                examples.stream().map(root::resolve).toList()), DEADLINE);
        assertEquals(0, javac.exitCode(), javac.describe());
        return examples.stream().map(example -> DynamicTest.dynamicTest(example.toString(), () -> {
            String name = example.getFileName().toString().replaceFirst("\\.java$", "");
            List<Docs.Expected> expected = Docs.expectedOutput(root, example);
            assertFalse(expected.isEmpty(), example + " has no '// prints: <line>' (or '// prints~: <regex>') line:"
                    + " say what it prints, so that this test can check it");
            Path regions = Files.createDirectories(work.resolve("regions-" + name));
            List<Background> beside = new ArrayList<>();
            Command run;
            try {
                for (String needed : Docs.needs(root, example)) {
                    // ${classes}: where the examples were compiled to (a host agent's --class-path)
                    beside.add(startBeside(needed.replace("${classes}", classes.toString()), regions));
                }
                // Hazelcast (the cluster examples) uses sun.misc.Unsafe: allowed, so that it prints no warning.
                run = Command.run(Command.list(Command.jdkTool("java"), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                        "--sun-misc-unsafe-memory-access=allow", "-cp", classes + File.pathSeparator + ringfork(), name), root,
                        Map.of("RINGFORK_DIR", regions.toString()), DEADLINE);
            } finally {
                beside.forEach(Background::close);
            }
            assertEquals(0, run.exitCode(), run.describe());
            assertPrintsInOrder(expected, run);
            assertFalse(run.output().contains("WARNING"), "a warning: " + run.describe());
        }));
    }

    @Test
    void theShellCommandsOfTheDocsWork() throws IOException {
        Set<String> scripts = new LinkedHashSet<>();
        Set<String> commands = new LinkedHashSet<>();
        int javaLines = 0;
        int workers = 0;
        for (Path file : Docs.markdownFiles(root)) {
            // A 'ringfork worker' of a block is the other terminal: it runs until the file's blocks are done.
            List<Background> beside = new ArrayList<>();
            try {
                for (Docs.Block block : Docs.blocks(root, file)) {
                    if (Docs.CHECKED_LANGUAGES.contains(block.language())) {
                        continue;
                    }
                    Path regions = Files.createDirectories(work.resolve("shell-" + file.getFileName() + "-" + block.line()));
                    for (String line : block.lines()) {
                        Matcher script = SCRIPT.matcher(line);
                        while (script.find()) {
                            scripts.add(script.group());
                            assertTrue(Files.isExecutable(root.resolve(script.group())),
                                    block.where() + ": " + script.group() + " is no executable file: " + line);
                        }
                        String command = line.replaceFirst("^\\$ ", "");
                        if (command.startsWith("scripts/ringfork worker ")) {
                            workers++;
                            beside.add(startBeside(command, regions));
                        }
                        if (command.startsWith("java ") || command.startsWith("javac ")) {
                            javaLines++;
                            List<String> words = new ArrayList<>(Arrays.asList(command.replaceFirst("\\s+#.*", "").trim().split("\\s+")));
                            words.set(0, Command.jdkTool(words.get(0)));
                            Command run = Command.run(words, root, Map.of("RINGFORK_DIR", regions.toString()), DEADLINE);
                            assertEquals(0, run.exitCode(), block.where() + ": " + run.describe());
                        }
                        Matcher ringfork = RINGFORK_COMMAND.matcher(command);
                        while (ringfork.find()) {
                            commands.add(ringfork.group(1).trim());
                        }
                    }
                }
            } finally {
                beside.forEach(Background::close);
            }
        }
        assertTrue(workers >= 1, "the README's 'Across hosts' starts a host agent with scripts/ringfork worker: " + workers + " found");
        assertTrue(scripts.containsAll(List.of("scripts/demo", "scripts/test", "scripts/ringfork")), "scripts found: " + scripts);
        assertTrue(javaLines >= 2, "the README shows how to run Tally with java: " + javaLines + " java lines found");
        assertTrue(commands.containsAll(List.of("queue put jobs", "stat", "clean")), "ringfork commands found: " + commands);
        for (String command : commands) {
            List<String> words = new ArrayList<>(List.of(root.resolve("scripts/ringfork").toString()));
            if (!command.isEmpty()) {
                words.addAll(List.of(command.split(" ")));
            }
            words.add("--help");
            Command help = Command.run(words, root, Map.of("RINGFORK_NO_BUILD", "1", "RINGFORK_DIR", work.toString()), DEADLINE);
            assertEquals(0, help.exitCode(), "ringfork " + command + " --help: " + help.describe());
            assertTrue(help.output().startsWith("Usage: ringfork"), help.describe());
        }
    }

    /** What is wrong between the docs under {@code root} and its examples: one message per problem. */
    static List<String> problems(Path root) {
        List<Docs.Region> regions = Docs.regions(root);
        Set<Docs.Region> used = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Path file : Docs.markdownFiles(root)) {
            for (Docs.Block block : Docs.blocks(root, file)) {
                if (!Docs.CHECKED_LANGUAGES.contains(block.language())) {
                    continue;
                }
                List<Docs.Region> same = regions.stream().filter(r -> r.lines().equals(block.lines())).toList();
                if (same.isEmpty()) {
                    problems.add(block.where() + ": this ```" + block.language() + " block is no region of an example under"
                            + " " + String.join(" or ", Docs.REGION_ROOTS) + " (verbatim, but for the indentation)" + closest(block, regions));
                }
                used.addAll(same);
            }
        }
        for (Docs.Region region : regions) {
            if (!used.contains(region)) {
                problems.add(region.where() + ": no code block of README.md or docs/**.md shows this region: update the"
                        + " block that showed it, or remove the region markers\n" + String.join("\n", region.lines()));
            }
        }
        return problems;
    }

    private static String closest(Docs.Block block, List<Docs.Region> regions) {
        Docs.Region best = null;
        long bestScore = 0;
        for (Docs.Region region : regions) {
            long score = block.lines().stream().filter(region.lines()::contains).count();
            if (score > bestScore) {
                best = region;
                bestScore = score;
            }
        }
        if (best == null) {
            return ":\n" + String.join("\n", block.lines());
        }
        int at = 0;
        while (at < block.lines().size() && at < best.lines().size() && block.lines().get(at).equals(best.lines().get(at))) {
            at++;
        }
        return "; the closest is " + best.where() + ", first different at line " + (at + 1) + " of the block:\n  doc:     "
                + (at < block.lines().size() ? block.lines().get(at) : "(end of block)") + "\n  example: "
                + (at < best.lines().size() ? best.lines().get(at) : "(end of region)");
    }

    private static void assertPrintsInOrder(List<Docs.Expected> expected, Command run) {
        List<String> lines = run.lines();
        int next = 0;
        for (Docs.Expected line : expected) {
            while (next < lines.size() && !line.matches(lines.get(next))) {
                next++;
            }
            if (next == lines.size()) {
                fail("expected a line '" + line + "' (after the lines matched before it): " + run.describe());
            }
            next++;
        }
    }

    /** A command of the docs started from the repository root and left running, once it says it is ready. */
    private Background startBeside(String command, Path regions) {
        List<String> words = new ArrayList<>(Arrays.asList(command.replaceFirst("\\s+#.*", "").replaceFirst("\\s*&$", "").trim().split("\\s+")));
        words.set(0, root.resolve(words.get(0)).toString());
        return Background.start(words, root, Map.of("RINGFORK_DIR", regions.toString(), "RINGFORK_NO_BUILD", "1"),
                "ringfork worker: ", DEADLINE);
    }

    /** Ringfork's jars, and Hazelcast's for the cluster examples (an optional dependency a user adds). */
    private static String ringfork() {
        List<String> path = new ArrayList<>(JvmCommand.ringforkClassPath());
        try {
            path.add(Path.of(com.hazelcast.core.Hazelcast.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(File.pathSeparator, path);
    }
}
