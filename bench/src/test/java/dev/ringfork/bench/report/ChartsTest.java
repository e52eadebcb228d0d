package dev.ringfork.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A small fixed set of figures, as a run of every suite would give them (one of them missing). */
    static List<Figure> sample() {
        List<Figure> figures = new ArrayList<>();
        double[][] spsc = {{18.7e6, 11.2e6, 13.7e6, 2.3e6}, {14.5e6, 23.2e6, 7.1e6, 0.7e6}, {3.2e6, 5.1e6, 3.3e6, Double.NaN}};
        String[] peers = {"ringfork-claim", "ringfork-batch", "agrona", "chronicle"};
        String[] sizes = {"32", "256", "4096"};
        for (int s = 0; s < sizes.length; s++) {
            for (int p = 0; p < peers.length; p++) {
                figures.add(Figure.median("peers", "spsc/" + sizes[s] + "/" + peers[p] + "/short", "msg/s", List.of(spsc[s][p])));
            }
        }
        String[] pairs = {"ringfork-spin", "ringfork-adaptive", "agrona-spin", "ringfork-adaptive-gap1ms"};
        double[][] trips = {{920, 22_593_540, 27_590_660}, {870, 34_865_150, 39_944_190}, {680, 3_270_660, 4_632_580},
                {94_080, 4_452_350, 13_287_420}};
        for (int i = 0; i < pairs.length; i++) {
            figures.add(Figure.median("peers", "pingpong/" + pairs[i] + "/p50", "ns", List.of(trips[i][0])));
            figures.add(Figure.median("peers", "pingpong/" + pairs[i] + "/p99", "ns", List.of(trips[i][1])));
            figures.add(Figure.median("peers", "pingpong/" + pairs[i] + "/p999", "ns", List.of(trips[i][2])));
        }
        figures.add(Figure.median("peers", "mpsc/32/ringfork-claim/short", "msg/s", List.of(8.1e6)));
        figures.add(Figure.median("peers", "mpsc/32/ringfork-batch/short", "msg/s", List.of(11.0e6)));
        figures.add(Figure.median("peers", "mpsc/32/agrona/short", "msg/s", List.of(10.2e6)));
        figures.add(Figure.median("peers", "mpmc/32/ringfork/short", "msg/s", List.of(3.8e6)));
        String[] chunks = {"1", "16", "1000", "auto"};
        double[] imap = {310_000, 2.1e6, 6.5e6, 6.2e6};
        for (int i = 0; i < chunks.length; i++) {
            figures.add(Figure.median("pool", "imap/" + chunks[i], "items/s", List.of(imap[i])));
        }
        figures.add(new Figure("jmh", "RingPathBenchmark.burst:size=32", 45.1, "ns/op", 1.2, List.of(44.0, 45.1, 46.0)));
        return figures;
    }

    @Test
    void drawsEveryChartAsPng(@TempDir Path dir) throws IOException {
        List<Path> files = Charts.write(sample(), dir, "2026-01-02T03-04");
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("2026-01-02T03-04-throughput.png", "2026-01-02T03-04-pingpong.png", "2026-01-02T03-04-pool-imap.png",
                "2026-01-02T03-04-mpsc.png", "latest-throughput.png", "latest-pingpong.png", "latest-pool-imap.png",
                "latest-mpsc.png"), names);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            assertArrayEquals(PNG, Arrays.copyOf(bytes, PNG.length), file + " is no PNG");
            assertTrue(bytes.length > 10_000, file + " is only " + bytes.length + " bytes");
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("2026-01-02T03-04-pingpong.png")),
                Files.readAllBytes(dir.resolve("latest-pingpong.png")));
    }

    @Test
    void leavesOutChartsWithoutFigures(@TempDir Path dir) throws IOException {
        List<Figure> poolOnly = sample().stream().filter(f -> f.suite().equals("pool")).toList();
        List<Path> files = Charts.write(poolOnly, dir, "s");
        assertEquals(List.of(dir.resolve("s-pool-imap.png"), dir.resolve("latest-pool-imap.png")), files);
        assertEquals(List.of(), Charts.write(List.of(), dir, "t"));
    }

    @Test
    void formatsAxisValuesShort() {
        assertEquals("12.3M", Charts.human(12_345_678));
        assertEquals("310k", Charts.human(310_000));
        assertEquals("1k", Charts.human(1_000));
        assertEquals("0.68", Charts.human(0.68));
        assertEquals("22.6", Charts.human(22.59));
        assertEquals("2G", Charts.human(2e9));
        assertEquals("0", Charts.human(0));
    }
}
