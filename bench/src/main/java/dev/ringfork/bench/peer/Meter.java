package dev.ringfork.bench.peer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A consumer's bookkeeping, the same for every peer: checks each message (its producer's sequence
 * number, its length) and stamps the first message's arrival, the arrival of the message one third of
 * the way in (to tell the JIT warm-up from the steady state), and the end of the poll that read the last
 * one ({@link System#nanoTime}, CLOCK_MONOTONIC, comparable across the processes of one machine). The
 * consumer loop asks only {@link #done()}, a field compare: no clock and no shared word between polls.
 */
final class Meter {

    private final long expected;
    private final boolean gapsAllowed;
    private final long[] next;
    long received;
    private final long mark;
    private long firstNanos;
    private long markNanos;
    private long lastNanos;
    private RunQueue runQueue;

    /**
     * @param producers   how many producers write (ids 0..producers-1)
     * @param expected    how many messages this consumer reads in all (Long.MAX_VALUE: competing consumers, unknown)
     * @param gapsAllowed true for competing consumers: each sees a rising, not a gap-free, sequence
     */
    Meter(int producers, long expected, boolean gapsAllowed) {
        this.expected = expected;
        this.mark = expected == Long.MAX_VALUE ? -1 : expected / 3;
        this.gapsAllowed = gapsAllowed;
        this.next = new long[producers];
    }

    /** Checks one message: its producer id, its sequence number and its length; stamps the first and last. */
    void check(long seq, int producer, long length, int expectedLength) {
        if (producer < 0 || producer >= next.length) {
            throw new IllegalStateException("message from unknown producer " + producer + " (seq " + seq + ")");
        }
        long want = next[producer];
        if (gapsAllowed ? seq < want : seq != want) {
            throw new IllegalStateException("producer " + producer + ": expected sequence " + (gapsAllowed ? ">= " : "")
                    + want + ", got " + seq + " after " + received + " messages");
        }
        if (length != expectedLength) {
            throw new IllegalStateException("message " + seq + " is " + length + " bytes, expected " + expectedLength);
        }
        next[producer] = seq + 1;
        if (received == 0) {
            runQueue = RunQueue.now();
            firstNanos = System.nanoTime();
        } else if (received == mark) {
            markNanos = System.nanoTime();
        }
        received++;
    }

    /** True once every expected message arrived; the first time, stamps the end. */
    boolean done() {
        if (received < expected) {
            return false;
        }
        if (lastNanos == 0) {
            lastNanos = System.nanoTime();
        }
        return true;
    }

    /**
     * Competing consumers (the total is unknown): polls until every producer has stopped and
     * {@code empty} says nothing is left, failing if that has not happened 60 s from now.
     * {@code poll} reads what is there and says whether it read anything.
     */
    void drainCompeting(Control control, int producers, BooleanSupplier poll, BooleanSupplier empty) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (poll.getAsBoolean()) {
                lastNanos = System.nanoTime();
                continue;
            }
            if (control.totalSent(producers) >= 0 && empty.getAsBoolean() && !poll.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not drained after 60 s: received " + received);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * The RESULT fields: messages received, the first and last arrival times, the one-third mark (if
     * any), and the consumer thread's CPU and run-queue wait times from the first message on ({@link RunQueue}).
     */
    String result() {
        return "received=" + received + " first_ns=" + firstNanos + " last_ns=" + lastNanos
                + (markNanos > 0 ? " mark=" + mark + " mark_ns=" + markNanos : "")
                + (runQueue != null ? " " + RunQueue.now().since(runQueue) : "");
    }
}
