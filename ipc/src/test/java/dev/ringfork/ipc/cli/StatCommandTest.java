package dev.ringfork.ipc.cli;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.MpmcRing;
import dev.ringfork.core.ring.RecordLayout;
import dev.ringfork.core.ring.RingConsumer;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.core.sync.LockLayout;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ringfork stat}, run in-process through picocli against regions in a temporary directory. */
@Timeout(120)
class StatCommandTest {

    private static final Duration STEP = Duration.ofSeconds(60);
    private static final long SELF = ProcessIdentity.current().pid();
    private static final int MESSAGES = 10;
    private static final int PAYLOAD = 20;

    @TempDir
    Path temp;

    record Result(int code, String out, String err) {
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private RegionOptions options() {
        return RegionOptions.defaults().withDirectory(temp);
    }

    /** A region with an int, a held lock, an SPSC ring holding MESSAGES messages, an MPMC ring, a semaphore, an event, bytes. */
    private SharedRegion populated() {
        SharedRegion region = SharedRegion.create("work", options());
        region.sharedInt("done", 42);
        region.sharedLong("total", -7L);
        region.lock("mine").lock(); // by this thread; the test unlocks it with region.lock("mine").unlock()
        RingProducer producer = SpscRing.open(region, "jobs", RingOptions.defaults().withCapacity(1 << 16)).producer();
        for (int i = 0; i < MESSAGES; i++) {
            assertTrue(producer.offer(1, MemorySegment.ofArray(new byte[PAYLOAD])), "room for message " + i);
        }
        region.semaphore("permits", 3);
        region.event("ready").set();
        region.bytes("blob", 1000, 64);
        return region;
    }

    @Test
    void theNewerSlotKindsShowTheirState() {
        try (SharedRegion region = SharedRegion.create("newer", options())) {
            region.sharedDouble("ratio", 2.5);
            region.reentrantLock("re").lock();
            region.intArray("counts", 10);
            region.barrier("meet", 3);
            Result text = run(new StatCommand(), "newer", "--dir", temp.toString());
            assertEquals(0, text.code(), text.err());
            assertTrue(text.out().matches("(?s).*\ndouble ratio +value 2\\.5\n.*"), text.out());
            assertTrue(text.out().matches("(?s).*\nreentrant-lock re +owner " + SELF + ", owner deaths 0\n.*"), text.out());
            assertTrue(text.out().matches("(?s).*\nint-array counts +size \\d+\n.*"), text.out());
            assertTrue(text.out().matches("(?s).*\nbarrier meet +size \\d+\n.*"), text.out());
            Result json = run(new StatCommand(), "newer", "--dir", temp.toString(), "--json");
            assertTrue(json.out().contains("{\"name\":\"ratio\",\"kind\":\"double\",\"state\":\"value 2.5\"}"), json.out());
            region.reentrantLock("re").unlock();
        }
    }

    @Test
    void listShowsARegionMadeByThisProcess() {
        try (SharedRegion region = SharedRegion.create("alpha", options())) {
            region.sharedInt("x");
            Result result = run(new StatCommand(), "--dir", temp.toString());
            assertEquals(0, result.code(), result.err());
            assertTrue(result.out().startsWith("directory " + temp.toAbsolutePath() + "  1 region\n"), result.out());
            Matcher row = Pattern.compile("(?m)^alpha +(\\d+) +(\\d+) +(\\w+) +(\\d+) +(\\S+)$").matcher(result.out());
            assertTrue(row.find(), result.out());
            assertEquals(region.size(), Long.parseLong(row.group(1)));
            assertEquals(SELF, Long.parseLong(row.group(2)));
            assertEquals("yes", row.group(3), "creator alive");
            assertEquals("1", row.group(4), "slots");
            assertEquals("yes", row.group(5), "this JVM maps it");
        }
    }

