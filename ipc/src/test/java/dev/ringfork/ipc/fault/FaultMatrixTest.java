package dev.ringfork.ipc.fault;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fault matrix: kill -9 at a random point of {producer, consumer, lock owner, barrier party, pool
 * worker, pipe peer, parent} x {SPSC, MPSC, MPMC, queue, lock, reentrant lock, barrier, pipe, pool}, with
 * self-checking payloads. Each cell asserts that
 * nothing is lost beyond what the library reports, nothing is duplicated beyond what it documents, and
 * nothing hangs. {@code -Dringfork.fault.trials=N} trials per cell (2 by default, as in scripts/test;
 * scripts/soak runs many), each with its own seed ({@code -Dringfork.fault.seed=S} to replay). The
 * table of outcomes is printed and written to target/fault-matrix.md.
 */
class FaultMatrixTest {

    static final int TRIALS = Integer.getInteger("ringfork.fault.trials", 2);
    static final long SEED = Long.getLong("ringfork.fault.seed", System.nanoTime());

    interface Cell {
        String trial(Trial trial) throws Exception;
    }

    record Outcome(int passed, int failed, long millis, String last) {
    }

    private static final Map<String, Outcome> TABLE = new LinkedHashMap<>();

    static Map<String, Cell> cells() {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Channels channel : Channels.values()) {
            String structure = channel == Channels.QUEUE ? "queue" : channel.name();
            cells.put("producer x " + structure, trial -> ChannelCells.producerKilled(trial, channel));
            cells.put("consumer x " + structure, trial -> ChannelCells.consumerKilled(trial, channel));
        }
        cells.put("lock owner x lock", OtherCells::lockOwnerKilled);
        cells.put("lock owner x reentrant lock", SyncCells::reentrantOwnerKilled);
        cells.put("party x barrier", SyncCells::barrierPartyKilled);
        cells.put("pipe peer (sender) x pipe", OtherCells::pipeSenderKilled);
        cells.put("pipe peer (receiver) x pipe", OtherCells::pipeReceiverKilled);
        cells.put("pool worker x pool", OtherCells::poolWorkerKilled);
        cells.put("parent x pool", OtherCells::poolParentKilled);
        return cells;
    }

    @TestFactory
    Stream<DynamicTest> everyCell() {
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, Cell> cell : cells().entrySet()) {
            long cellSeed = SEED + 1_000_003L * index++;
            tests.add(DynamicTest.dynamicTest(cell.getKey() + " (" + TRIALS + " trials, seed " + cellSeed + ")",
                    () -> run(cell.getKey(), cell.getValue(), cellSeed)));
        }
        return tests.stream();
    }

    private static void run(String name, Cell cell, long seed) throws Exception {
        int passed = 0;
        int failed = 0;
        String last = "";
        long start = System.nanoTime();
        Throwable first = null;
        for (int i = 0; i < TRIALS; i++) {
            Path dir = Files.createTempDirectory("fault-");
            try (Trial trial = new Trial(dir, seed + i)) {
                last = cell.trial(trial);
                passed++;
            } catch (Throwable t) {
                failed++;
                last = "trial " + i + " (seed " + (seed + i) + "): " + t;
                if (first == null) {
                    first = t;
                }
            } finally {
                delete(dir);
            }
        }
        TABLE.put(name, new Outcome(passed, failed, (System.nanoTime() - start) / 1_000_000, last));
        if (first != null) {
            throw new AssertionError(name + ": " + failed + " of " + TRIALS + " trials failed; first: " + first, first);
        }
    }

    @AfterAll
    static void printTable() throws IOException {
        StringBuilder table = new StringBuilder("| cell | trials | passed | failed | time | last outcome |\n|---|---|---|---|---|---|\n");
        TABLE.forEach((name, o) -> table.append("| ").append(name).append(" | ").append(o.passed() + o.failed()).append(" | ")
                .append(o.passed()).append(" | ").append(o.failed()).append(" | ").append(o.millis() / 1000.0).append(" s | ")
                .append(o.last().replace('|', '/')).append(" |\n"));
        System.out.println("Fault matrix (seed " + SEED + "):\n" + table);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("fault-matrix.md"), "Fault matrix, seed " + SEED + ", " + TRIALS
                    + " trials per cell\n\n" + table);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: the temp directory is left behind
        }
    }
}
