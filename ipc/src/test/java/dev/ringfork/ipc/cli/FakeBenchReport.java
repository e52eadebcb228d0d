package dev.ringfork.ipc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Stands in for BenchReport in {@link BenchCommandTest}: prints its arguments, three PROGRESS lines,
 * some other output and a WROTE line; with {@code --only=peers} also a failure on stderr, and exits 1.
 */
public final class FakeBenchReport {

    private FakeBenchReport() {
    }

    public static void main(String[] args) throws Exception {
        List<String> all = Arrays.asList(args);
        System.out.println("fake report " + String.join(" ", args));
        String out = all.stream().filter(a -> a.startsWith("--out=")).findFirst().orElseThrow().substring("--out=".length());
        String stamp = all.stream().filter(a -> a.startsWith("--stamp=")).findFirst().orElseThrow().substring("--stamp=".length());
        for (int i = 1; i <= 3; i++) {
            System.out.println("PROGRESS " + i + "/3 spsc/" + i + "/agrona");
            System.out.println("measured figure " + i);
        }
        Path json = Files.writeString(Path.of(out, stamp + ".json"), "{}\n");
        System.out.println("WROTE " + json);
        boolean fail = all.contains("--only=peers");
        if (fail) {
            System.err.println("FAILED peers/spsc/32/agrona: consumer died");
        }
        System.out.flush();
        System.exit(fail ? 1 : 0);
    }
}
