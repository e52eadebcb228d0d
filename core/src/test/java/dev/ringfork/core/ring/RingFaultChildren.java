package dev.ringfork.core.ring;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingTestHooks.Point;
import dev.ringfork.core.ring.RingTesting.Payload;

import java.util.concurrent.TimeUnit;

import static dev.ringfork.core.ring.RingChildren.WAIT_SECONDS;
import static dev.ringfork.core.ring.RingChildren.say;

/**
 * Child JVM mains that stop at a chosen point of the ring protocols, for the fault tests. Same first four
 * arguments as {@link RingChildren}: region directory, ring kind, capacity, stall timeout in ms.
 */
final class RingFaultChildren {

    private RingFaultChildren() {
    }

    /**
     * Takes one message (limit 1) and holds it in its handler: prints "TOOK producer seq", waits for event
     * "release", then checks that the message in the ring is still intact ("INTACT producer seq" or
     * "DAMAGED reason") and exits. The parent may kill it while it holds.
     */
    public static final class TakeOneAndHold {
        public static void main(String[] args) throws Exception {
            SharedRegion region = RingChildren.region(args);
            Ring ring = RingChildren.ring(region, args);
            RingConsumer consumer = ring.consumer();
            say("READY");
            int n = consumer.read((type, message) -> {
                long id = Payload.verifyContent(message);
                say("TOOK " + (id >>> 32) + " " + (int) id);
                try {
                    if (!region.event("release").await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        say("NO RELEASE");
                    }
                    long again = Payload.verifyContent(message);
                    say("INTACT " + (again >>> 32) + " " + (int) again);
                } catch (AssertionError e) {
                    say("DAMAGED " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 1, WAIT_SECONDS, TimeUnit.SECONDS);
            say("READ " + n);
        }
    }

    /** An MPMC consumer that stops for good right after announcing where it reads: prints "ANNOUNCED". */
    public static final class ParkAfterAnnounce {
        public static void main(String[] args) throws Exception {
            SharedRegion region = RingChildren.region(args);
            Ring ring = RingChildren.ring(region, args);
            RingConsumer consumer = ring.consumer();
            RingTestHooks.set(Point.AFTER_ANNOUNCE, () -> {
                say("ANNOUNCED");
                RingChildren.parkForever();
            });
            say("READY");
            consumer.read((type, message) -> say("UNEXPECTED message"), 1, WAIT_SECONDS, TimeUnit.SECONDS);
            say("UNEXPECTED read returned");
        }
    }

    /**
     * A multi-producer writer that stalls between claiming space (the tail) and writing its record's header:
     * args ... id count stallAt. Sends seq 0..stallAt-1, then claims seq stallAt, prints "STALLED" and waits
     * for event "resume" (or is killed), then sends the rest and prints "SENT id count".
     */
    public static final class StallAfterTailClaim {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = RingChildren.region(args)) {
                Ring ring = RingChildren.ring(region, args);
                int id = Integer.parseInt(args[4]);
                int count = Integer.parseInt(args[5]);
                int stallAt = Integer.parseInt(args[6]);
                RingProducer producer = ring.producer();
                say("READY");
                for (int seq = 0; seq < count; seq++) {
                    if (seq == stallAt) {
                        RingTestHooks.set(Point.AFTER_TAIL_CLAIM, () -> {
                            RingTestHooks.set(Point.AFTER_TAIL_CLAIM, null);
                            say("STALLED");
                            try {
                                if (!region.event("resume").await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                                    say("NO RESUME");
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                    RingChildren.send(producer, id, seq);
                }
                say("SENT " + id + " " + count);
            }
        }
    }

    /**
     * The one consumer of an SPSC or MPSC ring, stopped for good after it zeroed what it read and before it
     * moved the head: reads once (limit 64), prints "RELEASING n", and parks (the parent kills it).
     */
    public static final class StopBeforeHeadRelease {
        public static void main(String[] args) throws Exception {
            SharedRegion region = RingChildren.region(args);
            Ring ring = RingChildren.ring(region, args);
            RingConsumer consumer = ring.consumer();
            int[] seen = {0};
            RingTestHooks.set(Point.BEFORE_HEAD_RELEASE, () -> {
                say("RELEASING " + seen[0]);
                RingChildren.parkForever();
            });
            say("READY");
            consumer.read((type, message) -> {
                Payload.verifyContent(message);
                seen[0]++;
            }, 64, WAIT_SECONDS, TimeUnit.SECONDS);
            say("UNEXPECTED read returned");
        }
    }

    /**
     * An MPMC consumer that stops for good after storing its end and phase TAKING, before the head
     * compare-and-set: prints "TAKING" and parks.
     */
    public static final class StopBeforeHeadCas {
        public static void main(String[] args) throws Exception {
            SharedRegion region = RingChildren.region(args);
            Ring ring = RingChildren.ring(region, args);
            RingConsumer consumer = ring.consumer();
            RingTestHooks.set(Point.BEFORE_HEAD_CAS, () -> {
                say("TAKING");
                RingChildren.parkForever();
            });
            say("READY");
            consumer.read((type, message) -> say("UNEXPECTED message"), 64, WAIT_SECONDS, TimeUnit.SECONDS);
            say("UNEXPECTED read returned");
        }
    }

    /**
     * An MPMC consumer whose handler throws at the second message of a batch, and which stops for good in
     * the middle of keeping the rest of the batch (the first message given back): prints "KEEPING" and parks.
     */
    public static final class StopWhileKeepingRest {
        public static void main(String[] args) throws Exception {
            SharedRegion region = RingChildren.region(args);
            Ring ring = RingChildren.ring(region, args);
            RingConsumer consumer = ring.consumer();
            RingTestHooks.set(Point.WHILE_KEEPING_REST, () -> {
                say("KEEPING");
                RingChildren.parkForever();
            });
            say("READY");
            int[] seen = {0};
            try {
                consumer.read((type, message) -> {
                    Payload.verifyContent(message);
                    if (++seen[0] == 2) {
                        throw new IllegalStateException("handler fails at the second message");
                    }
                }, 64, WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (IllegalStateException expected) {
                say("UNEXPECTED handler failure returned");
            }
            say("UNEXPECTED read returned");
        }
    }

    /**
     * Opens a consumer of an MPMC ring, which first recovers the slots of dead consumers, and stops for good
     * while it holds a dead consumer's slot (RECOVERING): prints "RECOVERING" and parks.
     */
    public static final class StopWhileRecovering {
        public static void main(String[] args) throws Exception {
            SharedRegion region = RingChildren.region(args);
            Ring ring = RingChildren.ring(region, args);
            RingTestHooks.set(Point.WHILE_RECOVERING, () -> {
                say("RECOVERING");
                RingChildren.parkForever();
            });
            say("READY");
            ring.consumer();
            say("UNEXPECTED nothing to recover");
        }
    }
}
