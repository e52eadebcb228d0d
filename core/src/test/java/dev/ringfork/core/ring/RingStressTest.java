package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Tracker;
import dev.ringfork.core.testing.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * N producers x M consumers with self-checking payloads, as threads of this JVM and as child JVMs: every
 * message is delivered exactly once and intact, each producer's order is kept (per consumer for MPMC),
 * nothing is lost at close. A small ring makes wraps and full-ring waits constant.
 */
class RingStressTest {

    private static final int CAPACITY = 32 * 1024;
    private static final int TOTAL = 100_000;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} {1}x{2} threads")
    @CsvSource({"SPSC,1,1", "MPSC,1,1", "MPSC,2,1", "MPSC,4,1", "MPMC,1,1", "MPMC,2,2", "MPMC,4,4"})
    void threadsDeliverEveryMessageExactlyOnce(RingKind kind, int producers, int consumers) throws Exception {
        int perProducer = TOTAL / producers;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, 1000));
            List<CompletableFuture<Tracker>> readers = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                RingConsumer consumer = ring.consumer(); // slots taken before anything is written
                readers.add(CompletableFuture.supplyAsync(() -> {
                    Tracker tracker = new Tracker(producers, kind != RingKind.MPMC);
                    try (consumer) {
                        int n;
                        while ((n = consumer.read(tracker, 64, STEP.toSeconds(), TimeUnit.SECONDS)) > 0) {
                            // until the end of the stream
                        }
                        if (n == 0) {
                            throw new AssertionError("no message within " + STEP + " after " + tracker.count);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    return tracker;
                }, task -> Thread.ofPlatform().name("consumer").start(task)));
            }
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                RingProducer producer = ring.producer();
                writers.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int seq = 0; seq < perProducer; seq++) {
                            RingChildren.send(producer, id, seq);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, task -> Thread.ofPlatform().name("producer-" + id).start(task)));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(STEP.toSeconds(), TimeUnit.SECONDS);
            ring.close();
            List<Tracker> trackers = new ArrayList<>();
            for (CompletableFuture<Tracker> reader : readers) {
                trackers.add(reader.get(STEP.toSeconds(), TimeUnit.SECONDS));
            }
            List<List<BitSet>> seen = new ArrayList<>();
            for (Tracker tracker : trackers) {
                assertEquals(List.of(), tracker.errors);
                seen.add(List.of(tracker.seen));
            }
            assertExactlyOnce(seen, producers, perProducer);
            assertEquals(0, ring.unblockedRecords(), "no live writer was skipped");
            assertEquals(0, ring.lostMessages());
            assertEquals(0, ring.backlogBytes());
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} processes")
    @CsvSource({"SPSC,1,1", "MPSC,1,1", "MPSC,2,1", "MPSC,4,1", "MPMC,1,1", "MPMC,2,2", "MPMC,4,4"})
    void processesDeliverEveryMessageExactlyOnce(RingKind kind, int producers, int consumers) {
        runProcesses(kind, producers, consumers, List.of());
    }

    private void runProcesses(RingKind kind, int producers, int consumers, List<String> jvmOptions) {
        int perProducer = TOTAL / producers;
        try (SharedRegion region = SharedRegion.create(RingTesting.REGION, RingTesting.regionOptions(temp))) {
            Ring ring = RingTesting.open(kind, region, RING, RingTesting.options(CAPACITY, 1000));
            List<ChildJvm> children = new ArrayList<>();
            try {
                List<ChildJvm> readers = new ArrayList<>();
                for (int c = 0; c < consumers; c++) {
                    ChildJvm child = ChildJvm.start(RingChildren.Consumer.class, jvmOptions,
                            RingChildren.args(temp, kind, CAPACITY, 1000, producers));
                    children.add(child);
                    readers.add(child);
                }
                List<ChildJvm> writers = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    ChildJvm child = ChildJvm.start(RingChildren.Producer.class, jvmOptions,
                            RingChildren.args(temp, kind, CAPACITY, 1000, p, perProducer));
                    children.add(child);
                    writers.add(child);
                }
                for (ChildJvm child : children) {
                    child.awaitLine("READY", STEP);
                }
                region.event("go").set(); // everybody attached: start together
                for (int p = 0; p < producers; p++) {
                    assertEquals("SENT " + p + " " + perProducer, writers.get(p).awaitLine("SENT", STEP));
                    writers.get(p).awaitSuccess(STEP);
                }
                ring.close();
                List<List<BitSet>> seen = new ArrayList<>();
                for (ChildJvm reader : readers) {
                    reader.awaitSuccess(STEP);
                    String output = reader.output();
                    assertTrue(!output.contains("ERROR"), output);
                    List<BitSet> sets = new ArrayList<>();
                    long count = -1;
                    for (String line : output.split("\n")) {
                        String[] parts = line.split(" ");
                        if (parts[0].equals("SEEN")) {
                            assertEquals(sets.size(), Integer.parseInt(parts[1]));
                            sets.add(Tracker.decode(parts.length > 2 ? parts[2] : ""));
                        } else if (parts[0].equals("DONE")) {
                            count = Long.parseLong(parts[1]);
                            assertEquals("0", parts[2], output);
                        }
                    }
                    assertEquals(producers, sets.size(), output);
                    assertEquals(sets.stream().mapToLong(BitSet::cardinality).sum(), count, "count matches the bits");
                    seen.add(sets);
                }
                assertExactlyOnce(seen, producers, perProducer);
            } finally {
                children.forEach(ChildJvm::close);
            }
            assertEquals(0, ring.unblockedRecords(), "no live writer was skipped");
            assertEquals(0, ring.lostMessages());
            assertEquals(0, ring.backlogBytes());
        }
    }

    /** Every (producer, seq) below perProducer seen by exactly one consumer; nothing else. */
    static void assertExactlyOnce(List<List<BitSet>> seenByConsumer, int producers, int perProducer) {
        for (int p = 0; p < producers; p++) {
            BitSet union = new BitSet();
            long total = 0;
            for (List<BitSet> consumer : seenByConsumer) {
                BitSet mine = consumer.get(p);
                BitSet overlap = (BitSet) union.clone();
                overlap.and(mine);
                assertTrue(overlap.isEmpty(), "producer " + p + ": delivered twice: " + overlap.stream().limit(10).boxed().toList());
                union.or(mine);
                total += mine.cardinality();
            }
            assertEquals(perProducer, union.cardinality(), "producer " + p + ": messages delivered; first missing "
                    + union.nextClearBit(0));
            assertEquals(perProducer, union.length(), "producer " + p + ": nothing beyond what was sent");
            assertEquals(perProducer, total);
        }
    }
}
