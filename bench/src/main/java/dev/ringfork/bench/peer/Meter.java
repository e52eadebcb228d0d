package dev.ringfork.bench.peer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A consumer's bookkeeping, the same for every peer: checks each message (its producer's sequence
 * number, its length), and measures the window the harness marks with {@link Control#MEASURE} and
 * {@link Control#STOP}. When a producer has a message budget ({@code cap}, used for Chronicle Queue,
 * which keeps every message on disk) the window also opens at a third of the budget and closes at the
 * end of it, whichever comes first.
 */
final class Meter {

    private final Control control;
    private final long cap;
    private final boolean gapsAllowed;
    private final long[] next;
    long received;
    private long startCount = -1;
    private long startNanos;
    private long endCount = -1;
    private long endNanos;

    /**
     * @param producers   how many producers write (ids 0..producers-1)
     * @param cap         total messages the producers write at most (Long.MAX_VALUE: no budget)
     * @param gapsAllowed true for competing consumers: each sees a rising, not a gap-free, sequence
     */
    Meter(Control control, int producers, long cap, boolean gapsAllowed) {
        this.control = control;
        this.cap = cap;
        this.gapsAllowed = gapsAllowed;
        this.next = new long[producers];
    }

    /** Checks one message: its producer id, its sequence number and its length. */
    void check(long seq, int producer, long length, int expectedLength) {
        if (producer < 0 || producer >= next.length) {
            throw new IllegalStateException("message from unknown producer " + producer + " (seq " + seq + ")");
        }
        long expected = next[producer];
        if (gapsAllowed ? seq < expected : seq != expected) {
            throw new IllegalStateException("producer " + producer + ": expected sequence " + (gapsAllowed ? ">= " : "")
                    + expected + ", got " + seq + " after " + received + " messages");
        }
        if (length != expectedLength) {
            throw new IllegalStateException("message " + seq + " is " + length + " bytes, expected " + expectedLength);
        }
        next[producer] = seq + 1;
        received++;
    }

    /** Call after every poll; true once the measured window has closed. */
    boolean tick() {
        if (endCount >= 0) {
            return true;
        }
        int phase = control.phase();
        if (startCount < 0) {
            if (phase < Control.MEASURE && received < cap / 3) {
                return false;
            }
            startCount = received;
            startNanos = System.nanoTime();
        }
        if (phase >= Control.STOP || received >= cap) {
            endCount = received;
            endNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    /** True once every producer has stopped and all they wrote arrived (single consumer). */
    boolean drained(int producers) {
        long total = control.totalSent(producers);
        if (total >= 0 && received > total) {
            throw new IllegalStateException("received " + received + " messages, only " + total + " were sent");
        }
        return total >= 0 && received == total;
    }

    /**
     * After the window (single consumer): polls until all the producers wrote has arrived, failing
     * if it has not 30 s from now. {@code poll} reads what is there and says whether it read anything.
     */
    void drain(int producers, BooleanSupplier poll) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!drained(producers)) {
            if (!poll.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not drained after 30 s: received " + received);
                }
                Thread.onSpinWait();
            }
        }
    }

    /** The RESULT fields of the measured window. */
    String result() {
        long messages = endCount - startCount;
        double seconds = (endNanos - startNanos) / 1e9;
        return "messages=" + messages + " seconds=" + String.format("%.6f", seconds)
                + " rate=" + String.format("%.1f", messages / seconds) + " received=" + received;
    }
}
