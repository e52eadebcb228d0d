package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.Await;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import dev.ringfork.ipc.codec.Codec;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.ipc.channel.SharedQueueProcessTest.parse;
import static dev.ringfork.ipc.channel.SharedQueueProcessTest.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JoinableQueue consumer JVM killed with SIGKILL at a random point while it takes items in batches:
 * the survivor finishes the rest, and join ends within its timeout. Asserted: join never reports every
 * task done while an item was neither recorded done nor written off; the items written off are the
 * ones the victim held (give or take the one it had recorded and not yet marked done); a timeout leaves
 * at most one batch unattributed (the kill fell between the ring giving the batch up and its count).
 */
class JoinableQueueFaultTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration NOTICED = Duration.ofSeconds(5);
    private static final int ITEMS = 4_000;
    /** Items a worker takes at once: one take and a drainTo of up to BATCH - 1 more. */
    private static final int BATCH = 5;

    @TempDir
    Path temp;

    @RepeatedTest(3)
    void aConsumerKilledAtARandomPointIsWrittenOffAndJoinNeverEndsEarly() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed;
        try (SharedRegion region = SharedRegion.create("jf", RegionOptions.defaults().withDirectory(temp).withSize(4 << 20))) {
            JoinableQueue<String> queue = jobs(region);
            for (int i = 0; i < ITEMS; i++) {
                queue.put(payload(0, i));
            }
            queue.close(); // everything is in: the workers drain, then see the end of the stream
            long killAfter = 100 + random.nextInt(ITEMS / 2);
            long victimPid;
            ConsumerDiedException reported = null;
            try (ChildJvm victim = ChildJvm.start(BatchWorker.class, temp.toString(), "victim");
                 ChildJvm survivor = ChildJvm.start(BatchWorker.class, temp.toString(), "survivor")) {
                victimPid = victim.pid();
                Await.until(() -> queue.unfinishedTasks() <= ITEMS - killAfter, DEADLINE, context + ": " + killAfter + " items done");
                victim.kill();
                survivor.awaitSuccess(DEADLINE);
            }
            boolean allDone;
            try {
                allDone = queue.join(NOTICED.toSeconds(), TimeUnit.SECONDS);
            } catch (ConsumerDiedException e) {
                reported = e;
                assertEquals(victimPid, e.pid(), context + ": " + e.getMessage());
                allDone = queue.join(0, TimeUnit.SECONDS);
            }
            Set<String> done = new HashSet<>();
            for (String who : List.of("victim", "survivor")) {
                for (String line : completeLines(temp.resolve("done-" + who))) {
                    parse(line);
                    assertTrue(done.add(line), context + ": done twice: " + line);
                }
            }
            long missing = ITEMS - done.size();
            long unfinished = queue.unfinishedTasks();
            long lost = queue.lostTasks();
            String state = context + ", killed after " + killAfter + ": " + missing + " never recorded done, " + lost
                    + " written off, " + unfinished + " unfinished, reported " + reported;
            assertEquals(allDone, unfinished == 0, state);
            assertTrue(unfinished + lost >= missing && unfinished + lost <= missing + 1,
                    "every item is recorded done, written off or still unfinished: " + state);
            assertTrue(unfinished <= BATCH, "at most one batch unattributed: " + state);
            assertEquals(lost > 0, reported != null, "a write-off is reported: " + state);
            assertTrue(lost <= BATCH, "the victim held at most one batch: " + state);
            System.out.println("joinable queue, consumer killed: " + state);
        }
    }

    static JoinableQueue<String> jobs(SharedRegion region) {
        return JoinableQueue.open(region, "jobs", Codec.string(), QueueOptions.defaults().withCapacity(1 << 20));
    }

    /** The file's lines but a last one cut short by the kill. */
    private static List<String> completeLines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    /** Child: takes a batch (take, then drainTo), records each item, marks it done; exits at the end of the stream. */
    public static final class BatchWorker {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(DEADLINE);
            try (SharedRegion region = SharedRegion.open("jf", ChildSupport.options(args[0]));
                 BufferedWriter out = Files.newBufferedWriter(Path.of(args[0], "done-" + args[1]), StandardCharsets.UTF_8)) {
                JoinableQueue<String> queue = jobs(region);
                List<String> batch = new ArrayList<>();
                for (;;) {
                    batch.clear();
                    try {
                        batch.add(queue.take());
                    } catch (EndOfStreamException end) {
                        return;
                    }
                    queue.drainTo(batch, BATCH - 1);
                    for (String item : batch) {
                        parse(item);
                        out.write(item + "\n");
                        out.flush(); // recorded, then marked done
                        queue.taskDone();
                    }
                }
            }
        }
    }
}
