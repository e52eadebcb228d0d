package dev.ringfork.core.sync;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.testing.ChildSupport;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Child JVM mains for {@link CoordinationProcessTest}; each opens region "coord" in the directory args[0]. */
final class CoordinationChildren {

    private static final int WAIT_SECONDS = 60;

    private CoordinationChildren() {
    }

    private static SharedRegion open(String[] args) {
        ChildSupport.dieWithParent(Duration.ofSeconds(150));
        return SharedRegion.open("coord", ChildSupport.options(args[0]));
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** args[1] rounds: each round locks the reentrant lock twice and bumps both counters, checking they agree. */
    public static final class CountUnderReentrantLock {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                SharedReentrantLock lock = region.reentrantLock("rlock");
                SharedLongArray counts = region.longArray("counts", 2);
                int rounds = Integer.parseInt(args[1]);
                for (int i = 0; i < rounds; i++) {
                    if (!lock.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        say("TIMED OUT");
                        return;
                    }
                    try {
                        lock.lock();
                        try {
                            long first = counts.getPlain(0);
                            if (first != counts.getPlain(1) || lock.holdCount() != 2) {
                                say("TORN " + first + " " + counts.getPlain(1));
                                return;
                            }
                            counts.setPlain(0, first + 1);
                            counts.setPlain(1, first + 1);
                        } finally {
                            lock.unlock();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                say("DONE");
            }
        }
    }

    /** Locks the reentrant lock twice, says LOCKED, and waits to be killed. */
    public static final class HoldReentrantLock {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                SharedReentrantLock lock = region.reentrantLock("rlock");
                lock.lock();
                lock.lock();
                region.sharedInt("guarded").set(1); // half-done work for the taker-over to repair
                say("LOCKED");
                new CountDownLatch(1).await(120, TimeUnit.SECONDS); // until killed (the test does it), at most 120 s
            }
        }
    }

    /** Party args[1] of a 3-party barrier for args[2] generations; each checks that all wrote before the trip. */
    public static final class BarrierParty {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                SharedBarrier barrier = region.barrier("barrier", 3);
                SharedIntArray marks = region.intArray("marks", 3);
                int me = Integer.parseInt(args[1]);
                int generations = Integer.parseInt(args[2]);
                int lastSeen = 0;
                for (int g = 1; g <= generations; g++) {
                    marks.set(me, g);
                    barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    for (int other = 0; other < 3; other++) {
                        int mark = marks.get(other);
                        if (mark < g) {
                            say("EARLY party " + other + " at " + mark + " in generation " + g);
                            return;
                        }
                    }
                    // A second trip per generation, so nobody marks g + 1 before everyone checked g.
                    lastSeen = barrier.await(WAIT_SECONDS, TimeUnit.SECONDS) >= 0 ? g : lastSeen;
                }
                say("DONE " + lastSeen);
            }
        }
    }

    /** Arrives at the 3-party barrier "barrier" with a 3 s timeout, and says how it ended. */
    public static final class BarrierWaiter {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                SharedBarrier barrier = region.barrier("barrier", 3);
                say("ARRIVING");
                try {
                    barrier.await(3, TimeUnit.SECONDS);
                    say("PASSED");
                } catch (TimeoutException e) {
                    say("TIMEOUT");
                } catch (BrokenBarrierException e) {
                    say("BROKEN");
                }
            }
        }
    }

    /** Takes args[1] items from the bounded buffer (a condition pair) and prints their count and sum. */
    public static final class Consumer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                BoundedBuffer buffer = new BoundedBuffer(region);
                int items = Integer.parseInt(args[1]);
                long sum = 0;
                for (int i = 0; i < items; i++) {
                    long item = buffer.take();
                    if (item == Long.MIN_VALUE) {
                        say("TIMED OUT after " + i);
                        return;
                    }
                    sum += item;
                }
                say("SUM " + items + " " + sum);
            }
        }
    }

    /** Puts items 1 to args[1] into the bounded buffer. */
    public static final class Producer {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                BoundedBuffer buffer = new BoundedBuffer(region);
                int items = Integer.parseInt(args[1]);
                for (int i = 1; i <= items; i++) {
                    if (!buffer.put(i)) {
                        say("TIMED OUT at " + i);
                        return;
                    }
                }
                say("PUT " + items);
            }
        }
    }

    /** Waits on condition "wake" (lock "lock") for a signal, up to 60 s; says SIGNALLED or TIMED OUT. */
    public static final class ConditionWaiter {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                SharedLock lock = region.lock("lock");
                SharedCondition wake = region.condition("wake", lock);
                SharedInt signals = region.sharedInt("signals");
                lock.lock();
                try {
                    say("WAITING");
                    boolean signalled = wake.waitFor(() -> signals.get() > 0, WAIT_SECONDS, TimeUnit.SECONDS);
                    say(signalled ? "SIGNALLED" : "TIMED OUT");
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Releases the bounded semaphore "bounded" (2 permits, all free) once and says what happened. */
    public static final class OverRelease {
        public static void main(String[] args) throws Exception {
            try (SharedRegion region = open(args)) {
                SharedSemaphore semaphore = region.boundedSemaphore("bounded", 2);
                try {
                    semaphore.release();
                    say("RELEASED");
                } catch (IllegalStateException e) {
                    say("REFUSED " + e.getMessage());
                }
            }
        }
    }

    /** A bounded buffer of 4 longs in shared memory, guarded by a reentrant lock and two conditions. */
    static final class BoundedBuffer {
        private final SharedReentrantLock lock;
        private final SharedCondition notEmpty;
        private final SharedCondition notFull;
        private final SharedLongArray cells;
        private final SharedLongArray ends; // [0] = items taken so far, [1] = items put so far

        BoundedBuffer(SharedRegion region) {
            lock = region.reentrantLock("buffer-lock");
            notEmpty = region.condition("not-empty", lock);
            notFull = region.condition("not-full", lock);
            cells = region.longArray("cells", 4);
            ends = region.longArray("ends", 2);
        }

        boolean put(long item) throws InterruptedException {
            lock.lock();
            try {
                if (!notFull.waitFor(() -> ends.getPlain(1) - ends.getPlain(0) < 4, WAIT_SECONDS, TimeUnit.SECONDS)) {
                    return false;
                }
                long tail = ends.getPlain(1);
                cells.setPlain((int) (tail % 4), item);
                ends.setPlain(1, tail + 1);
                notEmpty.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The next item, or Long.MIN_VALUE if none came in time. */
        long take() throws InterruptedException {
            lock.lock();
            try {
                if (!notEmpty.waitFor(() -> ends.getPlain(1) > ends.getPlain(0), WAIT_SECONDS, TimeUnit.SECONDS)) {
                    return Long.MIN_VALUE;
                }
                long head = ends.getPlain(0);
                long item = cells.getPlain((int) (head % 4));
                ends.setPlain(0, head + 1);
                notFull.signal();
                return item;
            } finally {
                lock.unlock();
            }
        }
    }
}
