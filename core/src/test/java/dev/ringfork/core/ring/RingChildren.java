package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTesting.Payload;
import dev.ringfork.core.ring.RingTesting.Tracker;
import dev.ringfork.core.testing.ChildSupport;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingTesting.RING;
import static dev.ringfork.core.ring.RingTesting.TYPE;

/**
 * Child JVM mains for the ring process tests. Every child takes the same first four arguments:
 * region directory, ring kind, ring capacity, stall timeout in ms; it opens the ring the parent created.
 * Every wait has a deadline; no child outlives its parent.
 */
final class RingChildren {

    static final Duration MAX_LIFE = Duration.ofSeconds(170);
    static final long WAIT_SECONDS = 60;

    private RingChildren() {
    }

    static String[] args(java.nio.file.Path dir, RingKind kind, int capacity, long stallMillis, Object... more) {
        String[] args = new String[4 + more.length];
        args[0] = dir.toString();
        args[1] = kind.name();
        args[2] = Integer.toString(capacity);
        args[3] = Long.toString(stallMillis);
        for (int i = 0; i < more.length; i++) {
            args[4 + i] = String.valueOf(more[i]);
        }
        return args;
    }

    static SharedRegion region(String[] args) {
        ChildSupport.dieWithParent(MAX_LIFE);
        return SharedRegion.open(RingTesting.REGION, RingTesting.regionOptions(java.nio.file.Path.of(args[0])));
    }

    static Ring ring(SharedRegion region, String[] args) {
        return RingTesting.open(RingKind.valueOf(args[1]), region, RING,
                RingTesting.options(Integer.parseInt(args[2]), Long.parseLong(args[3])));
    }