    @Test
    void regionShowsBacklogValuesAndALockHeldHere() {
        try (SharedRegion region = populated()) {
            MpmcRing shared = MpmcRing.open(region, "tasks", RingOptions.defaults().withCapacity(1 << 12));
            RingConsumer consumer = shared.consumer(); // holds one of the 16 consumer slots
            try {
                Result result = run(new StatCommand(), "work", "--dir", temp.toString());
                assertEquals(0, result.code(), result.err());
                String out = result.out();
                assertTrue(out.startsWith("region work  file " + temp.resolve("work").toAbsolutePath() + "  layout 2.0  size "
                        + region.size() + "  creator " + SELF + " (alive)  slots 8\n"), out);

                Matcher backlog = Pattern.compile("(?m)^ring jobs +SPSC  capacity 65536 .*backlog (\\d+) B / (\\d+) messages  ")
                        .matcher(out);
                assertTrue(backlog.find(), out);
                int aligned = RecordLayout.aligned(RecordLayout.HEADER_LENGTH + PAYLOAD);
                assertEquals(MESSAGES * aligned, Long.parseLong(backlog.group(1)), "backlog bytes");
                assertEquals(MESSAGES, Long.parseLong(backlog.group(2)), "backlog messages");
                assertTrue(out.contains("head 0  tail " + MESSAGES * aligned + "  "), out);

                assertLine(out, "int done +value 42");
                assertLine(out, "long total +value -7");
                assertLine(out, "lock mine +owner " + SELF + " \\(alive\\)  waiters no  deaths 0");
                assertLine(out, "semaphore permits +value 3  sleepers 0");
                assertLine(out, "event ready +value 1 \\(set\\)  sleepers 0");
                assertLine(out, "bytes blob +size 1000");
                assertLine(out, "ring tasks +MPMC  capacity 4096 .*backlog 0 B / 0 messages  consumers asleep 0  producers asleep 0"
                        + "  closed no  unblocked 0  lost 0  redelivered 0  consumer slots 1/16  producer slots 0/64");
            } finally {
                consumer.close();
            }
            region.lock("mine").unlock();
        }
    }

    @Test
    void aLockWhoseOwnerWasKilledShowsTheDeadOwner() {
        try (SharedRegion region = SharedRegion.create("work", options())) {
            SharedLock lock = region.lock("held");
            long childPid;
            try (ChildJvm child = ChildJvm.start(HoldLock.class, temp.toString())) {
                child.awaitLine("LOCKED", STEP);
                childPid = child.pid();
                child.kill();
            }
            assertEquals(childPid, lock.ownerPid(), "the dead child still owns it");
            Result result = run(new StatCommand(), "work", "--dir", temp.toString());
            assertEquals(0, result.code(), result.err());
            assertLine(result.out(), "lock held +owner " + childPid + " \\(dead\\)  waiters no  deaths 0");
        }
    }

    /**
     * A lock left held by an earlier process with this very pid (a restarted container): the state word
     * carries our pid with another start tag, and no owner record (it died right after its compare-and-set).
     */
    @Test
    void aLockHeldByAnEarlierProcessWithThisPidShowsADeadOwner() throws IOException {
        try (SharedRegion region = SharedRegion.create("work", options())) {
            region.lock("old");
            long offset = region.slots().getFirst().offset();
            try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(region.file(),
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MemorySegment file = channel.map(FileChannel.MapMode.READ_WRITE, 0, region.size(), arena);
                long otherStart = ProcessIdentity.current().startTime() + 1;
                int word = LockLayout.ownerWord((int) SELF, otherStart);
                file.set(ValueLayout.JAVA_INT, offset + LockLayout.STATE_OFFSET, word);
            }
            assertFalse(region.lock("old").isOwnerAlive());
            Result result = run(new StatCommand(), "work", "--dir", temp.toString());
            assertEquals(0, result.code(), result.err());
            assertLine(result.out(), "lock old +owner " + SELF + " \\(dead\\)  waiters no  deaths 0");
        }
    }

    @Test
    void jsonHasTheSameData() {
        try (SharedRegion region = populated()) {
            Result result = run(new StatCommand(), "work", "--dir", temp.toString(), "--json");
            assertEquals(0, result.code(), result.err());
            String json = result.out().strip();
            assertTrue(json.startsWith("{\"name\":\"work\",") && json.endsWith("}"), json);
            assertFalse(json.contains("\n"), "one line");
            int aligned = RecordLayout.aligned(RecordLayout.HEADER_LENGTH + PAYLOAD);
            for (String expected : new String[] {"\"layoutVersion\":\"2.0\"", "\"creatorPid\":" + SELF, "\"slots\":[{",
                    "{\"name\":\"done\",\"kind\":\"int\",\"value\":42}",
                    "{\"name\":\"mine\",\"kind\":\"lock\",\"ownerPid\":" + SELF + ",\"ownerAlive\":true,",
                    "\"ringKind\":\"SPSC\"", "\"backlogBytes\":" + MESSAGES * aligned, "\"backlogMessages\":" + MESSAGES}) {
                assertTrue(json.contains(expected), expected + " in " + json);
            }
            Result listing = run(new StatCommand(), "--dir", temp.toString(), "--json");
            assertEquals(0, listing.code(), listing.err());
            assertTrue(listing.out().startsWith("{\"directory\":"), listing.out());
            assertTrue(listing.out().contains("\"regions\":[{\"name\":\"work\",\"size\":" + region.size()), listing.out());
            region.lock("mine").unlock();
        }
    }

