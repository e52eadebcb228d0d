package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SharedQueue between child JVMs: every element exactly once, nothing lost at close. */
class SharedQueueProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int PER_PRODUCER = 20_000;

    @TempDir
    Path temp;

    private RegionOptions options() {
        return RegionOptions.defaults().withDirectory(temp).withSize(2 << 20);
    }

    /** "producer:seq:checksum:padding", the checksum covering the rest; sizes vary so the ring wraps unevenly. */
    static String payload(int producer, int seq) {
        String body = producer + ":" + seq + ":" + "z".repeat(seq % 41);
        return body + ":" + crc(body);
    }

    static long crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** Checks the checksum and returns {producer, seq}. */
    static int[] parse(String element) {
        int cut = element.lastIndexOf(':');
        String body = element.substring(0, cut);
        if (crc(body) != Long.parseLong(element.substring(cut + 1))) {
            throw new AssertionError("corrupt element: " + element);
        }
        String[] parts = body.split(":");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    @Test
    void twoProducerJvmsAndTwoConsumerJvmsMoveEveryElementExactlyOnce() throws Exception {
        int producers = 2;
        int consumers = 2;
        int threadsPerConsumer = 2;
        try (SharedRegion region = SharedRegion.create("q", options())) {
            SharedQueue<String> queue = SharedQueue.open(region, "jobs", Codec.string(),
                    QueueOptions.defaults().withCapacity(32 << 10));
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int c = 0; c < consumers; c++) {
                    children.add(ChildJvm.start(Taker.class, temp.toString(), Integer.toString(c), Integer.toString(threadsPerConsumer)));
                }
                List<ChildJvm> producing = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    producing.add(ChildJvm.start(Putter.class, temp.toString(), Integer.toString(p), Integer.toString(PER_PRODUCER)));
                }
                children.addAll(producing);
                for (ChildJvm producer : producing) {
                    producer.awaitSuccess(DEADLINE);
                }
                queue.close(); // every put has returned: the takers drain, then see the end of the stream
                for (ChildJvm child : children) {
                    child.awaitSuccess(DEADLINE);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }

            Set<Long> seen = new HashSet<>();
            int files = 0;
            try (var listing = Files.list(temp)) {
                for (Path file : listing.filter(f -> f.getFileName().toString().startsWith("taken-")).toList()) {
                    files++;
                    Map<Integer, Integer> lastSeq = new HashMap<>();
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        int[] ps = parse(line);
                        assertTrue(seen.add(((long) ps[0] << 32) | ps[1]), "taken twice: " + line);
                        Integer last = lastSeq.put(ps[0], ps[1]);
                        assertTrue(last == null || last < ps[1], "one taker sees one producer's elements in order: " + line);
                    }
                }
            }
            assertEquals(consumers * threadsPerConsumer, files);
            assertEquals(producers * PER_PRODUCER, seen.size(), "nothing lost");
            assertEquals(0, queue.size());
            assertEquals(0, queue.lostElements());
        }
    }

    @Test
    void spscQueueFromAChildJvmArrivesInOrderAndEnds() throws Exception {
        try (SharedRegion region = SharedRegion.create("q", options())) {
            SharedQueue<Long> queue = SharedQueue.open(region, "seq", Codec.int64(),
                    QueueOptions.defaults().withCapacity(4096).withSingleProducerSingleConsumer(true));
            try (ChildJvm child = ChildJvm.start(SpscPutter.class, temp.toString(), "50000")) {
                long expected = 0;
                try {
                    for (;;) {
                        assertEquals(expected++, queue.take());
                    }
                } catch (EndOfStreamException end) {
                    expected--;
                }
                assertEquals(50_000, expected);
                child.awaitSuccess(DEADLINE);
            }
        }
    }

    /** Child: puts PER_PRODUCER self-checking strings. */
    public static final class Putter {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            int id = Integer.parseInt(args[1]);
            int count = Integer.parseInt(args[2]);
            try (SharedRegion region = SharedRegion.open("q", ChildSupport.options(args[0]))) {
                SharedQueue<String> queue = SharedQueue.open(region, "jobs", Codec.string());
                for (int i = 0; i < count; i++) {
                    if (!queue.offer(payload(id, i), 60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no room for 60 s at element " + i);
                    }
                }
            }
        }
    }

    /** Child: takes with several threads until the end of the stream; each thread writes what it took to a file. */
    public static final class Taker {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            String id = args[1];
            int threads = Integer.parseInt(args[2]);
            try (SharedRegion region = SharedRegion.open("q", ChildSupport.options(args[0]))) {
                SharedQueue<String> queue = SharedQueue.open(region, "jobs", Codec.string());
                List<Thread> workers = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < threads; t++) {
                    Path out = Path.of(args[0], "taken-" + id + "-" + t);
                    workers.add(Thread.ofPlatform().start(() -> {
                        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                            for (;;) {
                                String element;
                                try {
                                    element = queue.take();
                                } catch (EndOfStreamException end) {
                                    break;
                                }
                                parse(element);
                                writer.write(element);
                                writer.newLine();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread worker : workers) {
                    worker.join(DEADLINE.toMillis());
                    if (worker.isAlive()) {
                        throw new IllegalStateException("a taker thread did not finish");
                    }
                }
                if (!failures.isEmpty()) {
                    failures.forEach(Throwable::printStackTrace);
                    System.exit(1);
                }
            }
        }
    }

    /** Child: the single producer of an SPSC queue; closes it when done. */
    public static final class SpscPutter {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            long count = Long.parseLong(args[1]);
            try (SharedRegion region = SharedRegion.open("q", ChildSupport.options(args[0]))) {
                SharedQueue<Long> queue = SharedQueue.open(region, "seq", Codec.int64());
                for (long i = 0; i < count; i++) {
                    queue.put(i);
                }
                queue.close();
            }
        }
    }
}
