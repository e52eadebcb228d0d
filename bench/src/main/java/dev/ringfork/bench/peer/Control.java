package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The harness's control page, a 4 KiB mapped file shared by the harness and every child JVM of one
 * measurement. Plain JDK (FFM + VarHandles), so it is the same for every peer and loads nothing of
 * Ringfork's, Agrona's or Chronicle's. Each word sits on its own 64-byte line.
 *
 * <pre>
 *    0  phase (int): INIT, RUN, STOP; only the harness writes it (the C ring reads it too)
 *   64  ready (int): children add 1 once attached
 *  128  sent[p] (long, -1 until producer p stopped): how many messages producer p wrote, 8 lines
 *  640  received[c] (long, -1 until consumer c stopped), 8 lines
 * </pre>
 */
final class Control implements AutoCloseable {

    static final int INIT = 0;
    /** Producers and pingers start; throughput children then run their fixed counts and exit by themselves. */
    static final int RUN = 1;
    /** Ping-pong's ponger (and anything still waiting) stops. */
    static final int STOP = 2;

    static final int MAX_PARTIES = 8;
    private static final long SIZE = 4096;
    private static final long PHASE = 0;
    private static final long READY = 64;
    private static final long SENT = 128;
    private static final long RECEIVED = SENT + 64 * MAX_PARTIES;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena;
    private final MemorySegment page;

    private Control(Path file, boolean create) {
        arena = Arena.ofShared();
        try (FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            page = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot map control file " + file, e);
        }
        if (create) {
            for (int i = 0; i < MAX_PARTIES; i++) {
                LONG.setVolatile(page, SENT + 64L * i, -1L);
                LONG.setVolatile(page, RECEIVED + 64L * i, -1L);
            }
        }
    }

    static Control create(Path file) {
        return new Control(file, true);
    }

    static Control open(Path file) {
        return new Control(file, false);
    }

    int phase() {
        return (int) INT.getAcquire(page, PHASE);
    }

    void phase(int phase) {
        INT.setVolatile(page, PHASE, phase);
    }

    void signalReady() {
        INT.getAndAdd(page, READY, 1);
    }

    int ready() {
        return (int) INT.getVolatile(page, READY);
    }

    void sent(int producer, long count) {
        LONG.setVolatile(page, SENT + 64L * producer, count);
    }

    /** Messages producer {@code producer} wrote, or -1 while it still runs. */
    long sent(int producer) {
        return (long) LONG.getVolatile(page, SENT + 64L * producer);
    }

    /** Sum of the producers' final counts, or -1 while any of them still runs. */
    long totalSent(int producers) {
        long total = 0;
        for (int p = 0; p < producers; p++) {
            long sent = sent(p);
            if (sent < 0) {
                return -1;
            }
            total += sent;
        }
        return total;
    }

    void received(int consumer, long count) {
        LONG.setVolatile(page, RECEIVED + 64L * consumer, count);
    }

    long received(int consumer) {
        return (long) LONG.getVolatile(page, RECEIVED + 64L * consumer);
    }

    /** Waits until the harness moves past {@code phase}; false if it is already STOP. */
    boolean awaitPast(int phase) {
        int now;
        while ((now = phase()) <= phase) {
            Thread.onSpinWait();
            Thread.yield();
        }
        return now < STOP;
    }

    @Override
    public void close() {
        arena.close();
    }
}