    @Test
    void watchPrintsABlockPerRefreshAndRates() {
        try (SharedRegion region = populated()) {
            Result result = run(new StatCommand(), region.name(), "--dir", temp.toString(), "--watch", "--count", "2", "--interval", "100ms");
            assertEquals(0, result.code(), result.err());
            String out = result.out();
            assertEquals(2, count(out, "(?m)^refresh \\d+  \\S+$"), out);
            assertEquals(2, count(out, "(?m)^region work  "), out);
            // Nobody consumes: the head stays, and the record size is known from the backlog.
            assertEquals(1, count(out, "(?m)^rate jobs +0 bytes/s  0 messages/s \\(estimated\\)$"), out);

            Result json = run(new StatCommand(), "work", "--dir", temp.toString(), "--json", "--count", "2", "--interval", "100ms");
            assertEquals(0, json.code(), json.err());
            String[] lines = json.out().strip().split("\n");
            assertEquals(2, lines.length, json.out());
            assertTrue(lines[0].startsWith("{\"refresh\":1,\"time\":\"") && lines[0].contains("\"rates\":[]"), lines[0]);
            assertTrue(lines[1].contains("\"rates\":[{\"ring\":\"jobs\",\"bytesPerSecond\":0,\"messagesPerSecond\":0}]"), lines[1]);
            region.lock("mine").unlock();
        }
    }

    @Test
    void aTruncatedOrForeignFileGivesTheCoreMessage() throws IOException {
        writePrivate("short", new byte[10]);
        writePrivate("foreign", "not a region ".repeat(400).getBytes(StandardCharsets.US_ASCII));

        Result truncated = run(new StatCommand(), "short", "--dir", temp.toString());
        assertEquals(1, truncated.code());
        assertEquals("", truncated.out());
        assertTrue(truncated.err().startsWith("Region file " + temp.resolve("short").toAbsolutePath()
                + " is 10 bytes, shorter than the 384-byte region header"), truncated.err());
        assertEquals(1, truncated.err().strip().lines().count(), "one line");

        Result foreign = run(new StatCommand(), "foreign", "--dir", temp.toString());
        assertEquals(1, foreign.code());
        assertTrue(foreign.err().contains("does not start with the Ringfork magic"), foreign.err());

        Result listing = run(new StatCommand(), "--dir", temp.toString());
        assertEquals(0, listing.code(), listing.err());
        assertLine(listing.out(), "foreign +error: Region file .* does not start with the Ringfork magic.*");
        assertLine(listing.out(), "short +error: Region file .* shorter than the 384-byte region header.*");
    }

    @Test
    void anUnknownRegionOrBadUsageFails() {
        Result unknown = run(new StatCommand(), "nope", "--dir", temp.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("no region nope in " + temp.toAbsolutePath()), unknown.err());

        Result missingDir = run(new StatCommand(), "nope", "--dir", temp.resolve("absent").toString());
        assertEquals(1, missingDir.code());
        assertFalse(Files.exists(temp.resolve("absent")), "stat creates no directory");

        assertEquals(2, run(new StatCommand(), "--interval", "soon", "--dir", temp.toString()).code());
        assertEquals(2, run(new StatCommand(), "--watch", "--interval", "0s", "--dir", temp.toString()).code());
        assertEquals(2, run(new StatCommand(), "--count", "0", "--dir", temp.toString()).code());
        assertEquals(2, run(new StatCommand(), "bad/name", "--dir", temp.toString()).code());
        assertEquals(2, run(new StatCommand(), "--bogus").code());
    }

    @Test
    void helpExitsZero() {
        Result help = run(new StatCommand(), "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: stat"), help.out());
        assertTrue(help.out().contains("--watch") && help.out().contains("--json"), help.out());
    }

    private void writePrivate(String name, byte[] content) throws IOException {
        Path file = temp.resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void assertLine(String out, String regex) {
        assertTrue(Pattern.compile("(?m)^" + regex + "$").matcher(out).find(), "no line matching " + regex + " in:\n" + out);
    }

    private static int count(String out, String regex) {
        return (int) Pattern.compile(regex).matcher(out).results().count();
    }

    /** Child: takes the lock "held" of region "work", says LOCKED, and holds it until killed. */
    public static final class HoldLock {
        public static void main(String[] args) throws InterruptedException {
            ChildSupport.dieWithParent(STEP);
            SharedRegion region = SharedRegion.open("work", ChildSupport.options(args[0]));
            region.lock("held").lock();
            System.out.println("LOCKED");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