    /** Blocks this thread until the process is killed. */
    static void parkForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Writes seq {@code seq} of {@code producer}: even ones zero-copy (claim), odd ones by copy (offer). */
    static void send(RingProducer producer, int id, int seq) throws InterruptedException {
        int length = Payload.length(id, seq);
        if ((seq & 1) == 0) {
            RingClaim claim = producer.claim(TYPE, length, WAIT_SECONDS, TimeUnit.SECONDS);
            if (claim == null) {
                throw new IllegalStateException("no room for producer " + id + " seq " + seq + " within " + WAIT_SECONDS + " s");
            }
            Payload.write(claim.buffer(), id, seq);
            claim.commit();
        } else if (!producer.offer(TYPE, Payload.of(id, seq), WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no room for producer " + id + " seq " + seq + " within " + WAIT_SECONDS + " s");
        }
    }

    /**
     * Producer: args ... id count [pauseAfter]. Waits for event "go", sends seq 0..count-1; with pauseAfter,
     * prints "PAUSED" after that many and waits for event "resume". Prints "SENT id count".
     */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = region(args)) {
                Ring ring = ring(region, args);
                int id = Integer.parseInt(args[4]);
                int count = Integer.parseInt(args[5]);
                int pauseAfter = args.length > 6 ? Integer.parseInt(args[6]) : -1;
                RingProducer producer = ring.producer();
                say("READY");
                if (!region.event("go").await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no go");
                }
                for (int seq = 0; seq < count; seq++) {
                    if (seq == pauseAfter) {
                        say("PAUSED");
                        if (!region.event("resume").await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("no resume");
                        }
                    }
                    send(producer, id, seq);
                }
                say("SENT " + id + " " + count);
            }
        }
    }

    /**
     * Consumer: args ... producers [any-order]. Reads until the end of the stream (read with a timeout,
     * limit 64), checking every payload, then prints the Tracker report. A 60 s silence is a failure.
     * With "any-order", an MPMC consumer does not check that each producer's messages arrive in growing
     * order (messages handed back by a dead consumer arrive late).
     */
    public static final class Consumer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = region(args)) {
                Ring ring = ring(region, args);
                int producers = Integer.parseInt(args[4]);
                boolean anyOrder = args.length > 5 && args[5].equals("any-order");
                Tracker tracker = anyOrder ? Tracker.anyOrder(producers) : new Tracker(producers, ring.kind() != RingKind.MPMC);
                try (RingConsumer consumer = ring.consumer()) {
                    say("READY");
                    for (;;) {
                        int n = consumer.read(tracker, 64, WAIT_SECONDS, TimeUnit.SECONDS);
                        if (n < 0) {
                            break;
                        }
                        if (n == 0) {
                            throw new IllegalStateException("no message and no end of stream within " + WAIT_SECONDS
                                    + " s after " + tracker.count + " messages; " + ring + ", unblocked "
                                    + ring.unblockedRecords() + ", lost " + ring.lostMessages());
                        }
                    }
                    if (!consumer.isEndOfStream()) {
                        throw new IllegalStateException("read returned -1 but isEndOfStream is false");
                    }
                }
                tracker.report().forEach(RingChildren::say);
            }
        }
    }

    /**
     * A producer that dies mid-write: args ... id before [batch]. Commits seq 0..before-1, then claims seq
     * {@code before} (tryClaim) and writes half of it, or with "batch" claims a run of 8 (tryClaimBatch)
     * and writes all of them, prints "CLAIMED" and blocks forever (the parent kills it).
     */
    public static final class ClaimAndHang {
        public static void main(String[] args) throws Exception {
            SharedRegion region = region(args);
            Ring ring = ring(region, args);
            int id = Integer.parseInt(args[4]);
            int before = Integer.parseInt(args[5]);
            RingProducer producer = ring.producer();
            for (int seq = 0; seq < before; seq++) {
                send(producer, id, seq);
            }
            if (args.length > 6 && args[6].equals("batch")) {
                // A run of 8 messages: every one filled, none committed.
                BatchClaim run = producer.tryClaimBatch(TYPE, Payload.length(id, before), 8);
                if (run == null || run.count() != 8) {
                    throw new IllegalStateException("no room to claim a run of 8: " + run);
                }
                for (int i = 0; i < run.count(); i++) {
                    Payload.write(run.buffer(i), id, before + i);
                }
            } else {
                RingClaim claim = producer.tryClaim(TYPE, Payload.length(id, before));
                if (claim == null) {
                    throw new IllegalStateException("no room to claim");
                }
                MemorySegment half = claim.buffer().asSlice(0, claim.length() / 2);
                half.fill((byte) 0x5A);
            }
            say("CLAIMED");
            new CountDownLatch(1).await(); // never committed: the parent kills us here
        }
    }

    /**
     * An MPMC consumer that dies holding records: takes a batch (limit 4), prints "TOOK producer seq" for
     * the first message and blocks forever in the handler (the parent kills it).
     */
    public static final class TakeAndHang {
        public static void main(String[] args) throws Exception {
            SharedRegion region = region(args);
            Ring ring = ring(region, args);
            RingConsumer consumer = ring.consumer();
            say("READY");
            int n = consumer.read((type, message) -> {
                long id = Payload.verify(message);
                say("TOOK " + (id >>> 32) + " " + (int) id);
                parkForever();
            }, 4, WAIT_SECONDS, TimeUnit.SECONDS);
            say("UNEXPECTED read returned " + n);
        }
    }

    /** A consumer that waits on an empty ring: prints "WAITING", then "GOT producer seq" and "READ n". */
    public static final class IdleConsumer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = region(args)) {
                Ring ring = ring(region, args);
                try (RingConsumer consumer = ring.consumer()) {
                    say("WAITING");
                    int n = consumer.read((type, message) -> {
                        long id = Payload.verify(message);
                        say("GOT " + (id >>> 32) + " " + (int) id);
                    }, 1, 120, TimeUnit.SECONDS);
                    say("READ " + n);
                }
            }
        }
    }

    /** A producer that offers one message (args ... id seq) with a 60 s timeout: "OFFERING", then "OFFERED ok". */
    public static final class BlockingOffer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = region(args)) {
                Ring ring = ring(region, args);
                RingProducer producer = ring.producer();
                int id = Integer.parseInt(args[4]);
                int seq = Integer.parseInt(args[5]);
                MemorySegment message = Payload.of(id, seq);
                say("OFFERING");
                boolean ok = producer.offer(TYPE, message, WAIT_SECONDS, TimeUnit.SECONDS);
                say("OFFERED " + ok);
            }
        }
    }
}
