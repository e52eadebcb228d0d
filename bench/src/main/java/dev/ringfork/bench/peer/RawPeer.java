package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * The floor of ping-pong, no ring: two int words on their own cache lines of a mapped file
 * ({@code ping} at 0, {@code pong} at 64). The pinger stores the trip's number in ping, the ponger
 * copies it to pong. {@code wait=spin}: both sides spin on the word. {@code wait=futex}: the ponger
 * sleeps on ping with a bare futex wait, the pinger wakes it after each store (and is itself woken
 * on pong), with {@link RawFutex}. Plain JDK, no flag beyond native access.
 */
final class RawPeer {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long PING = 0;
    private static final long PONG = 64;

    private RawPeer() {
    }

    static void run(String role, Args args, Control control) throws InterruptedException {
        MemorySegment words = map(args);
        boolean futex = switch (args.str("wait", "spin")) {
            case "spin" -> false;
            case "futex" -> true;
            default -> throw new IllegalArgumentException("wait=spin|futex");
        };
        // 100 ms: a sleeper looks at the harness's phase that often.
        MemorySegment timeout = Arena.global().allocate(16, 8);
        timeout.set(ValueLayout.JAVA_LONG, 8, 100_000_000L);
        switch (role) {
            case "pinger" -> pinger(words, futex, timeout, args, control);
            case "ponger" -> ponger(words, futex, timeout, control);
            default -> throw new IllegalArgumentException("unknown role " + role);
        }
    }

    private static MemorySegment map(Args args) {
        try (FileChannel channel = FileChannel.open(args.dir().resolve("raw.words"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, Arena.global());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pinger(MemorySegment words, boolean futex, MemorySegment timeout, Args args, Control control)
            throws InterruptedException {
        Trips trips = new Trips(args);
        MemorySegment pong = words.asSlice(PONG, 4);
        MemorySegment ping = words.asSlice(PING, 4);
        control.signalReady();
        if (!control.awaitPast(Control.INIT)) {
            return;
        }
        trips.run((seq, intended) -> {
            int value = (int) seq + 1;
            INT.setRelease(ping, 0L, value);
            long publish = -1;
            if (futex) {
                long t0 = trips.parked() ? System.nanoTime() : 0;
                RawFutex.wake(ping);
                publish = trips.parked() ? System.nanoTime() - t0 : -1;
            }
            int seen;
            int spins = 0;
            while ((seen = (int) INT.getAcquire(pong, 0L)) != value) {
                if (futex) {
                    RawFutex.await(pong, seen, timeout);
                } else {
                    Thread.onSpinWait();
                }
                if ((futex || (++spins & 0xFFFFF) == 0) && control.phase() >= Control.STOP) {
                    throw new IllegalStateException("stopped waiting for reply " + seq);
                }
            }
            return publish;
        });
        PeerChild.pingerDone(control, trips);
    }

    private static void ponger(MemorySegment words, boolean futex, MemorySegment timeout, Control control) {
        MemorySegment ping = words.asSlice(PING, 4);
        MemorySegment pong = words.asSlice(PONG, 4);
        long echoed = 0;
        int last = 0;
        int idle = 0;
        control.signalReady();
        for (;;) {
            int value = (int) INT.getAcquire(ping, 0L);
            if (value != last) {
                INT.setRelease(pong, 0L, value);
                if (futex) {
                    RawFutex.wake(pong);
                }
                last = value;
                echoed++;
                continue;
            }
            if (futex) {
                RawFutex.await(ping, last, timeout);
            } else {
                Thread.onSpinWait();
            }
            if ((futex || (++idle & 0x3FF) == 0) && control.phase() >= Control.STOP) {
                break;
            }
        }
        PeerChild.result("ponger", "echoed=" + echoed);
    }
}
