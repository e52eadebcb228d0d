package dev.ringfork.core.memory;

import dev.ringfork.core.sync.Doorbell;
import dev.ringfork.core.sync.SemaphoreLayout;
import dev.ringfork.core.sync.SharedEvent;
import dev.ringfork.core.sync.SharedInt;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.sync.SharedSemaphore;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A region file truncated by another process while a child JVM maps it: every access of the child to
 * memory past the new end goes through core's public API and must surface as a
 * {@code RegionTruncatedException} naming the file, both sizes and the fix, never as a bare
 * {@link InternalError} (the JVM's rendering of SIGBUS) and never as a JVM crash.
 *
 * <p>The child runs interpreted ({@code -Xint}): that is where HotSpot runs a compare-and-set through an
 * unguarded native that turns the SIGBUS into a crash, and where the JVM raises the InternalError inside
 * the call that faulted, so Ringfork can translate it. In JIT-compiled code the JVM raises it later, at
 * the next safepoint poll, often after the call returned (see {@code RegionTruncatedHotProcessTest}).
 */
class RegionTruncationProcessTest {

    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String REGION = "victim";
    private static final int SLOTS = 16;

    @TempDir
    Path temp;

    /**
     * {@code keep}: "none" truncates the file to 0 bytes (header and slot directory gone too); "header"
     * keeps the header and slot directory and cuts the data area, so slot lookups work and the data faults.
     */
    @ParameterizedTest(name = "truncated, keeping {0}")
    @CsvSource({"none", "header"})
    void everyAccessPastTheNewEndNamesTheFileAndTheJvmSurvives(String keep) throws IOException {
        long newSize = keep.equals("none") ? 0 : (RegionLayout.dataOffset(SLOTS) + 4095) & ~4095L;
        List<String> wrong = new ArrayList<>();
        truncateUnderChild(newSize, List.of("-Xint"), (named, outcomes) -> outcomes.forEach((op, text) -> {
            boolean untouched = keep.equals("header") && op.startsWith("region.")
                    && !text.contains("Exception") && !text.contains("Error");
            if (!text.startsWith("RegionTruncatedException: " + named) && !untouched) {
                wrong.add(op + " -> " + text);
            }
        }));
        assertEquals(List.of(), wrong, "operations that did not name the truncated file");
    }

    /**
     * The same after every operation ran hot (JIT-compiled). The JVM then skips the faulting access (a
     * load returns garbage) and raises the InternalError at its next safepoint poll, which may come after
     * the Ringfork call returned, even in a later operation: each operation throws
     * {@code RegionTruncatedException} itself, lets through a bare error that
     * {@link RegionTruncatedException#explain} explains, or (compiled, before the poll) runs on with the
     * garbage: it returns a value read from the lost page, or fails with an unrelated exception (a
     * NullPointerException "this is null" was seen). Such an operation must be followed by one that names
     * the file (the poll comes), the fault is always named in the end, and the JVM lives on.
     */
    @org.junit.jupiter.api.Test
    void hotCallersGetTheFileNamedOrExplainedAndTheJvmSurvives() throws IOException {
        List<String> wrong = new ArrayList<>();
        int[] themselves = {0};
        int[] named = {0};
        List<String> garbage = new ArrayList<>(); // ran on with the skipped access's garbage, not yet named
        truncateUnderChild(0, List.of(), (file, outcomes) -> outcomes.forEach((op, text) -> {
            if (text.startsWith("RegionTruncatedException: " + file)) {
                themselves[0]++;
                named[0]++;
                garbage.clear();
            } else if (text.startsWith("InternalError explained: " + file)) {
                named[0]++;
                garbage.clear();
            } else if (text.startsWith("InternalError") || text.startsWith("RegionTruncatedException")) {
                wrong.add(op + " -> " + text); // the fault itself, without the file's name
            } else if (!text.startsWith("returned")) {
                garbage.add(op + " -> " + text);
            }
        }), "hot");
        assertEquals(List.of(), wrong, "operations that reported the fault without naming the file");
        assertEquals(List.of(), garbage, "operations that failed on garbage with no later operation naming the file");
        assertTrue(named[0] > 0, "the fault was never reported");
        System.out.println("hot: " + themselves[0] + " operations threw RegionTruncatedException themselves, "
                + named[0] + " named the file in all");
    }

    /**
     * Starts a {@link Toucher} with {@code options} and {@code args}, truncates the region file to
     * {@code newSize} under its mapping once it says MAPPED, checks that its JVM survived, and hands the
     * expected start of a message naming the file, and each operation's outcome, to {@code check}.
     */
    private void truncateUnderChild(long newSize, List<String> options, BiConsumer<String, Map<String, String>> check,
                                    String... args) throws IOException {
        try (SharedRegion region = SharedRegion.create(REGION, RegionOptions.defaults().withDirectory(temp)
                .withSlotCapacity(SLOTS))) {
            populate(region);
            Path hsErr = temp.resolve("hs_err_child.log");
            List<String> jvm = new ArrayList<>(options);
            jvm.addAll(List.of("-XX:ErrorFile=" + hsErr, "-XX:-CreateCoredumpOnCrash"));
            List<String> childArgs = new ArrayList<>(List.of(temp.toString()));
            childArgs.addAll(List.of(args));
            try (ChildJvm child = ChildJvm.start(Toucher.class, jvm, childArgs.toArray(String[]::new))) {
                child.awaitLine("MAPPED", STEP);
                try (FileChannel channel = FileChannel.open(region.file(), StandardOpenOption.WRITE)) {
                    channel.truncate(newSize); // ftruncate from this process, under the child's mapping
                }
                int code = child.awaitExit(STEP);
                assertEquals(0, code, "the child JVM must survive; crash log " + (Files.exists(hsErr) ? hsErr : "none")
                        + "\n" + child.output());
                Map<String, String> outcomes = outcomes(child.output());
                assertTrue(outcomes.size() >= 30, "every operation reported: " + outcomes.keySet());
                check.accept("Region file " + region.file() + " was truncated to " + newSize
                        + " bytes while this process maps " + region.size() + " bytes", outcomes);
            }
        }
    }

    private static void populate(SharedRegion region) {
        region.bytes("pad", 8192, 128); // the values below lie past the first page of data
        region.sharedInt("int", 7);
        region.sharedLong("long", 8L);
        region.lock("lock");
        region.semaphore("semaphore", 0);
        region.event("event");
        region.bytes("bell", SemaphoreLayout.LENGTH, SemaphoreLayout.LENGTH);
    }

    private static Map<String, String> outcomes(String output) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^OP (\\S+) -> (.*)$").matcher(output);
        while (m.find()) {
            outcomes.put(m.group(1), m.group(2));
        }
        return outcomes;
    }

    /**
     * Child: maps the region, takes every kind of value from it, runs every operation that does not wait
     * 20,000 times if told "hot" (so the JIT compiles them), says MAPPED, waits (bounded) until the file is shorter than its
     * mapping, then runs each operation once and prints its outcome. Args: dir [hot].
     */
    public static final class Toucher {
        public static void main(String[] args) throws Exception {
            ChildSupport.dieWithParent(Duration.ofSeconds(150));
            SharedRegion region = SharedRegion.open(REGION, ChildSupport.options(args[0]));
            SharedInt i = region.sharedInt("int");
            SharedLong l = region.sharedLong("long");
            SharedLock lock = region.lock("lock");
            SharedSemaphore semaphore = region.semaphore("semaphore", 0);
            SharedEvent event = region.event("event");
            MemorySegment bellLine = region.existingBytes("bell").orElseThrow();
            Doorbell bell = Doorbell.at(bellLine, 0);
            Map<String, Op> ops = operations(region, i, l, lock, semaphore, event, bell);
            boolean hot = args.length > 1 && args[1].equals("hot");
            for (int round = 0; hot && round < 20_000; round++) {
                for (Map.Entry<String, Op> op : ops.entrySet()) {
                    String name = op.getKey();
                    boolean waits = name.endsWith("Timeout") || name.endsWith("sleepUntil"); // would wait 100 ms
                    if (!waits && (!name.startsWith("region.") || round < 200)) { // slot lookups cost more: fewer
                        try {
                            op.getValue().run();
                        } catch (IllegalStateException | IllegalMonitorStateException expected) {
                            // relocking, unlocking a free lock: fine while warming up
                        }
                    }
                }
                if (lock.isHeldByCurrentThread()) {
                    lock.unlock();
                }
            }
            System.out.println("MAPPED");
            System.out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(region.file()) >= region.size()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the file was not truncated within 60 s");
                }
                Thread.onSpinWait();
            }
            report(ops);
            region.close();
            System.out.println("SURVIVED");
            System.out.flush();
        }

        private static Map<String, Op> operations(SharedRegion region, SharedInt i, SharedLong l, SharedLock lock,
                                                  SharedSemaphore semaphore, SharedEvent event, Doorbell bell) {
            Map<String, Op> ops = new LinkedHashMap<>();
            ops.put("int.get", i::get);
            ops.put("int.set", v(() -> i.set(1)));
            ops.put("int.getPlain", i::getPlain);
            ops.put("int.setOpaque", v(() -> i.setOpaque(1)));
            ops.put("int.getAcquire", i::getAcquire);
            ops.put("int.setRelease", v(() -> i.setRelease(1)));
            ops.put("int.compareAndSet", () -> i.compareAndSet(7, 8));
            ops.put("int.compareAndExchange", () -> i.compareAndExchange(7, 8));
            ops.put("int.getAndAdd", () -> i.getAndAdd(1));
            ops.put("int.incrementAndGet", i::incrementAndGet);
            ops.put("int.getAndSet", () -> i.getAndSet(3));
            ops.put("int.updateAndGet", () -> i.updateAndGet(x -> x + 1));
            ops.put("long.get", l::get);
            ops.put("long.setPlain", v(() -> l.setPlain(1)));
            ops.put("long.compareAndSet", () -> l.compareAndSet(8, 9));
            ops.put("long.compareAndExchange", () -> l.compareAndExchange(8, 9));
            ops.put("long.addAndGet", () -> l.addAndGet(2));
            ops.put("long.accumulateAndGet", () -> l.accumulateAndGet(2, Math::max));
            ops.put("lock.lock", v(lock::lock));
            ops.put("lock.tryLock", lock::tryLock);
            ops.put("lock.tryLockTimeout", () -> lock.tryLock(100, TimeUnit.MILLISECONDS));
            ops.put("lock.lockInterruptibly", v(lock::lockInterruptibly));
            ops.put("lock.unlock", v(lock::unlock));
            ops.put("lock.isLocked", lock::isLocked);
            ops.put("lock.isHeldByCurrentThread", lock::isHeldByCurrentThread);
            ops.put("lock.isOwnerAlive", lock::isOwnerAlive);
            ops.put("lock.ownerPid", lock::ownerPid);
            ops.put("semaphore.tryAcquire", semaphore::tryAcquire);
            ops.put("semaphore.tryAcquireTimeout", () -> semaphore.tryAcquire(100, TimeUnit.MILLISECONDS));
            ops.put("semaphore.release", v(semaphore::release));
            ops.put("semaphore.availablePermits", semaphore::availablePermits);
            ops.put("event.set", v(event::set));
            ops.put("event.clear", v(event::clear));
            ops.put("event.isSet", event::isSet);
            ops.put("event.awaitTimeout", () -> event.await(100, TimeUnit.MILLISECONDS));
            ops.put("doorbell.ring", v(bell::ring));
            ops.put("doorbell.sleepUntil", () -> bell.sleepUntil(() -> false, System.nanoTime() + 100_000_000L));
            ops.put("doorbell.sleepers", bell::sleepers);
            ops.put("region.slots", () -> region.slots().size());
            ops.put("region.sharedInt", () -> region.sharedInt("int") != null);
            ops.put("region.newSlot", () -> region.sharedInt("new") != null);
            ops.put("region.existingBytes", () -> region.existingBytes("bell").isPresent());
            ops.put("region.creatorPid", region::creatorPid);
            ops.put("region.isCreatorAlive", region::isCreatorAlive);
            return ops;
        }

        private static void report(Map<String, Op> ops) {
            for (Map.Entry<String, Op> op : ops.entrySet()) {
                String outcome;
                try {
                    Object result = op.getValue().run();
                    outcome = "returned " + result;
                } catch (InternalError e) {
                    // Raised after the call returned (JIT-compiled caller): ask which region explains it.
                    outcome = RegionTruncatedException.explain(e).map(t -> "InternalError explained: " + t.getMessage())
                            .orElse("InternalError: " + e.getMessage());
                } catch (Throwable t) {
                    outcome = t.getClass().getSimpleName() + ": " + t.getMessage();
                }
                System.out.println("OP " + op.getKey() + " -> " + outcome.replace('\n', ' '));
                System.out.flush();
            }
        }

        interface Op {
            Object run() throws Exception;
        }

        interface VoidOp {
            void run() throws Exception;
        }

        /** An operation without a result. */
        static Op v(VoidOp op) {
            return () -> {
                op.run();
                return "(void)";
            };
        }
    }
}
