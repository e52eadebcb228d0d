package dev.ringfork.bench.peer;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Agrona 2.6.0's off-heap ring buffers across JVMs: {@code new UnsafeBuffer(segment.address(), length)}
 * over a file mapped with FFM in the measurement's directory (on /dev/shm, like Ringfork's region).
 * Needs {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} on JDK 25. Default Agrona settings
 * (bounds checks on), busy spin with {@link Thread#onSpinWait()} like Ringfork's busy-spin strategy.
 */
final class AgronaPeer {

    private AgronaPeer() {
    }

    static void run(String role, Args args, Control control) throws InterruptedException {
        int capacity = args.integer("capacity", 1 << 20);
        switch (role) {
            case "consumer" -> consumer(ring(args, "ring", capacity), args, control);
            case "producer" -> producer(ring(args, "ring", capacity), args, control);
            case "pinger" -> pinger(args, control);
            case "ponger" -> ponger(args, control);
            default -> throw new IllegalArgumentException("unknown role " + role);
        }
    }

    static RingBuffer ring(Args args, String name, int capacity) {
        UnsafeBuffer buffer = map(args.dir().resolve(name + ".agrona"), capacity + RingBufferDescriptor.TRAILER_LENGTH);
        return switch (args.str("kind")) {
            case "spsc" -> new OneToOneRingBuffer(buffer);
            case "mpsc" -> new ManyToOneRingBuffer(buffer);
            default -> throw new IllegalArgumentException("kind=spsc|mpsc");
        };
    }

    /** A one-to-one ring buffer of {@code capacity} bytes (plus its trailer) in {@code file}. */
    static OneToOneRingBuffer oneToOne(Path file, int capacity) {
        return new OneToOneRingBuffer(map(file, capacity + RingBufferDescriptor.TRAILER_LENGTH));
    }

    /** Maps (creating, zero-filled) the file with FFM; the mapping lives until the JVM exits. */
    static UnsafeBuffer map(Path file, int length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, Arena.global());
            return new UnsafeBuffer(segment.address(), length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As Agrona's own samples read: {@code read(handler)} with no limit, in a busy loop, until all the
     * producers' messages arrived; every message checked.
     */
    static void consumer(RingBuffer ring, Args args, Control control) {
        int size = args.size();
        int producers = args.producers();
        int limit = args.limit();
        Meter meter = new Meter(producers, args.count() * producers, false);
        MessageHandler handler = (type, buffer, index, length) ->
                meter.check(buffer.getLong(index), buffer.getInt(index + 8), length, size);
        control.signalReady();
        if (args.str("pollControl", "false").equals("true")) {
            // Diagnosis only (--only=diagnose): the old harness's loop also read the control page after every poll.
            while (!meter.done() && control.phase() >= Control.INIT) {
                if (ring.read(handler, limit) == 0) {
                    Thread.onSpinWait();
                }
            }
        } else {
            while (!meter.done()) {
                if (ring.read(handler, limit) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
        PeerChild.consumerDone(control, args.id(), meter);
    }

    /** Zero-copy: tryClaim, write in place, commit; {@code count} messages once the harness says RUN. */
    static void producer(RingBuffer ring, Args args, Control control) {
        int size = args.size();
        int id = args.id();
        long count = args.count();
        UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        for (int i = 0; i < size; i++) {
            payload.putByte(i, (byte) i);
        }
        AtomicBuffer buffer = ring.buffer();
        control.signalReady();
        long seq = 0;
        if (control.awaitPast(Control.INIT)) {
            while (seq < count) {
                int index = ring.tryClaim(1, size);
                if (index < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                buffer.putBytes(index + 12, payload, 12, size - 12);
                buffer.putLong(index, seq);
                buffer.putInt(index + 8, id);
                ring.commit(index);
                seq++;
            }
        }
        PeerChild.producerDone(control, id, seq);
    }

    static void pinger(Args args, Control control) throws InterruptedException {
        RingBuffer out = oneToOne(args.dir().resolve("ping.agrona"), RingforkPeer.PING_RING);
        RingBuffer in = oneToOne(args.dir().resolve("pong.agrona"), RingforkPeer.PING_RING);
        Trips trips = new Trips(args);
        long[] reply = {-1};
        MessageHandler onReply = (type, buffer, index, length) -> reply[0] = buffer.getLong(index);
        control.signalReady();
        if (!control.awaitPast(Control.INIT)) {
            return;
        }
        AtomicBuffer outBuffer = out.buffer();
        trips.run((seq, intended) -> {
            int index;
            while ((index = out.tryClaim(1, 32)) < 0) {
                Thread.onSpinWait();
            }
            outBuffer.putLong(index, seq);
            outBuffer.putLong(index + 8, intended);
            out.commit(index);
            int spins = 0;
            while (in.read(onReply, 1) == 0) {
                Thread.onSpinWait();
                if ((++spins & 0xFFFFF) == 0 && control.phase() >= Control.STOP) {
                    throw new IllegalStateException("stopped waiting for reply " + seq);
                }
            }
            if (reply[0] != seq) {
                throw new IllegalStateException("reply " + reply[0] + " to ping " + seq);
            }
            return -1;
        });
        PeerChild.pingerDone(control, trips);
    }

    static void ponger(Args args, Control control) {
        RingBuffer in = oneToOne(args.dir().resolve("ping.agrona"), RingforkPeer.PING_RING);
        RingBuffer out = oneToOne(args.dir().resolve("pong.agrona"), RingforkPeer.PING_RING);
        AtomicBuffer outBuffer = out.buffer();
        MessageHandler echo = (type, buffer, index, length) -> {
            int claimed;
            while ((claimed = out.tryClaim(1, 32)) < 0) {
                Thread.onSpinWait();
            }
            outBuffer.putBytes(claimed, buffer, index, 32);
            out.commit(claimed);
        };
        long echoed = 0;
        control.signalReady();
        int idle = 0;
        for (;;) {
            int n = in.read(echo, 16);
            if (n > 0) {
                echoed += n;
            } else {
                Thread.onSpinWait();
                if ((++idle & 0x3FF) == 0 && control.phase() >= Control.STOP) {
                    break;
                }
            }
        }
        PeerChild.result("ponger", "echoed=" + echoed);
    }
}
