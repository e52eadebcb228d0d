package dev.ringfork.ipc.adoption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documentation as {@link DocExamplesIT} reads it: fenced code blocks of README.md and docs/**.md, and
 * the regions and expected output of the example programs in docs/examples/ (see docs/examples/README.md).
 */
final class Docs {

    /**
     * {@code // region: name} ... {@code // endregion} in an example (or {@code <!-- region: name -->} ...
     * {@code <!-- endregion -->} in the sample's pom.xml): a code block of the docs, verbatim.
     */
    static final Pattern REGION_START = Pattern.compile("^\\s*(?://|<!--) region: ([A-Za-z0-9._-]+)\\s*(?:-->)?\\s*$");
    static final Pattern REGION_END = Pattern.compile("^\\s*(?://|<!--) endregion\\s*(?:-->)?\\s*$");
    /** The languages of the blocks that must be regions of an example. */
    static final java.util.Set<String> CHECKED_LANGUAGES = java.util.Set.of("java", "xml");
    /** {@code // prints: line} (exactly) or {@code // prints~: regex}: output lines expected, in order. */
    static final Pattern PRINTS = Pattern.compile("^// prints(~?): (.*)$");
    /** {@code // needs: scripts/ringfork worker ...}: a command left running in another terminal while the example runs. */
    static final Pattern NEEDS = Pattern.compile("^// needs: (.*)$");

    private Docs() {
    }

    /** A fenced block: its file, the line of its opening fence (1-based), its language and its lines. */
    record Block(Path file, int line, String language, List<String> lines) {
        String where() {
            return file + ":" + line;
        }
    }

    /** A region of an example: its file, the line of its {@code // region:} marker, its name and dedented lines. */
    record Region(Path file, int line, String name, List<String> lines) {
        String where() {
            return file + ":" + line + " (region " + name + ")";
        }
    }

    /** An expected output line: exact text, or a regular expression for the whole line. */
    record Expected(boolean regex, String text) {
        boolean matches(String line) {
            return regex ? line.matches(text) : line.equals(text);
        }

        @Override
        public String toString() {
            return regex ? "~ " + text : text;
        }
    }

    /** README.md and every *.md under docs/, relative to {@code root}. */
    static List<Path> markdownFiles(Path root) {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> walk = Files.walk(root.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).filter(p -> !p.toString().contains("/target/"))
                    .map(root::relativize).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<Block> blocks(Path root, Path file) {
        List<String> lines = read(root.resolve(file));
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                String language = line.substring(3).strip();
                int start = i;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                    body.add(stripTrailing(lines.get(i)));
                }
                blocks.add(new Block(file, start + 1, language, dedent(body)));
            }
        }
        return blocks;
    }

    /** The top-level example programs: docs/examples/*.java (not the sample project's sources). */
    static List<Path> examples(Path root) {
        try (Stream<Path> list = Files.list(root.resolve("docs/examples"))) {
            return list.filter(p -> p.toString().endsWith(".java")).map(root::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where regions are: the examples (and the sample project), and the test fixtures that run snippets too. */
    static final List<String> REGION_ROOTS = List.of("docs/examples", "ipc/src/test/fixtures");

    /** Every region of the example programs, of the sample project's sources and pom, and of the test fixtures. */
    static List<Region> regions(Path root) {
        List<Region> regions = new ArrayList<>();
        for (String folder : REGION_ROOTS) {
            if (!Files.isDirectory(root.resolve(folder))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root.resolve(folder))) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java") || p.getFileName().toString().equals("pom.xml"))
                        .filter(p -> !p.toString().contains("/target/"))
                        .sorted().toList()) {
                    regions.addAll(regions(root, root.relativize(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return regions;
    }

    static List<Region> regions(Path root, Path file) {
        List<String> lines = read(root.resolve(file));
        List<Region> regions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher start = REGION_START.matcher(lines.get(i));
            if (start.matches()) {
                int at = i;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !REGION_END.matcher(lines.get(i)).matches(); i++) {
                    if (REGION_START.matcher(lines.get(i)).matches()) {
                        throw new AssertionError(file + ":" + (i + 1) + ": a region starts inside region " + start.group(1)
                                + " (line " + (at + 1) + "): regions do not nest");
                    }
                    body.add(stripTrailing(lines.get(i)));
                }
                if (i == lines.size()) {
                    throw new AssertionError(file + ":" + (at + 1) + ": region " + start.group(1) + " has no '// endregion'");
                }
                regions.add(new Region(file, at + 1, start.group(1), dedent(body)));
            }
        }
        return regions;
    }

    static List<Expected> expectedOutput(Path root, Path example) {
        List<Expected> expected = new ArrayList<>();
        for (String line : read(root.resolve(example))) {
            Matcher m = PRINTS.matcher(line);
            if (m.matches()) {
                expected.add(new Expected(m.group(1).equals("~"), m.group(2)));
            }
        }
        return expected;
    }

    /** The commands an example needs running beside it ({@code // needs: ...} lines), in order. */
    static List<String> needs(Path root, Path example) {
        List<String> needs = new ArrayList<>();
        for (String line : read(root.resolve(example))) {
            Matcher m = NEEDS.matcher(line);
            if (m.matches()) {
                needs.add(m.group(1).strip());
            }
        }
        return needs;
    }

    /** Lines without their common leading whitespace, and without blank lines at either end. */
    static List<String> dedent(List<String> lines) {
        List<String> body = new ArrayList<>(lines);
        while (!body.isEmpty() && body.getFirst().isBlank()) {
            body.removeFirst();
        }
        while (!body.isEmpty() && body.getLast().isBlank()) {
            body.removeLast();
        }
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }

    private static String stripTrailing(String line) {
        return line.stripTrailing();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
